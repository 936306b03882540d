import { Alert, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useConstituents, usePartners } from '../shared/useDirectory.js';
import { useRsitLabels } from '../shared/useTaxonomy.js';
import { useUserName } from '../shared/useUserName.js';
import type { IncidentDetail, IncidentSummary, ReportSummary } from '../types.js';
import { describeHistoryEntry, referencedIds } from './historyText.js';
import type { HistoryLookups, Translate } from './historyText.js';
import { useIncidentHistory } from './useIncident.js';
import type { IncidentActions } from './useIncident.js';

/** Names for the ids in the timeline: what the incident holds, plus reports and incidents it no longer holds. */
function useLookups(incident: IncidentDetail, reportIds: string[], incidentIds: string[], sampleIds: string[]): HistoryLookups {
  const { i18n } = useTranslation();
  const userName = useUserName();
  const partners = usePartners();
  const constituents = useConstituents();
  const { classLabel, typeLabel } = useRsitLabels();
  const known = new Map(incident.reports.map((r) => [r.id, r.trackingNumber]));
  const missingReports = reportIds.filter((id) => !known.has(id));
  const fetchedReports = useQueries({
    queries: missingReports.map((id) => ({ queryKey: ['report', id], queryFn: () => api.get<ReportSummary>(`/reports/${id}`), retry: false, staleTime: 60_000 })),
  });
  const fetchedIncidents = useQueries({
    queries: incidentIds.map((id) => ({ queryKey: ['incident', id], queryFn: () => api.get<IncidentSummary>(`/incidents/${id}`), retry: false, staleTime: 60_000 })),
  });
  const fetchedSamples = useQueries({
    queries: sampleIds.map((id) => ({ queryKey: ['sample', id], queryFn: () => api.get<{ id: string; fileName: string | null }>(`/samples/${id}`), retry: false, staleTime: 60_000 })),
  });
  for (const q of fetchedReports) if (q.data) known.set(q.data.id, q.data.trackingNumber);
  const samples = new Map(fetchedSamples.flatMap((q) => (q.data?.fileName ? [[q.data.id, q.data.fileName] as const] : [])));
  const incidents = new Map<string, string>([[incident.id, incident.number]]);
  for (const q of fetchedIncidents) if (q.data) incidents.set(q.data.id, q.data.number);
  return {
    reportNumber: (id) => known.get(id) ?? null,
    incidentNumber: (id) => incidents.get(id) ?? null,
    partnerName: (id) => {
      const p = partners.data?.find((x) => x.id === id);
      if (!p) return null;
      return i18n.language === 'en' ? `${p.shortName} (${p.nameEn})` : `${p.shortName}（${p.nameZh}）`;
    },
    userName,
    constituentName: (id) => constituents.data?.find((x) => x.id === id)?.name ?? null,
    taskTitle: (id) => incident.tasks.find((x) => x.id === id)?.title ?? null,
    handoffPartnerId: (id) => incident.handoffs.find((x) => x.id === id)?.partnerId ?? null,
    rsitClassLabel: (id) => classLabel(id),
    rsitTypeLabel: (classId, typeId) => typeLabel(classId ?? incident.rsitClass, typeId),
    sampleName: (id) => samples.get(id) ?? null,
  };
}

/** The incident's timeline: every change, who made it and when (the audit trail for this incident). */
export function HistoryPanel({ incident, actions, readOnly }: { incident: IncidentDetail; actions: IncidentActions; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const history = useIncidentHistory(incident.id);
  const entries = [...(history.data ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const refs = referencedIds(entries);
  const look = useLookups(incident, refs.reports, refs.incidents.filter((id) => id !== incident.id), refs.samples);
  // Keys built at run time: the web-logic test checks that every key this file uses exists.
  const translate: Translate = (key, params) => String(t(key as never, params as never));
  const undone = new Set(entries.filter((e) => e.action === 'merge_undone').map((e) => String(e.changes.mergeId)));
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="history-title">
      <Title order={2} size="h5" mb="xs" id="history-title">
        {t('console.incident.history')}
      </Title>
      <Stack gap={4} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="timeline">
        {entries.map((entry) => {
          const sentences = describeHistoryEntry(entry, translate, look);
          return (
            <li key={entry.id}>
              <Text size="xs">
                <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language)}</time> · {look.userName(entry.actorId)} ·{' '}
                <Text span fw={600} size="xs">
                  {sentences.length > 0 ? sentences.join(t('console.timeline.sentenceSeparator')) : t(`console.actions.${entry.action}`, { defaultValue: entry.action })}
                </Text>
              </Text>
              {/* A merge can be undone later too: its id is in the history entry. */}
              {!readOnly && entry.action === 'merged_in' && typeof entry.changes.mergeId === 'string' && !undone.has(entry.changes.mergeId) && (
                <Button
                  size="compact-xs"
                  variant="outline"
                  mt={2}
                  loading={actions.undoMerge.isPending}
                  onClick={() => actions.undoMerge.mutate(String(entry.changes.mergeId))}
                >
                  {t('console.linked.undoMerge')}
                </Button>
              )}
            </li>
          );
        })}
      </Stack>
      {actions.undoMerge.isError && (
        <Alert color="red" mt="xs">
          {actions.undoMerge.error.message}
        </Alert>
      )}
      {!history.isPending && entries.length === 0 && <Text size="sm">{t('console.history.none')}</Text>}
    </Paper>
  );
}
