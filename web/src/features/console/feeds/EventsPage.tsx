import { Alert, Anchor, Badge, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { isLanguage } from '../../../i18n/index.js';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useSession } from '../auth/session.js';
import { TableScroll } from '../shared/TableScroll.js';
import { useTaxonomy } from '../shared/useTaxonomy.js';
import { ConstituentFilter, FilterChip, isStaff, useFeedSources } from './shared.js';
import type { FeedEvent, Page, UnmatchedSummary } from './types.js';
import { LoadMore } from '../shared/LoadMore.js';

/** Types IntelMQ keeps beside RSIT (blocklists and the like); the incident taxonomy does not list them. */
const INTELMQ_TYPES = ['blacklist', 'dga-domain', 'proxy', 'tor'] as const;

type Filter = 'constituentId' | 'type' | 'feedSourceId' | 'importId' | 'noticeId' | 'matched' | 'from' | 'to';

/** A datetime-local value (viewer's clock) as ISO 8601, or undefined. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Events without an owner, by country and by network (staff only). */
function UnmatchedPanel() {
  const { t } = useTranslation();
  const summary = useQuery({ queryKey: ['events-unmatched'], queryFn: () => api.get<UnmatchedSummary>('/events/unmatched-summary'), staleTime: 30_000 });
  if (!summary.isSuccess) return null;
  const s = summary.data;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="unmatched-title" data-testid="unmatched-summary">
      <Title order={2} size="h5" id="unmatched-title" mb="xs">
        {t('console.feeds.events.unmatchedTitle', { n: s.total })}
      </Title>
      {s.total === 0 ? (
        <Text size="sm">{t('console.feeds.events.unmatchedNone')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Table verticalSpacing={2} fz="sm" className="dense-table" captionSide="top" aria-labelledby="unmatched-cc">
            <Table.Caption id="unmatched-cc">{t('console.feeds.events.byCountry')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.feeds.events.country')}</Table.Th>
                <Table.Th>{t('console.feeds.events.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byCountry.slice(0, 8).map((r) => (
                <Table.Tr key={r.cc}>
                  <Table.Td>{r.cc === 'unknown' ? t('console.feeds.events.unknown') : r.cc}</Table.Td>
                  <Table.Td>{r.events}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table verticalSpacing={2} fz="sm" className="dense-table" captionSide="top" aria-labelledby="unmatched-asn">
            <Table.Caption id="unmatched-asn">{t('console.feeds.events.byAsn')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ASN</Table.Th>
                <Table.Th>{t('console.feeds.events.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byAsn.slice(0, 8).map((r) => (
                <Table.Tr key={r.asn ?? 'none'}>
                  <Table.Td>{r.asn === null ? t('console.feeds.events.unknown') : `AS${r.asn}`}</Table.Td>
                  <Table.Td>{r.events}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </SimpleGrid>
      )}
    </Paper>
  );
}

/** Events from the feeds, newest first, by constituent, type, feed, import, owner found or not, and time. */
export default function EventsPage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const role = session?.user.role;
  const staff = isStaff(role);
  const canListConstituents = staff || role === 'constituent';
  const [params, setParams] = useSearchParams();
  const f = (k: Filter) => params.get(k) ?? '';
  const setFilter = (k: Filter, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const feeds = useFeedSources(staff);
  const taxonomy = useTaxonomy();
  const language = isLanguage(i18n.language) ? i18n.language : 'zh-TW';
  const feedName = (id: string) => feeds.data?.find((s) => s.id === id)?.name;
  useDocumentTitle(t('console.feeds.events.title'));

  const query = { constituentId: f('constituentId'), type: f('type'), feedSourceId: f('feedSourceId'), importId: f('importId'), noticeId: f('noticeId'), matched: f('matched'), from: toIso(f('from')), to: toIso(f('to')) };
  const list = useInfiniteQuery({
    queryKey: ['events', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<FeedEvent>>('/events', { query: { ...query, limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const typeLabel = (id: string) => {
    if ((INTELMQ_TYPES as readonly string[]).includes(id)) return t(`console.feeds.events.intelmq.${id as (typeof INTELMQ_TYPES)[number]}`);
    for (const c of taxonomy.data?.rsit ?? []) {
      const found = c.types.find((x) => x.id === id);
      if (found) return found.label[language];
    }
    return id;
  };

  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        {t('console.feeds.events.title')}
      </Title>
      <Group gap="sm" align="flex-end" component="form" role="search" aria-label={t('console.feeds.events.filters')} onSubmit={(e) => e.preventDefault()}>
        {canListConstituents && <ConstituentFilter id="events-constituent" value={f('constituentId')} onChange={(v) => setFilter('constituentId', v)} />}
        <NativeSelect
          size="xs"
          id="events-type"
          label={t('console.feeds.events.type')}
          value={f('type')}
          onChange={(e) => setFilter('type', e.currentTarget.value)}
          data={[
            { value: '', label: t('console.filters.all') },
            ...(taxonomy.data?.rsit ?? []).map((c) => ({ group: c.label[language], items: c.types.map((x) => ({ value: x.id, label: x.label[language] })) })),
            { group: t('console.feeds.events.intelmqTypes'), items: INTELMQ_TYPES.map((x) => ({ value: x, label: t(`console.feeds.events.intelmq.${x}`) })) },
          ]}
        />
        {staff && (
          <NativeSelect
            size="xs"
            id="events-feed"
            label={t('console.feeds.events.feed')}
            value={f('feedSourceId')}
            onChange={(e) => setFilter('feedSourceId', e.currentTarget.value)}
            data={[{ value: '', label: t('console.filters.all') }, ...(feeds.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          />
        )}
        <NativeSelect
          size="xs"
          id="events-matched"
          label={t('console.feeds.events.matched')}
          value={f('matched')}
          onChange={(e) => setFilter('matched', e.currentTarget.value)}
          data={[
            { value: '', label: t('console.filters.all') },
            { value: 'true', label: t('console.feeds.events.matchedYes') },
            { value: 'false', label: t('console.feeds.events.matchedNo') },
          ]}
        />
        <TextInput size="xs" type="datetime-local" id="events-from" label={t('console.feeds.events.from')} value={f('from')} onChange={(e) => setFilter('from', e.currentTarget.value)} />
        <TextInput size="xs" type="datetime-local" id="events-to" label={t('console.feeds.events.to')} value={f('to')} onChange={(e) => setFilter('to', e.currentTarget.value)} />
      </Group>
      {f('importId') && <FilterChip testId="events-import-filter" label={t('console.feeds.events.ofImport', { id: f('importId').slice(0, 8) })} clearLabel={t('console.feeds.events.clearImport')} onClear={() => setFilter('importId', '')} />}
      {f('noticeId') && <FilterChip testId="events-notice-filter" label={t('console.feeds.events.ofNotice', { id: f('noticeId').slice(0, 8) })} clearLabel={t('console.feeds.events.clearNotice')} onClear={() => setFilter('noticeId', '')} />}
      {staff && <UnmatchedPanel />}
      {list.isPending && <PageLoader />}
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isSuccess && items.length === 0 && (
        <Text size="sm" data-testid="events-empty">
          {t('console.feeds.events.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <TableScroll label={t('console.feeds.events.title')} minWidth={1000}>
          <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="events">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.feeds.events.firstSeen')}</Table.Th>
                <Table.Th>{t('console.feeds.events.type')}</Table.Th>
                <Table.Th>{t('console.feeds.events.host')}</Table.Th>
                <Table.Th>ASN</Table.Th>
                <Table.Th>{t('console.feeds.events.country')}</Table.Th>
                <Table.Th>{t('console.filters.constituent')}</Table.Th>
                <Table.Th>{t('console.feeds.events.feed')}</Table.Th>
                <Table.Th>{t('console.feeds.events.sightings')}</Table.Th>
                <Table.Th>{t('console.feeds.events.notice')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => {
                const host = e['source.url'] ?? e['source.fqdn'] ?? e['source.ip'] ?? '—';
                const port = e['source.port'] !== null && !e['source.url'] ? `:${e['source.port']}` : '';
                return (
                  <Table.Tr key={e.id} data-row>
                    <Table.Td>
                      <time dateTime={e.firstSeen}>{formatDateTime(e.firstSeen, i18n.language)}</time>
                    </Table.Td>
                    <Table.Td className="wrap-narrow">
                      {typeLabel(e['classification.type'])}
                      {e['classification.identifier'] && (
                        <Text size="xs" c="dimmed" className="mono">
                          {e['classification.identifier']}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="mono wrap-narrow">
                      {host}
                      {port}
                      {e['source.fqdn'] && e['source.ip'] && !e['source.url'] && (
                        <Text size="xs" c="dimmed" className="mono">
                          {e['source.ip']}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{e['source.asn'] ?? '—'}</Table.Td>
                    <Table.Td>{e['source.geolocation.cc'] ?? '—'}</Table.Td>
                    <Table.Td className="wrap-narrow">
                      {e.constituentId ? (
                        staff ? (
                          <Anchor component={Link} to={`/console/constituents/${e.constituentId}`} size="sm">
                            {e.constituentName ?? e.constituentId.slice(0, 8)}
                          </Anchor>
                        ) : (
                          (e.constituentName ?? e.constituentId.slice(0, 8))
                        )
                      ) : (
                        <Badge variant="light" color="gray">
                          {t('console.feeds.events.noOwner')}
                        </Badge>
                      )}
                      {e.matchedBy && (
                        <Text size="xs" c="dimmed">
                          {t('console.feeds.events.matchedBy', { by: t(`console.feeds.matchKinds.${e.matchedBy}`, { defaultValue: e.matchedBy }), on: e.matchedOn ?? '' })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td className="wrap-narrow">{feedName(e.feedSourceId) ?? e['feed.name']}</Table.Td>
                    <Table.Td>{e.sightings}</Table.Td>
                    <Table.Td>
                      {e.noticeId ? (
                        <Anchor component={Link} to={`/console/notices/${e.noticeId}`} size="sm">
                          {t('console.feeds.events.openNotice')}
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
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
