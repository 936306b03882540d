import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Anchor, Button, Fieldset, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, isApiError } from '../../../lib/api.js';
import { MAIL_LANGUAGES, RFC2350_SECTIONS } from './types.js';
import type { MailProfile } from './types.js';

const PROFILE_KEY = ['mail', 'profile'] as const;
const URL_FIELDS = ['policy', 'acknowledgments', 'hiring'] as const;
const fieldId = (path: string) => `profile-${path.replace(/\./g, '-')}`;

/** The server's field problems by dotted path (`securityTxt.policy`, `rfc2350.mission.en`). */
function problemsByField(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error)) return out;
  for (const d of error.details) {
    const path = d.field.includes('.') ? d.field : `securityTxt.${d.field}`;
    out[path] ??= d.code;
  }
  return out;
}

function ProfileForm({ initial }: { initial: MailProfile }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const summaryRef = useRef<HTMLDivElement>(null);
  const [p, setP] = useState<MailProfile>(initial);
  const save = useMutation({
    mutationFn: () => api.put<MailProfile>('/mail/profile', p),
    onSuccess: (saved) => client.setQueryData(PROFILE_KEY, saved),
    onError: () => requestAnimationFrame(() => summaryRef.current?.focus()),
  });
  const problems = save.isError ? problemsByField(save.error) : {};
  const problemText = (code: string) => t(`console.mail.profile.problems.${code}` as 'console.mail.profile.problems.pattern', { defaultValue: t('console.mail.profile.problems.invalid') });
  const errorOf = (path: string) => (problems[path] ? problemText(problems[path]) : undefined);
  const setTxt = (patch: Partial<MailProfile['securityTxt']>) => setP((x) => ({ ...x, securityTxt: { ...x.securityTxt, ...patch } }));
  const setRfc = (patch: Partial<MailProfile['rfc2350']>) => setP((x) => ({ ...x, rfc2350: { ...x.rfc2350, ...patch } }));
  const labelOf = (path: string): string => {
    const [group, name, lang] = path.split('.');
    if (group === 'securityTxt') return t(`console.mail.profile.txt.${name}` as 'console.mail.profile.txt.policy', { defaultValue: name ?? '' });
    const section = t(`console.mail.profile.sections.${name}` as 'console.mail.profile.sections.mission', { defaultValue: name ?? '' });
    return lang ? `${section} (${lang})` : section;
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('console.mail.profile.intro')}</Text>
        <Group gap="md">
          <Anchor href="/.well-known/security.txt" target="_blank" size="sm">
            security.txt
          </Anchor>
          <Anchor href="/rfc2350?lang=zh-TW" target="_blank" size="sm">
            RFC 2350（中文）
          </Anchor>
          <Anchor href="/rfc2350?lang=en" target="_blank" size="sm">
            RFC 2350 (English)
          </Anchor>
        </Group>
        {save.isError && (
          <ErrorSummary
            ref={summaryRef}
            title={t('console.mail.profile.refused')}
            items={Object.keys(problems).length > 0 ? Object.entries(problems).map(([path, code]) => ({ targetId: fieldId(path), label: labelOf(path), message: problemText(code) })) : [{ targetId: null, label: '', message: save.error.message }]}
          />
        )}
        <Paper withBorder p="sm" component="section" aria-labelledby="profile-txt-title">
          <Title order={2} size="h5" mb="xs" id="profile-txt-title">
            security.txt (RFC 9116)
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {URL_FIELDS.map((name) => (
              <TextInput
                key={name}
                size="xs"
                type="url"
                id={fieldId(`securityTxt.${name}`)}
                label={t(`console.mail.profile.txt.${name}`)}
                description={t('console.mail.profile.httpsHelp')}
                value={p.securityTxt[name] ?? ''}
                onChange={(e) => setTxt({ [name]: e.currentTarget.value.trim() === '' ? null : e.currentTarget.value })}
                error={errorOf(`securityTxt.${name}`)}
              />
            ))}
            {/* A plain number input: Mantine's NumberInput would add 9 kB to this chunk for one field. */}
            <TextInput
              size="xs"
              type="number"
              inputMode="numeric"
              id={fieldId('securityTxt.expiresDays')}
              label={t('console.mail.profile.txt.expiresDays')}
              description={t('console.mail.profile.expiresHelp')}
              min={7}
              max={365}
              value={String(p.securityTxt.expiresDays)}
              onChange={(e) => setTxt({ expiresDays: Number(e.currentTarget.value) || 0 })}
              error={errorOf('securityTxt.expiresDays')}
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="profile-rfc-title">
          <Title order={2} size="h5" mb="xs" id="profile-rfc-title">
            {t('console.mail.profile.rfc2350')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 3 }} mb="sm">
            <TextInput size="xs" id={fieldId('rfc2350.shortName')} label={t('console.mail.profile.shortName')} value={p.rfc2350.shortName} onChange={(e) => setRfc({ shortName: e.currentTarget.value })} error={errorOf('rfc2350.shortName')} />
            <TextInput size="xs" type="date" id={fieldId('rfc2350.lastUpdated')} label={t('console.mail.profile.lastUpdated')} value={p.rfc2350.lastUpdated} onChange={(e) => setRfc({ lastUpdated: e.currentTarget.value })} error={errorOf('rfc2350.lastUpdated')} />
            <TextInput size="xs" id={fieldId('rfc2350.timeZone')} label={t('console.mail.profile.timeZone')} value={p.rfc2350.timeZone} onChange={(e) => setRfc({ timeZone: e.currentTarget.value })} error={errorOf('rfc2350.timeZone')} />
          </SimpleGrid>
          <Stack gap="sm">
            {RFC2350_SECTIONS.map((section) => (
              <Fieldset key={section} legend={t(`console.mail.profile.sections.${section}`)} variant="filled" p="xs">
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  {MAIL_LANGUAGES.map((lang) => (
                    <Textarea
                      key={lang}
                      size="xs"
                      lang={lang}
                      id={fieldId(`rfc2350.${section}.${lang}`)}
                      label={t(`console.mail.templates.languages.${lang}`)}
                      value={p.rfc2350[section][lang]}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        setRfc({ [section]: { ...p.rfc2350[section], [lang]: value } });
                      }}
                      error={errorOf(`rfc2350.${section}.${lang}`)}
                      autosize
                      minRows={2}
                      maxRows={10}
                    />
                  ))}
                </SimpleGrid>
              </Fieldset>
            ))}
          </Stack>
        </Paper>
        {save.isSuccess && (
          <Text size="sm" role="status">
            {t('console.mail.profile.saved')}
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

/** Administrators describe the team for security.txt and the RFC 2350 page, in both languages. */
export function ProfilePanel() {
  const profile = useQuery({ queryKey: PROFILE_KEY, queryFn: () => api.get<MailProfile>('/mail/profile') });
  if (profile.isPending) return <PageLoader />;
  if (profile.isError) return <Alert color="red">{profile.error.message}</Alert>;
  return <ProfileForm initial={profile.data} />;
}
