import { useState } from 'react';
import { Alert, Anchor, Button, Checkbox, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../lib/api.js';
import { IncidentPicker } from '../shared/IncidentPicker.js';
import type { Page, ReportSummary } from '../types.js';
import type { IncidentActions } from './useIncident.js';

function LinkReportsDialog({ onClose, actions }: { onClose: () => void; actions: IncidentActions }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const results = useQuery({
    queryKey: ['report-picker', q],
    queryFn: ({ signal }) => api.get<Page<ReportSummary>>('/reports', { query: { status: 'new', q: q.trim() || undefined, limit: 20 }, signal }),
  });
  return (
    <Modal opened onClose={onClose} title={t('console.linked.linkTitle')}>
      <Stack gap="sm">
        <TextInput label={t('console.filters.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus />
        <Checkbox.Group value={chosen} onChange={setChosen} label={t('console.linked.newReports')}>
          <Stack gap={4} mt={4}>
            {(results.data?.items ?? []).map((r) => (
              <Checkbox key={r.id} value={r.id} label={`${r.trackingNumber} · ${r.title ?? r.excerpt.slice(0, 60)}`} />
            ))}
          </Stack>
        </Checkbox.Group>
        {actions.linkReports.isError && <Alert color="red">{actions.linkReports.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="subtle" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={chosen.length === 0} loading={actions.linkReports.isPending} onClick={() => actions.linkReports.mutate(chosen, { onSuccess: onClose })}>
            {t('console.triage.link')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MergeDialog({ incidentId, onClose, onMerged, actions }: { incidentId: string; onClose: () => void; onMerged: (mergeId: string) => void; actions: IncidentActions }) {
  const { t } = useTranslation();
  const [source, setSource] = useState('');
  return (
    <Modal opened onClose={onClose} title={t('console.linked.mergeTitle')}>
      <Stack gap="sm">
        <Text size="sm">{t('console.linked.mergeHelp')}</Text>
        <IncidentPicker value={source} onChange={setSource} excludeId={incidentId} />
        {actions.merge.isError && <Alert color="red">{actions.merge.error.message}</Alert>}
        <Group justify="flex-end">
          <Button variant="subtle" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            disabled={!source}
            loading={actions.merge.isPending}
            onClick={() =>
              actions.merge.mutate(source, {
                onSuccess: (result) => {
                  onMerged(result.mergeId);
                  onClose();
                },
              })
            }
          >
            {t('console.linked.merge')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function LinkedReportsPanel({ incidentId, reports, actions, readOnly }: { incidentId: string; reports: ReportSummary[]; actions: IncidentActions; readOnly: boolean }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'link' | 'merge' | null>(null);
  const [mergeId, setMergeId] = useState<string | null>(null);
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="linked-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="linked-title">
          {t('console.incident.reports', { count: reports.length })}
        </Title>
        {!readOnly && (
          <Group gap="xs">
            <Button size="compact-xs" variant="outline" onClick={() => setDialog('link')}>
              {t('console.linked.link')}
            </Button>
            <Button size="compact-xs" variant="outline" onClick={() => setDialog('merge')}>
              {t('console.linked.merge')}
            </Button>
          </Group>
        )}
      </Group>
      {mergeId && (
        <Alert color="blue" mb="xs" role="status">
          <Group justify="space-between">
            <span>{t('console.linked.merged')}</span>
            <Button size="compact-xs" variant="outline" loading={actions.undoMerge.isPending} onClick={() => actions.undoMerge.mutate(mergeId, { onSuccess: () => setMergeId(null) })}>
              {t('console.linked.undoMerge')}
            </Button>
          </Group>
        </Alert>
      )}
      {actions.undoMerge.isError && <Alert color="red">{actions.undoMerge.error.message}</Alert>}
      <Stack gap={4}>
        {reports.map((r) => (
          <Group key={r.id} justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" lineClamp={1}>
              <Anchor component={Link} to={`/console/reports/${r.id}`} className="mono" size="sm">
                {r.trackingNumber}
              </Anchor>{' '}
              {r.title ?? r.excerpt}
            </Text>
            {!readOnly && (
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => actions.unlinkReport.mutate(r.id)} aria-label={t('console.linked.unlinkN', { number: r.trackingNumber })}>
                {t('console.linked.unlink')}
              </Button>
            )}
          </Group>
        ))}
        {reports.length === 0 && <Text size="sm">{t('console.linked.none')}</Text>}
      </Stack>
      {dialog === 'link' && <LinkReportsDialog onClose={() => setDialog(null)} actions={actions} />}
      {dialog === 'merge' && <MergeDialog incidentId={incidentId} onClose={() => setDialog(null)} onMerged={setMergeId} actions={actions} />}
    </Paper>
  );
}
