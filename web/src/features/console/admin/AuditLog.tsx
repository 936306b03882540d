import { Alert, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import type { AuditEntry } from '../types.js';
import { LoadMore } from '../shared/LoadMore.js';

const PAGE = 100;

/** The append-only, hash-chained audit log, newest first. */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const audit = useInfiniteQuery({
    queryKey: ['audit'],
    queryFn: ({ pageParam }) => api.get<AuditEntry[]>('/audit', { query: { limit: PAGE, beforeSeq: pageParam ?? undefined } }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => (last.length === PAGE ? (last[last.length - 1]?.seq ?? null) : null),
  });
  const rows = audit.data?.pages.flat() ?? [];
  return (
    <Stack gap="sm">
      {audit.isError && <Alert color="red">{audit.error.message}</Alert>}
      <Table.ScrollContainer minWidth={800}>
        <Table striped verticalSpacing={2} fz="xs" className="dense-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t('console.audit.at')}</Table.Th>
              <Table.Th>{t('console.audit.actor')}</Table.Th>
              <Table.Th>{t('console.audit.action')}</Table.Th>
              <Table.Th>{t('console.audit.target')}</Table.Th>
              <Table.Th>IP</Table.Th>
              <Table.Th>{t('console.audit.hash')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.seq}>
                <Table.Td>{e.seq}</Table.Td>
                <Table.Td>{formatDateTime(e.at, i18n.language)}</Table.Td>
                <Table.Td>{e.actorLabel}</Table.Td>
                <Table.Td className="mono">{e.action}</Table.Td>
                <Table.Td className="mono">{e.targetType ? `${e.targetType}:${(e.targetId ?? '').slice(0, 8)}` : '—'}</Table.Td>
                <Table.Td className="mono">{e.ip ?? '—'}</Table.Td>
                <Table.Td className="mono">{e.hash.slice(0, 12)}…</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!audit.isPending && rows.length === 0 && <Text size="sm">{t('console.history.none')}</Text>}
      <LoadMore list={audit} />
    </Stack>
  );
}
