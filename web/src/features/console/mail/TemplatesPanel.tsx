import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Code, Fieldset, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary.js';
import type { SummaryItem } from '../../../components/ErrorSummary.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, isApiError } from '../../../lib/api.js';
import { draftsFrom, overridesFrom, parseServerProblem, templateProblems } from './templateRules.js';
import type { TemplateDrafts, TemplatePart, TemplateProblem } from './templateRules.js';
import { MAIL_LANGUAGES, TEMPLATE_KEYS } from './types.js';
import type { MailLanguage, TemplateKey, TemplatesView } from './types.js';

const TEMPLATES_KEY = ['mail', 'templates'] as const;
const fieldId = (key: TemplateKey, lang: MailLanguage, part: TemplatePart) => `template-${key}-${lang}-${part}`;
type ServerProblems = Record<string, TemplateProblem[]>;

function useProblemText() {
  const { t } = useTranslation();
  return (p: TemplateProblem): string => {
    switch (p.kind) {
      case 'unknown-variable':
        return t('console.mail.templates.problems.unknownVariable', { name: `{{${p.name}}}` });
      case 'unbalanced':
        return t('console.mail.templates.problems.unbalanced');
      case 'required':
        return t('console.mail.templates.problems.required');
      case 'tooLong':
        return t('console.mail.templates.problems.tooLong');
      default:
        return p.message;
    }
  };
}

/** The server's details → problems by field id (`acknowledgement.zh-TW` + the part named in the message). */
function serverProblems(error: unknown): ServerProblems {
  const out: ServerProblems = {};
  if (!isApiError(error)) return out;
  for (const d of error.details) {
    const [key, lang, partFromField] = d.field.split('.');
    if (!key || !lang || !(TEMPLATE_KEYS as readonly string[]).includes(key) || !(MAIL_LANGUAGES as readonly string[]).includes(lang)) continue;
    const parsed = d.code === 'too_short' || d.code === 'required' ? { part: null, problem: { kind: 'required' } as const } : d.code === 'too_long' ? { part: null, problem: { kind: 'tooLong' } as const } : parseServerProblem(d.message || d.code);
    const part: TemplatePart = partFromField === 'subject' || partFromField === 'text' ? partFromField : (parsed.part ?? 'text');
    (out[fieldId(key as TemplateKey, lang as MailLanguage, part)] ??= []).push(parsed.problem);
  }
  return out;
}

