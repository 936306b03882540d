import { useRef } from 'react';
import { Alert, Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import type { IncidentSummary, Page } from '../types.js';
import { useSession } from '../auth/session.js';
import { DeadlineText } from '../shared/DeadlineText.js';
import { LevelBadge, StateBadge, TlpBadge } from '../shared/badges.js';
import { useListKeyboard } from '../shared/useListKeyboard.js';
import { useNow } from '../shared/useNow.js';
import { useRsitLabels } from '../shared/useTaxonomy.js';
import { filtersFromParams, filtersToParams, filtersToQuery } from './incidentFilters.js';
import { IncidentFilterBar } from './IncidentFilterBar.js';
import { LoadMore } from '../shared/LoadMore.js';

const PAGE_SIZE = 50;

export function IncidentQueue() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { data: session } = useSession();
  const filters = filtersFromParams(params);
  const query = filtersToQuery(filters, session?.user.id);
  const now = useNow();
  const { classLabel } = useRsitLabels();
  const listRef = useRef<HTMLDivElement>(null);
  useListKeyboard(listRef, 'queue-search');

  const incidents = useInfiniteQuery({
    queryKey: ['incidents', query],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<IncidentSummary>>('/incidents', { query: { ...query, limit: PAGE_SIZE, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = incidents.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm">
      <IncidentFilterBar
        key={params.toString()}
        filters={filters}
        onChange={(next) => setParams(filtersToParams(next, params), { replace: true })}
        currentQuery={filtersToParams(filters).toString()}
        onApplySaved={(saved) => {
          const next = new URLSearchParams(saved);
          if (params.get('tab')) next.set('tab', params.get('tab') ?? '');
          setParams(next, { replace: true });
        }}
      />
      <Text size="xs">{t('console.queue.keys')}</Text>
      {incidents.isError && <Alert color="red">{incidents.error.message}</Alert>}
      <div ref={listRef}>
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing={4} fz="sm" className="dense-table" aria-label={t('console.queue.incidents')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.incident.number')}</Table.Th>
                <Table.Th>{t('console.incident.title')}</Table.Th>
                <Table.Th>{t('console.incident.state')}</Table.Th>
                <Table.Th>{t('console.incident.level')}</Table.Th>
                <Table.Th>{t('console.incident.rsitClass')}</Table.Th>
                <Table.Th>TLP</Table.Th>
                <Table.Th>{t('console.incident.nextDeadline')}</Table.Th>
                <Table.Th>{t('console.incident.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((incident) => (
                <Table.Tr key={incident.id} data-row>
                  <Table.Td>
                    <Anchor component={Link} to={`/console/incidents/${incident.id}`} data-row-link className="mono" size="sm">
                      {incident.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="wrap">{incident.title}</Table.Td>
                  <Table.Td>
                    <StateBadge state={incident.state} />
                  </Table.Td>
                  <Table.Td>
                    <LevelBadge level={incident.level} />
                  </Table.Td>
                  <Table.Td>{classLabel(incident.rsitClass)}</Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={incident.tlp} />
                  </Table.Td>
                  <Table.Td>
                    {incident.nextDeadline ? (
                      <DeadlineText {...incident.nextDeadline} now={now} />
                    ) : (
                      <Text size="sm" span>
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(incident.updatedAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
      {!incidents.isPending && rows.length === 0 && <Text>{t('console.queue.emptyIncidents')}</Text>}
      <Group>
        <LoadMore list={incidents} />
        <Text size="xs">{t('console.queue.shown', { count: rows.length })}</Text>
      </Group>
    </Stack>
  );
}
