import { Anchor, Button, CopyButton, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import '../../../i18n/malware.js';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { VerdictBadge } from '../malware/badges.js';
import type { SampleSummary } from '../malware/types.js';
import { TableScroll } from '../shared/TableScroll.js';

interface IncidentIndicator {
  id: string;
  kind: string;
  /** The live value: shown as text for block lists, never as a link. */
  value: string;
  sampleId: string | null;
  addedBy: string | null;
  addedAt: string;
}

/** Malware samples linked to the incident and the indicators taken from them (staff only). */
export function SamplesPanel({ incidentId }: { incidentId: string }) {
  const { t, i18n } = useTranslation();
  const samples = useQuery({ queryKey: ['incident', incidentId, 'samples'], queryFn: () => api.get<{ items: (SampleSummary & { linkedAt: string })[] }>(`/incidents/${incidentId}/samples`) });
  const indicators = useQuery({ queryKey: ['incident', incidentId, 'indicators'], queryFn: () => api.get<{ items: IncidentIndicator[] }>(`/incidents/${incidentId}/indicators`) });
  const sampleItems = samples.data?.items ?? [];
  const indicatorItems = indicators.data?.items ?? [];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="incident-samples-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h5" id="incident-samples-title">
            {t('console.malware.incident.title')}
          </Title>
          <Anchor component={Link} to="/console/samples" size="sm">
            {t('console.malware.incident.submit')}
          </Anchor>
        </Group>
        {sampleItems.length === 0 ? (
          <Text size="sm">{t('console.malware.incident.noSamples')}</Text>
        ) : (
          <ul className="plain-list" data-testid="incident-samples">
            {sampleItems.map((s) => (
              <li key={s.id}>
                <Group gap="xs">
                  <Anchor component={Link} to={`/console/samples/${s.id}`} size="sm">
                    {s.fileName ?? `${s.sha256.slice(0, 16)}…`}
                  </Anchor>
                  <VerdictBadge verdict={s.verdict} score={s.score} />
                  <Text size="xs">{formatDateTime(s.linkedAt, i18n.language)}</Text>
                </Group>
              </li>
            ))}
          </ul>
        )}
        {indicatorItems.length > 0 && (
          <>
            <Group justify="space-between">
              <Title order={3} size="h6">
                {t('console.malware.incident.indicators', { count: indicatorItems.length })}
              </Title>
              <CopyButton value={indicatorItems.map((i) => i.value).join('\n')}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="outline" onClick={copy} aria-live="polite">
                    {copied ? t('common.copied') : t('console.malware.incident.copyAll')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Text size="xs">{t('console.malware.incident.live')}</Text>
            <TableScroll label={t('console.malware.incident.indicators', { count: indicatorItems.length })} minWidth={420}>
              <Table verticalSpacing={2} fz="xs" data-testid="incident-indicators">
                <Table.Tbody>
                  {indicatorItems.map((i) => (
                    <Table.Tr key={i.id}>
                      <Table.Td>{t(`console.malware.indicatorKinds.${i.kind}` as 'console.malware.indicatorKinds.urls', { defaultValue: i.kind })}</Table.Td>
                      <Table.Td className="mono" style={{ overflowWrap: 'anywhere' }}>
                        {i.value}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableScroll>
          </>
        )}
      </Stack>
    </Paper>
  );
}