function TemplatesForm({ view }: { view: TemplatesView }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const problemText = useProblemText();
  const [drafts, setDrafts] = useState<TemplateDrafts>(() => draftsFrom(view));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const summaryRef = useRef<HTMLDivElement>(null);
  const save = useMutation({
    mutationFn: () => api.put<TemplatesView>('/mail/templates', overridesFrom(drafts, view)),
    onSuccess: (saved) => client.setQueryData(TEMPLATES_KEY, saved),
    onError: () => requestAnimationFrame(() => summaryRef.current?.focus()),
  });
  const fromServer = save.isError ? serverProblems(save.error) : {};

  function edit(key: TemplateKey, lang: MailLanguage, part: TemplatePart, value: string) {
    setDrafts((d) => ({ ...d, [key]: { ...d[key], [lang]: { ...d[key][lang], [part]: value } } }));
    if (save.isError || save.isSuccess) save.reset();
  }
  function reset(key: TemplateKey, lang: MailLanguage) {
    const fallback = view.defaults[key]?.[lang];
    if (fallback) setDrafts((d) => ({ ...d, [key]: { ...d[key], [lang]: fallback } }));
  }
  function problemsOf(key: TemplateKey, lang: MailLanguage, part: TemplatePart): TemplateProblem[] {
    const id = fieldId(key, lang, part);
    const server = fromServer[id] ?? [];
    if (server.length > 0) return server;
    return touched.has(id) ? templateProblems(drafts[key][lang][part], view.variables[key] ?? []) : [];
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const summary: SummaryItem[] = Object.entries(fromServer).flatMap(([id, problems]) => {
    const [, key, lang, part] = /^template-(\w+)-([\w-]+)-(subject|text)$/.exec(id) ?? [];
    const label = `${t(`console.mail.templates.names.${key as TemplateKey}`)} · ${t(`console.mail.templates.languages.${lang as MailLanguage}`)} · ${t(`console.mail.templates.${part as TemplatePart}`)}`;
    return problems.map((p) => ({ targetId: id, label, message: problemText(p) }));
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('console.mail.templates.intro')}</Text>
        {save.isError && (
          <ErrorSummary
            ref={summaryRef}
            title={t('console.mail.templates.refused')}
            items={summary.length > 0 ? summary : [{ targetId: null, label: '', message: save.error.message }]}
          />
        )}
        {TEMPLATE_KEYS.map((key) => (
          <Paper withBorder p="sm" key={key} component="section" aria-labelledby={`template-${key}-title`}>
            <Title order={2} size="h5" id={`template-${key}-title`}>
              {t(`console.mail.templates.names.${key}`)}
            </Title>
            <Text size="xs" mt={4} mb="xs">
              {t('console.mail.templates.variables')}{' '}
              {(view.variables[key] ?? []).map((name) => (
                <Code key={name} mr={4}>{`{{${name}}}`}</Code>
              ))}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              {MAIL_LANGUAGES.map((lang) => {
                const subjectProblems = problemsOf(key, lang, 'subject');
                const textProblems = problemsOf(key, lang, 'text');
                const isDefault = overridesFrom(drafts, view)[key]?.[lang] === undefined;
                return (
                  <Fieldset key={lang} legend={t(`console.mail.templates.languages.${lang}`)} lang={lang} variant="filled" p="xs">
                    <Stack gap={6}>
                      <TextInput
                        size="xs"
                        id={fieldId(key, lang, 'subject')}
                        label={t('console.mail.templates.subject')}
                        value={drafts[key][lang].subject}
                        onChange={(e) => edit(key, lang, 'subject', e.currentTarget.value)}
                        onBlur={() => setTouched((s) => new Set(s).add(fieldId(key, lang, 'subject')))}
                        error={subjectProblems.length > 0 ? subjectProblems.map(problemText).join(' ') : undefined}
                        className="mono"
                      />
                      <Textarea
                        size="xs"
                        id={fieldId(key, lang, 'text')}
                        label={t('console.mail.templates.text')}
                        value={drafts[key][lang].text}
                        onChange={(e) => edit(key, lang, 'text', e.currentTarget.value)}
                        onBlur={() => setTouched((s) => new Set(s).add(fieldId(key, lang, 'text')))}
                        error={textProblems.length > 0 ? textProblems.map(problemText).join(' ') : undefined}
                        autosize
                        minRows={8}
                        maxRows={20}
                        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                      />
                      <Group gap="xs" justify="space-between">
                        <Text size="xs">{isDefault ? t('console.mail.templates.isDefault') : t('console.mail.templates.isEdited')}</Text>
                        <Button size="compact-xs" variant="subtle" disabled={isDefault} onClick={() => reset(key, lang)}>
                          {t('console.mail.templates.reset')}
                        </Button>
                      </Group>
                    </Stack>
                  </Fieldset>
                );
              })}
            </SimpleGrid>
          </Paper>
        ))}
        {save.isSuccess && (
          <Text size="sm" role="status">
            {t('console.mail.templates.saved')}
          </Text>
        )}
        <Group>
          <Button size="xs" type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Administrators edit the bilingual templates of the mail the system sends. */
export function TemplatesPanel() {
  const templates = useQuery({ queryKey: TEMPLATES_KEY, queryFn: () => api.get<TemplatesView>('/mail/templates') });
  if (templates.isPending) return <PageLoader />;
  if (templates.isError) return <Alert color="red">{templates.error.message}</Alert>;
  return <TemplatesForm view={templates.data} />;
}
