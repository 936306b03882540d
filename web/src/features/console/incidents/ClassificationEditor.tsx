import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.js';
import { useConstituents } from '../shared/useDirectory.js';
import { useRsitLabels, useTaxonomy } from '../shared/useTaxonomy.js';
import { useUserName } from '../shared/useUserName.js';
import { TLP_VALUES, TRANSITIONS } from '../types.js';
import type { IncidentDetail, IncidentState } from '../types.js';
import type { IncidentActions, IncidentPatch } from './useIncident.js';

interface Draft {
  state: string;
  rsitClass: string;
  rsitType: string;
  tlp: string;
  level: string;
  sector: string;
  constituentId: string;
}

function draftOf(incident: IncidentDetail): Draft {
  return {
    state: incident.state,
    rsitClass: incident.rsitClass ?? '',
    rsitType: incident.rsitType ?? '',
    tlp: incident.tlp,
    level: incident.level === null ? '' : String(incident.level),
    sector: incident.sector ?? '',
    constituentId: incident.constituentId ?? '',
  };
}

/** Only the fields that changed go to PATCH. */
function patchOf(before: Draft, after: Draft): IncidentPatch {
  const patch: IncidentPatch = {};
  const orNull = (v: string) => (v === '' ? null : v);
  if (after.state !== before.state) patch.state = after.state;
  if (after.rsitClass !== before.rsitClass || after.rsitType !== before.rsitType) {
    patch.rsitClass = orNull(after.rsitClass);
    patch.rsitType = orNull(after.rsitType);
  }
  if (after.tlp !== before.tlp) patch.tlp = after.tlp;
  if (after.level !== before.level) patch.level = after.level === '' ? null : Number(after.level);
  if (after.sector !== before.sector) patch.sector = orNull(after.sector);
  if (after.constituentId !== before.constituentId) patch.constituentId = orNull(after.constituentId);
  return patch;
}

export function ClassificationEditor({ incident, actions, readOnly }: { incident: IncidentDetail; actions: IncidentActions; readOnly: boolean }) {
  const { t } = useTranslation();
  const { data: taxonomy } = useTaxonomy();
  const { classLabel, typeLabel } = useRsitLabels();
  const { data: constituents } = useConstituents();
  const { data: session } = useSession();
  const userName = useUserName();
  const initial = draftOf(incident);
  const [draft, setDraft] = useState<Draft>(initial);
  const [saved, setSaved] = useState(false);
  const patch = patchOf(initial, draft);
  const dirty = Object.keys(patch).length > 0;
  const set = (key: keyof Draft, value: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value, ...(key === 'rsitClass' ? { rsitType: '' } : {}) }));
  };
  const states = [incident.state, ...(TRANSITIONS[incident.state as IncidentState] ?? [])];
  const types = taxonomy?.rsit.find((c) => c.id === draft.rsitClass)?.types ?? [];
  const unset = { value: '', label: t('console.filters.unset') };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!dirty) return;
    actions.update.mutate(patch, { onSuccess: () => setSaved(true) });
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="classification-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="xs">
          <Title order={2} size="h5" id="classification-title">
            {t('console.incident.classification')}
          </Title>
          <NativeSelect size="xs" id="incident-state" label={t('console.incident.state')} value={draft.state} disabled={readOnly} onChange={(e) => set('state', e.currentTarget.value)} data={states.map((s) => ({ value: s, label: t(`console.states.${s}`, { defaultValue: s }) }))} />
          <NativeSelect size="xs" id="incident-rsit-class" label={t('console.incident.rsitClass')} value={draft.rsitClass} disabled={readOnly} onChange={(e) => set('rsitClass', e.currentTarget.value)} data={[unset, ...(taxonomy?.rsit ?? []).map((c) => ({ value: c.id, label: classLabel(c.id) }))]} />
          <NativeSelect size="xs" id="incident-rsit-type" label={t('console.incident.rsitType')} value={draft.rsitType} disabled={readOnly || types.length === 0} onChange={(e) => set('rsitType', e.currentTarget.value)} data={[unset, ...types.map((x) => ({ value: x.id, label: typeLabel(draft.rsitClass, x.id) }))]} />
          <NativeSelect size="xs" id="incident-tlp" label="TLP" value={draft.tlp} disabled={readOnly} onChange={(e) => set('tlp', e.currentTarget.value)} data={[...TLP_VALUES]} />
          <NativeSelect
            size="xs"
            id="incident-level"
            label={t('console.incident.level')}
            description={t('console.incident.levelHelp')}
            value={draft.level}
            disabled={readOnly}
            onChange={(e) => set('level', e.currentTarget.value)}
            data={[unset, ...['1', '2', '3', '4'].map((l) => ({ value: l, label: t('console.incident.levelN', { level: l }) }))]}
          />
          <NativeSelect size="xs" id="incident-sector" label={t('console.filters.sector')} value={draft.sector} disabled={readOnly} onChange={(e) => set('sector', e.currentTarget.value)} data={[unset, ...(taxonomy?.sectors ?? []).map((s) => ({ value: s, label: t(`console.sectors.${s}`, { defaultValue: s }) }))]} />
          <NativeSelect size="xs" id="incident-constituent" label={t('console.filters.constituent')} value={draft.constituentId} disabled={readOnly} onChange={(e) => set('constituentId', e.currentTarget.value)} data={[unset, ...(constituents ?? []).map((c) => ({ value: c.id, label: c.name }))]} />
          {actions.update.isError && (
            <Alert color="red" role="alert">
              {actions.update.error.message}
            </Alert>
          )}
          {saved && !dirty && (
            <Text size="xs" role="status">
              {t('console.incident.saved')}
            </Text>
          )}
          {!readOnly && (
            <Group gap="xs">
              <Button size="xs" type="submit" disabled={!dirty} loading={actions.update.isPending}>
                {t('common.save')}
              </Button>
              {dirty && (
                <Button size="xs" variant="subtle" onClick={() => setDraft(initial)}>
                  {t('common.cancel')}
                </Button>
              )}
            </Group>
          )}
          <Text size="sm">
            {t('console.incident.owner')}: {incident.ownerId ? userName(incident.ownerId) : t('console.incident.unassigned')}
          </Text>
          {!readOnly && session && incident.ownerId !== session.user.id && (
            <Button size="xs" variant="outline" onClick={() => actions.update.mutate({ ownerId: session.user.id })} loading={actions.update.isPending}>
              {t('console.incident.assignToMe')}
            </Button>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
