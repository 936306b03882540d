import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLines } from '../../../components/ErrorLines.js';
import { ErrorSummary } from '../../../components/ErrorSummary.js';
import { api, isApiError } from '../../../lib/api.js';
import { usePartners } from '../shared/useDirectory.js';
import { useTaxonomy } from '../shared/useTaxonomy.js';
import type { Constituent } from '../types.js';
import { constituentKey } from './constituentApi.js';
import { ContactsEditor } from './ContactsEditor.js';
import { draftOf, fieldId, formErrorsOf, patchOf, submissionOf } from './formModel.js';
import type { ConstituentDraft, Submission } from './formModel.js';
import type { ContactField, ScopeKind, TopField } from './problems.js';
import { ScopeEditor } from './ScopeEditor.js';

const TOP_LABEL = {
  name: 'console.directory.form.name',
  sector: 'console.directory.form.sector',
  partnerId: 'console.directory.form.partner',
  netblocks: 'console.directory.form.netblocks',
  asns: 'console.directory.form.asns',
  domains: 'console.directory.form.domains',
  contacts: 'console.directory.contacts.title',
} as const;

class NoChanges extends Error {}

/**
 * Creates a constituent (initial = null) or edits one. The server checks everything (CIDR syntax,
 * overlaps with other constituents, sectors); its problems appear at the field and line that caused
 * them, and what was typed stays as it was.
 */
export function ConstituentForm({ initial, onSaved, onCancel }: { initial: Constituent | null; onSaved: (saved: Constituent) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const summaryRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState<ConstituentDraft>(() => draftOf(initial));
  const partners = usePartners();
  const taxonomy = useTaxonomy();
  const sectors = taxonomy.data?.sectors ?? (draft.sector ? [draft.sector] : []);

  const save = useMutation({
    mutationFn: async (sent: Submission) => {
      if (!initial) return api.post<Constituent>('/constituents', sent.input);
      const patch = patchOf(initial, sent.input);
      if (Object.keys(patch).length === 0) throw new NoChanges();
      return api.patch<Constituent>(`/constituents/${initial.id}`, patch);
    },
    onSuccess: async (saved) => {
      client.setQueryData(constituentKey(saved.id), saved);
      await client.invalidateQueries({ queryKey: ['constituents'] });
      onSaved(saved);
    },
    onError: (error) => {
      if (!(error instanceof NoChanges)) requestAnimationFrame(() => summaryRef.current?.focus());
    },
  });

  const noChanges = save.error instanceof NoChanges;
  const errors = save.isError && !noChanges && save.variables ? formErrorsOf(t, { message: save.error.message, details: isApiError(save.error) ? save.error.details : [] }, save.variables, draft, { top: (f: TopField) => t(TOP_LABEL[f]), contact: (n: number, f: ContactField | null) => (f ? `${t('console.directory.contacts.contactN', { n })} · ${t(`console.directory.contacts.${f}`)}` : t('console.directory.contacts.contactN', { n })) }) : null;
  const topError = (field: TopField) => {
    const list = errors?.top[field];
    return list?.length ? <ErrorLines messages={list} /> : undefined;
  };
  const set = <K extends keyof ConstituentDraft>(key: K, value: ConstituentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate(submissionOf(draft));
  }

  const partnerLabel = (p: { shortName: string; nameZh: string; nameEn: string }) => `${p.shortName} · ${i18n.language === 'en' ? p.nameEn : p.nameZh}`;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={initial ? initial.name : t('console.directory.form.createTitle')}>
      <Stack gap="md">
        {errors && (
          <ErrorSummary
            ref={summaryRef}
            title={t('console.directory.form.refused')}
            items={errors.summary.map((s) => ({ targetId: s.target, label: s.field, message: s.message }))}
          />
        )}
        <Paper withBorder p="sm">
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput size="xs" id={fieldId('name')} label={t('console.directory.form.name')} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={topError('name')} required />
            <NativeSelect
              size="xs"
              id={fieldId('sector')}
              label={t('console.directory.form.sector')}
              value={draft.sector}
              onChange={(e) => set('sector', e.currentTarget.value)}
              data={[{ value: '', label: t('console.filters.choose'), disabled: true }, ...sectors.map((s) => ({ value: s, label: t(`console.sectors.${s}`, { defaultValue: s }) }))]}
              error={topError('sector')}
              required
            />
            <NativeSelect
              size="xs"
              id={fieldId('partnerId')}
              label={t('console.directory.form.partner')}
              value={draft.partnerId}
              onChange={(e) => set('partnerId', e.currentTarget.value)}
              data={[{ value: '', label: t('console.directory.form.noPartner') }, ...(partners.data ?? []).map((p) => ({ value: p.id, label: partnerLabel(p) }))]}
              error={topError('partnerId')}
            />
          </SimpleGrid>
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="constituent-scope-title">
          <Title order={2} size="h5" mb="xs" id="constituent-scope-title">
            {t('console.directory.form.scope')}
          </Title>
          <ScopeEditor value={{ netblocks: draft.netblocks, asns: draft.asns, domains: draft.domains }} onChange={(kind: ScopeKind, text) => set(kind, text)} errors={errors?.top ?? {}} />
        </Paper>
        <Paper withBorder p="sm" component="section" aria-labelledby="constituent-contacts-title">
          <Title order={2} size="h5" mb="xs" id="constituent-contacts-title">
            {t('console.directory.contacts.title')}
          </Title>
          <ContactsEditor contacts={draft.contacts} onChange={(next) => set('contacts', next)} errors={errors?.contacts ?? {}} listErrors={errors?.top.contacts} />
        </Paper>
        {noChanges && (
          <Text size="sm" role="status">
            {t('console.directory.form.noChanges')}
          </Text>
        )}
        <Group>
          <Button size="xs" type="submit" loading={save.isPending}>
            {initial ? t('console.directory.form.save') : t('console.directory.form.create')}
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('console.directory.form.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
