import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { OUTBOX_STATES } from './types.js';
import { TableScroll } from '../shared/TableScroll.js';
import type { OutboxItem, OutboxPage } from './types.js';
import { LoadMore } from '../shared/LoadMore.js';

const STATE_COLOR: Record<string, string> = { queued: 'blue', sent: 'green', failed: 'red', bounced: 'orange' };

export function OutboxStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATE_COLOR[state] ?? 'gray'}>
      {t(`console.mail.outbox.states.${state}`, { defaultValue: state })}
    </Badge>
  );
}

function protection(item: OutboxItem): 'encrypted' | 'signed' | 'pending' {
  if (item.encrypted === null) return 'pending'; // decided when the message is composed for sending
  return item.encrypted ? 'encrypted' : 'signed';
}

/** Mail the system sends (acknowledgements, replies, notices) and where each one stands. */
export function OutboxPanel({ canRetry }: { canRetry: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [state, setState] = useState('');
  const outbox = useInfiniteQuery({
    queryKey: ['mail', 'outbox', state],
    queryFn: ({ pageParam }) => api.get<OutboxPage>('/mail/outbox', { query: { state: state || undefined, cursor: pageParam, limit: 50 } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const retry = useMutation({
    mutationFn: (id: string) => api.post<OutboxItem>(`/mail/outbox/${id}/retry`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['mail', 'outbox'] }),
  });

  const items = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = outbox.data?.pages[0]?.counts ?? {};
  return (
    <Stack gap="sm">
      <Text size="sm">{t('console.mail.outbox.intro')}</Text>
      <Group gap="md" align="flex-end">
        <NativeSelect
          size="xs"
          id="outbox-state"
          label={t('console.mail.outbox.state')}
          value={state}
          onChange={(e) => setState(e.currentTarget.value)}
          data={[{ value: '', label: t('console.filters.all') }, ...OUTBOX_STATES.map((s) => ({ value: s, label: t(`console.mail.outbox.states.${s}`) }))]}
        />
        <Group gap="xs" data-testid="outbox-counts" aria-label={t('console.mail.outbox.countsLabel')} role="group">
          {OUTBOX_STATES.map((s) => (
            <Text size="sm" key={s}>
              {t(`console.mail.outbox.states.${s}`)}: <b>{counts[s] ?? 0}</b>
            </Text>
          ))}
        </Group>
      </Group>
      {outbox.isPending && <PageLoader />}
      {outbox.isError && <Alert color="red">{outbox.error.message}</Alert>}
      {retry.isError && <Alert color="red">{retry.error.message}</Alert>}
      {outbox.isSuccess && items.length === 0 && (
        <Text size="sm" data-testid="outbox-empty">
          {t('console.mail.outbox.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <TableScroll label={t('console.mail.tabs.outbox')} minWidth={760}>
          <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="outbox">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.mail.outbox.created')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.kind')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.to')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.subject')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.state')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.protection')}</Table.Th>
                <Table.Th>{t('console.mail.outbox.delivery')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => (
                <Table.Tr key={m.id} data-row>
                  <Table.Td>
                    <time dateTime={m.createdAt}>{formatDateTime(m.createdAt, i18n.language)}</time>
                  </Table.Td>
                  <Table.Td>
                    {t(`console.mail.outbox.kinds.${m.kind}`, { defaultValue: m.kind })}
                    {m.reportId && (
                      <Text size="xs">
                        <Anchor component={Link} to={`/console/reports/${m.reportId}`}>
                          {t('console.mail.outbox.openReport')}
                        </Anchor>
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="wrap-narrow">{m.to.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ')}</Table.Td>
                  <Table.Td className="wrap-narrow">{m.subject}</Table.Td>
                  <Table.Td>
                    <OutboxStateBadge state={m.state} />
                  </Table.Td>
                  <Table.Td>{t(`console.mail.outbox.protectionValues.${protection(m)}`)}</Table.Td>
                  <Table.Td className="wrap-narrow">
                    <Text size="xs">
                      {m.sentAt ? t('console.mail.outbox.sentAt', { when: formatDateTime(m.sentAt, i18n.language) }) : t('console.mail.outbox.attempts', { count: m.attempts })}
                    </Text>
                    {m.lastError && (
                      <Text size="xs" className="mono pre-wrap">
                        {m.lastError}
                      </Text>
                    )}
                    {canRetry && (m.state === 'failed' || m.state === 'bounced') && (
                      <Button size="compact-xs" variant="outline" mt={2} loading={retry.isPending && retry.variables === m.id} onClick={() => retry.mutate(m.id)}>
                        {t('console.mail.outbox.retry')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <LoadMore list={outbox} />
    </Stack>
  );
}
