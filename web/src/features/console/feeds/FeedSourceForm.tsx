import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Fieldset, Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../lib/api.js';
import { describeIssue } from '../../../lib/describeIssue.js';
import { TLP_VALUES } from '../types.js';
import { PARSER_KINDS, PHISHING_FORMATS, SHADOWSERVER_REPORT_TYPES } from './types.js';
import type { FeedSource, FeedSourceInput, ParserKind } from './types.js';

const FEED_CODES = ['taken', 'reserved', 'too_frequent', 'feed_bad_config'] as const;

interface Draft {
  name: string;
  provider: string;
  parser: ParserKind;
  reportType: string;
  phishingFormat: string;
  dropIdentifier: string;
  mapping: string;
  defaultTlp: string;
  pollUrl: string;
  schedule: string;
  mailAddress: string;
  mailSenders: string;
  enabled: boolean;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function draftOf(source: FeedSource | undefined): Draft {
  const o = source?.options ?? {};
  const parser = (PARSER_KINDS as readonly string[]).includes(source?.parser ?? '') ? (source?.parser as ParserKind) : 'shadowserver';
  return {
    name: source?.name ?? '',
    provider: source?.provider ?? '',
    parser,
    reportType: str(o.reportType),
    phishingFormat: str(o.format),
    dropIdentifier: str(o.identifier),
    mapping: parser === 'mapping' ? JSON.stringify(o, null, 2) : '',
    defaultTlp: source?.defaultTlp ?? 'AMBER',
    pollUrl: source?.pollUrl ?? '',
    schedule: source?.schedule ?? '',
    mailAddress: source?.mailAddress ?? '',
    mailSenders: (source?.mailSenders ?? []).join('\n'),
    enabled: source?.enabled ?? true,
  };
}

/** The parser options the form edits; other options a source already has (set through the API) are kept. */
function optionsOf(d: Draft, previous: Record<string, unknown>): Record<string, unknown> | 'bad-json' {
  const trimmed = (v: string) => v.trim() || undefined;
  const keep = (extra: Record<string, unknown>, keys: string[]) => {
    const out: Record<string, unknown> = { ...previous };
    for (const k of keys) delete out[k];
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
    return out;
  };
  switch (d.parser) {
    case 'shadowserver':
      return keep({ reportType: trimmed(d.reportType) }, ['reportType']);
    case 'phishing':
      return keep({ format: trimmed(d.phishingFormat) }, ['format']);
    case 'drop':
      return keep({ identifier: trimmed(d.dropIdentifier) }, ['identifier']);
    case 'mapping':
      try {
        const parsed: unknown = JSON.parse(d.mapping || '{}');
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'bad-json';
      } catch {
        return 'bad-json';
      }
    default:
      return {};
  }
}

/** Create or edit a feed source: parser and its options, default TLP, delivery by URL or mail. */
export function FeedSourceForm({ source, onDone, onCancel }: { source?: FeedSource; onDone: (saved: FeedSource) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [d, setD] = useState<Draft>(() => draftOf(source));
  const [jsonError, setJsonError] = useState(false);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setD((prev) => ({ ...prev, [key]: value }));
  const prefix = source ? `feed-edit` : 'feed-new';
  const save = useMutation({
    mutationFn: (body: FeedSourceInput) => (source ? api.patch<FeedSource>(`/feeds/${source.id}`, body) : api.post<FeedSource>('/feeds', body)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['feeds'] });
      client.setQueryData(['feed', saved.id], saved);
      onDone(saved);
    },
  });

