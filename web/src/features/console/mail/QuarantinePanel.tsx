import { useState } from 'react';
import { Alert, Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, API_BASE } from '../../../lib/api.js';
import { formatBytes, formatDateTime } from '../../../lib/format.js';
import { TableScroll } from '../shared/TableScroll.js';
import type { QuarantineItem, ReleaseOutcome } from './types.js';

const QUARANTINE_KEY = ['mail', 'quarantine'] as const;

function ReleaseResult({ outcome }: { outcome: ReleaseOutcome }) {
  const { t } = useTranslation();
  if (outcome.outcome === 'processed') {
    return (
      <Alert color="green" role="status">
        {t('console.mail.quarantine.outcome.processed')}{' '}
        {outcome.reportId && (
          <Anchor component={Link} to={`/console/reports/${outcome.reportId}`}>
            {t('console.mail.quarantine.openReport')}
          </Anchor>
        )}
      </Alert>
    );
  }
  if (outcome.outcome === 'quarantined') {
    const reason = outcome.code ? t(`console.mail.quarantine.reasons.${outcome.code}`, { defaultValue: outcome.code }) : '';
    return (
      <Alert color="yellow" role="status">
        {t('console.mail.quarantine.outcome.quarantined', { reason })}
      </Alert>
    );
  }
  return (
    <Alert color="yellow" role="status">
      {t('console.mail.quarantine.outcome.pending')}
    </Alert>
  );
}

/** Inbound mail that could not be read or filed: the reason, the raw message, and a way to process it again. */
export function QuarantinePanel() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: QUARANTINE_KEY, queryFn: () => api.get<{ items: QuarantineItem[] }>('/mail/quarantine') });
  const [result, setResult] = useState<ReleaseOutcome | null>(null);
  const release = useMutation({
    mutationFn: (id: string) => api.post<ReleaseOutcome>(`/mail/quarantine/${id}/release`),
    onSuccess: (outcome) => {
      setResult(outcome);
      return Promise.all([client.invalidateQueries({ queryKey: QUARANTINE_KEY }), client.invalidateQueries({ queryKey: ['reports'] })]);
    },
  });

  if (list.isPending) return <PageLoader />;
  if (list.isError) return <Alert color="red">{list.error.message}</Alert>;
  const items = list.data.items;
  return (
    <Stack gap="sm">
      <Text size="sm">{t('console.mail.quarantine.intro')}</Text>
      {result && <ReleaseResult outcome={result} />}
      {release.isError && <Alert color="red">{release.error.message}</Alert>}
      {items.length === 0 ? (
        <Text size="sm" data-testid="quarantine-empty">
          {t('console.mail.quarantine.empty')}
        </Text>
      ) : (
        <TableScroll label={t('console.mail.tabs.quarantine')} minWidth={720}>
          <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="quarantine">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.mail.quarantine.received')}</Table.Th>
                <Table.Th>{t('console.mail.quarantine.from')}</Table.Th>
                <Table.Th>{t('console.mail.quarantine.subject')}</Table.Th>
                <Table.Th>{t('console.mail.quarantine.reason')}</Table.Th>
                <Table.Th>{t('console.mail.quarantine.size')}</Table.Th>
                <Table.Th>{t('console.mail.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => {
                const subject = m.subject ?? t('console.mail.noSubject');
                return (
                  <Table.Tr key={m.id} data-row>
                    <Table.Td>
                      <time dateTime={m.receivedAt}>{formatDateTime(m.receivedAt, i18n.language)}</time>
                      <Text size="xs">{t(`console.mail.quarantine.sources.${m.source}`, { defaultValue: m.source })}</Text>
                    </Table.Td>
                    <Table.Td className="wrap-narrow">{m.from ?? t('console.mail.unknownSender')}</Table.Td>
                    <Table.Td className="wrap-narrow">{subject}</Table.Td>
                    <Table.Td className="wrap-narrow">
                      <Text size="sm" fw={600}>
                        {t(`console.mail.quarantine.reasons.${m.code}`, { defaultValue: m.code })}
                      </Text>
                      {m.detail && (
                        <Text size="xs" className="mono pre-wrap">
                          {m.detail}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{formatBytes(m.size, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          component="a"
                          size="compact-xs"
                          variant="outline"
                          href={`${API_BASE}/mail/quarantine/${encodeURIComponent(m.id)}/raw`}
                          download={`${m.id}.eml`}
                          aria-label={t('console.mail.quarantine.downloadOf', { subject })}
                        >
                          {t('console.mail.quarantine.download')}
                        </Button>
                        <Button
                          size="compact-xs"
                          loading={release.isPending && release.variables === m.id}
                          onClick={() => release.mutate(m.id)}
                          aria-label={t('console.mail.quarantine.releaseOf', { subject })}
                        >
                          {t('console.mail.quarantine.release')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Stack>
  );
}
