import { Alert, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.js';
import { useUserName } from '../shared/useUserName.js';
import { useIncidentHistory } from './useIncident.js';
import type { IncidentActions } from './useIncident.js';

function describeChanges(changes: Record<string, unknown>): string {
  return Object.entries(changes)
    .map(([key, value]) => {
      if (value && typeof value === 'object' && 'from' in value && 'to' in value) {
        const v = value as { from: unknown; to: unknown };
        return `${key}: ${String(v.from ?? '—')} → ${String(v.to ?? '—')}`;
      }
      return `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    })
    .join('; ');
}

/** The incident's timeline: every change, who made it and when (the audit trail for this incident). */
export function HistoryPanel({ incidentId, actions, readOnly }: { incidentId: string; actions: IncidentActions; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const userName = useUserName();
  const history = useIncidentHistory(incidentId);
  const entries = [...(history.data ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const undone = new Set(entries.filter((e) => e.action === 'merge_undone').map((e) => String(e.changes.mergeId)));
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="history-title">
      <Title order={2} size="h5" mb="xs" id="history-title">
        {t('console.incident.history')}
      </Title>
      <Stack gap={4} component="ol" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {entries.map((entry) => (
          <li key={entry.id}>
            <Text size="xs">
              <time dateTime={entry.at}>{formatDateTime(entry.at, i18n.language)}</time> · {userName(entry.actorId)} ·{' '}
              <Text span fw={600} size="xs">
                {t(`console.actions.${entry.action}`, { defaultValue: entry.action })}
              </Text>
              {Object.keys(entry.changes).length > 0 && ` · ${describeChanges(entry.changes)}`}
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
        ))}
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