  const issues = isApiError(save.error) ? save.error.details : [];
  const fieldError = (field: string): string | undefined => {
    const found = issues.filter((i) => i.field === field || i.field.startsWith(`${field}.`) || (field === 'options' && i.field.startsWith('options')));
    if (found.length === 0) return undefined;
    return found
      .map((i) => ((FEED_CODES as readonly string[]).includes(i.code) ? t(`console.feeds.form.problems.${i.code as (typeof FEED_CODES)[number]}`, { message: i.message }) : describeIssue(t, i)))
      .join(' ');
  };
  const known = ['name', 'provider', 'parser', 'options', 'defaultTlp', 'pollUrl', 'schedule', 'mailAddress', 'mailSenders', 'enabled'];
  const unplaced = save.isError && !issues.some((i) => known.some((k) => i.field === k || i.field.startsWith(`${k}.`) || i.field.startsWith('options')));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const options = optionsOf(d, source?.options ?? {});
    setJsonError(options === 'bad-json');
    if (options === 'bad-json') return;
    const blank = (v: string) => (v.trim() === '' ? null : v.trim());
    save.mutate({
      name: d.name.trim(),
      parser: d.parser,
      options,
      provider: blank(d.provider),
      defaultTlp: d.defaultTlp,
      pollUrl: blank(d.pollUrl),
      schedule: blank(d.schedule),
      mailAddress: blank(d.mailAddress),
      mailSenders: d.mailSenders.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean),
      enabled: d.enabled,
    });
  }

  const optionsError = jsonError ? t('console.feeds.form.problems.json') : fieldError('options');
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={`${prefix}-title`}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h5" id={`${prefix}-title`}>
            {source ? t('console.feeds.form.editTitle') : t('console.feeds.form.newTitle')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput id={`${prefix}-name`} size="xs" required label={t('console.feeds.form.name')} value={d.name} onChange={(e) => set('name', e.currentTarget.value)} maxLength={200} error={fieldError('name')} />
            <TextInput id={`${prefix}-provider`} size="xs" label={t('console.feeds.form.provider')} description={t('console.feeds.form.providerHelp')} value={d.provider} onChange={(e) => set('provider', e.currentTarget.value)} maxLength={200} error={fieldError('provider')} />
            <NativeSelect
              id={`${prefix}-parser`}
              size="xs"
              label={t('console.feeds.form.parser')}
              value={d.parser}
              onChange={(e) => set('parser', e.currentTarget.value as ParserKind)}
              data={PARSER_KINDS.map((p) => ({ value: p, label: t(`console.feeds.parsers.${p}`) }))}
              error={fieldError('parser')}
            />
            <NativeSelect
              id={`${prefix}-tlp`}
              size="xs"
              label={t('console.feeds.form.defaultTlp')}
              description={t('console.feeds.form.defaultTlpHelp')}
              value={d.defaultTlp}
              onChange={(e) => set('defaultTlp', e.currentTarget.value)}
              data={TLP_VALUES.map((v) => ({ value: v, label: `TLP:${v}` }))}
              error={fieldError('defaultTlp')}
            />
          </SimpleGrid>
          {d.parser === 'shadowserver' && (
            <>
              <TextInput
                id={`${prefix}-report-type`}
                size="xs"
                label={t('console.feeds.form.reportType')}
                description={t('console.feeds.form.reportTypeHelp')}
                value={d.reportType}
                onChange={(e) => set('reportType', e.currentTarget.value)}
                list={`${prefix}-report-types`}
                spellCheck={false}
                error={optionsError}
              />
              <datalist id={`${prefix}-report-types`}>
                {SHADOWSERVER_REPORT_TYPES.map((r) => (
                  <option key={r} value={r} />
                ))}
              </datalist>
            </>
          )}
          {d.parser === 'phishing' && (
            <NativeSelect
              id={`${prefix}-phishing-format`}
              size="xs"
              label={t('console.feeds.form.phishingFormat')}
              value={d.phishingFormat}
              onChange={(e) => set('phishingFormat', e.currentTarget.value)}
              data={[{ value: '', label: t('console.feeds.form.formatAuto') }, ...PHISHING_FORMATS.map((f) => ({ value: f, label: t(`console.feeds.form.formats.${f}`) }))]}
              error={optionsError}
            />
          )}
          {d.parser === 'drop' && (
            <TextInput id={`${prefix}-drop-identifier`} size="xs" label={t('console.feeds.form.dropIdentifier')} description={t('console.feeds.form.dropIdentifierHelp')} value={d.dropIdentifier} onChange={(e) => set('dropIdentifier', e.currentTarget.value)} error={optionsError} />
          )}
          {d.parser === 'mapping' && (
            <Textarea id={`${prefix}-mapping`} size="xs" label={t('console.feeds.form.mapping')} description={t('console.feeds.form.mappingHelp')} value={d.mapping} onChange={(e) => set('mapping', e.currentTarget.value)} autosize minRows={4} maxRows={16} spellCheck={false} classNames={{ input: 'mono' }} error={optionsError} />
          )}
          <Fieldset legend={t('console.feeds.form.delivery')} variant="unstyled">
            <Stack gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput id={`${prefix}-poll-url`} size="xs" type="url" label={t('console.feeds.form.pollUrl')} description={t('console.feeds.form.pollUrlHelp')} value={d.pollUrl} onChange={(e) => set('pollUrl', e.currentTarget.value)} spellCheck={false} error={fieldError('pollUrl')} />
                <TextInput id={`${prefix}-schedule`} size="xs" label={t('console.feeds.form.schedule')} description={t('console.feeds.form.scheduleHelp')} value={d.schedule} onChange={(e) => set('schedule', e.currentTarget.value)} spellCheck={false} maxLength={10} error={fieldError('schedule')} />
                <TextInput id={`${prefix}-mail-address`} size="xs" type="email" label={t('console.feeds.form.mailAddress')} description={t('console.feeds.form.mailAddressHelp')} value={d.mailAddress} onChange={(e) => set('mailAddress', e.currentTarget.value)} spellCheck={false} error={fieldError('mailAddress')} />
                <Textarea id={`${prefix}-mail-senders`} size="xs" label={t('console.feeds.form.mailSenders')} description={t('console.feeds.form.mailSendersHelp')} value={d.mailSenders} onChange={(e) => set('mailSenders', e.currentTarget.value)} autosize minRows={2} maxRows={6} spellCheck={false} error={fieldError('mailSenders')} />
              </SimpleGrid>
            </Stack>
          </Fieldset>
          <Switch id={`${prefix}-enabled`} label={t('console.feeds.form.enabled')} checked={d.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
          {save.isError && (
            <Alert color="red" role="alert" title={t('console.feeds.form.notSaved')}>
              {unplaced ? save.error.message : t('console.feeds.form.seeFields')}
            </Alert>
          )}
          <Group>
            <Button type="submit" size="xs" loading={save.isPending}>
              {source ? t('console.feeds.form.save') : t('console.feeds.form.create')}
            </Button>
            <Button type="button" size="xs" variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
