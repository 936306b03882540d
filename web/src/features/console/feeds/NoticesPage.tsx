import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useSession } from '../auth/session.js';
import { TableScroll } from '../shared/TableScroll.js';
import { ConstituentFilter, FilterChip, isStaff, NoticeStateBadge, useFeedSources } from './shared.js';
import { NOTICE_STATES } from './types.js';
import type { Notice, Page } from './types.js';
import { LoadMore } from '../shared/LoadMore.js';

type Filter = 'state' | 'constituentId' | 'feedSourceId' | 'importId';

/** Notices newest first, by state (chips), constituent, and the feed or import they came from. */
export default function NoticesPage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const role = session?.user.role;
  const staff = isStaff(role);
  const [params, setParams] = useSearchParams();
  const f = (k: Filter) => params.get(k) ?? '';
  const setFilter = (k: Filter, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const feeds = useFeedSources(staff);
  useDocumentTitle(t('console.feeds.notices.title'));

  const query = { state: f('state'), constituentId: f('constituentId'), feedSourceId: f('feedSourceId'), importId: f('importId') };
  const list = useInfiniteQuery({
    queryKey: ['notices', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<Notice>>('/notices', { query: { ...query, limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const scope = { constituentId: query.constituentId, feedSourceId: query.feedSourceId, importId: query.importId };
  const counts = useQuery({ queryKey: ['notices', 'counts', scope], queryFn: ({ signal }) => api.get<{ total: number; byState: Record<string, number> }>('/notices/counts', { query: scope, signal }) });
  const countOf = (state: string) => (counts.data ? (state === '' ? counts.data.total : (counts.data.byState[state] ?? 0)) : null);
  const feedName = feeds.data?.find((s) => s.id === f('feedSourceId'))?.name;

  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        {t('console.feeds.notices.title')}
      </Title>
      <Group gap={6} role="group" aria-label={t('console.feeds.notices.stateFilter')} data-testid="notice-state-chips">
        {(['', ...NOTICE_STATES] as const).map((s) => {
          const active = f('state') === s;
          const n = countOf(s);
          return (
            <Button key={s || 'all'} size="compact-sm" radius="xl" variant={active ? 'filled' : 'default'} aria-pressed={active} onClick={() => setFilter('state', s)} data-state={s || 'all'}>
              {s === '' ? t('console.filters.all') : t(`console.feeds.noticeStates.${s}`)}
              {n !== null && (
                <Text span size="xs" ml={6} fw={700} data-testid="state-count">
                  {n}
                </Text>
              )}
            </Button>
          );
        })}
      </Group>
      <Group gap="sm" align="flex-end">
        {(staff || role === 'constituent') && <ConstituentFilter id="notices-constituent" value={f('constituentId')} onChange={(v) => setFilter('constituentId', v)} />}
        {f('feedSourceId') && <FilterChip label={t('console.feeds.notices.ofFeed', { name: feedName ?? f('feedSourceId').slice(0, 8) })} clearLabel={t('console.feeds.notices.clear')} onClear={() => setFilter('feedSourceId', '')} />}
        {f('importId') && <FilterChip testId="notices-import-filter" label={t('console.feeds.events.ofImport', { id: f('importId').slice(0, 8) })} clearLabel={t('console.feeds.notices.clear')} onClear={() => setFilter('importId', '')} />}
      </Group>
      {list.isPending && <PageLoader />}
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isSuccess && items.length === 0 && (
        <Text size="sm" data-testid="notices-empty">
          {t('console.feeds.notices.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <TableScroll label={t('console.feeds.notices.title')} minWidth={960}>
          <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="notices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.feeds.notices.created')}</Table.Th>
                <Table.Th>{t('console.feeds.notices.subject')}</Table.Th>
                <Table.Th>{t('console.filters.constituent')}</Table.Th>
                <Table.Th>{t('console.feeds.notices.recipient')}</Table.Th>
                <Table.Th>{t('console.feeds.notices.events')}</Table.Th>
                <Table.Th>{t('console.feeds.notices.state')}</Table.Th>
                <Table.Th>{t('console.feeds.notices.changed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((n) => {
                const changed = n.resolvedAt ?? n.escalatedAt ?? n.acknowledgedAt ?? n.sentAt;
                return (
                  <Table.Tr key={n.id} data-row>
                    <Table.Td>
                      <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, i18n.language)}</time>
                    </Table.Td>
                    <Table.Td className="wrap-narrow">
                      <Anchor component={Link} to={`/console/notices/${n.id}`} size="sm" data-row-link>
                        {n.subject}
                      </Anchor>
                    </Table.Td>
                    <Table.Td className="wrap-narrow">{n.constituentName ?? n.constituentId.slice(0, 8)}</Table.Td>
                    <Table.Td className="wrap-narrow">{n.recipient}</Table.Td>
                    <Table.Td>{n.eventCount}</Table.Td>
                    <Table.Td>
                      <NoticeStateBadge state={n.state} />
                    </Table.Td>
                    <Table.Td>{changed ? <time dateTime={changed}>{formatDateTime(changed, i18n.language)}</time> : '—'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      <LoadMore list={list} />
    </Stack>
  );
}
