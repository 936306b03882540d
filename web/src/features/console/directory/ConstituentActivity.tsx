import { Alert, Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { formatDateTime } from '../../../lib/format.js';
import { TableScroll } from '../shared/TableScroll.js';
import { useRsitLabels } from '../shared/useTaxonomy.js';
import { useConstituentEvents, useConstituentNotices } from './constituentApi.js';
import type { FeedEvent } from './constituentApi.js';
import { LoadMore } from '../shared/LoadMore.js';

const NOTICE_STATES = ['queued', 'sent', 'delivered', 'bounced', 'acknowledged', 'resolved', 'escalated'] as const;
type NoticeState = (typeof NOTICE_STATES)[number];
const isNoticeState = (s: string): s is NoticeState => (NOTICE_STATES as readonly string[]).includes(s);
const STATE_COLOR: Record<NoticeState, string> = { queued: 'gray', sent: 'blue', delivered: 'blue', bounced: 'red', acknowledged: 'green', resolved: 'green', escalated: 'orange' };

function source(e: FeedEvent): string {
  const host = e['source.ip'] ?? e['source.fqdn'] ?? '';
  const withPort = host && e['source.port'] !== null ? `${host}:${e['source.port']}` : host;
  return [withPort, e['source.url']].filter(Boolean).join(' · ') || '—';
}

/** The constituent's matched events, newest first (GET /events?constituentId=…). */
export function ConstituentEvents({ constituentId }: { constituentId: string }) {
  const { t, i18n } = useTranslation();
  const events = useConstituentEvents(constituentId, true);
  const { typeLabel } = useRsitLabels();
  if (events.isPending) return <PageLoader />;
  if (events.isError) return <Alert color="red">{events.error.message}</Alert>;
  const items = events.data.pages.flatMap((p) => p.items);
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="events-empty">
        {t('console.directory.events.empty')}
      </Text>
    );
  return (
    <Stack gap="xs">
      <TableScroll label={t('console.directory.events.tableLabel')} minWidth={820}>
        <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="events">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.directory.events.type')}</Table.Th>
              <Table.Th>{t('console.directory.events.source')}</Table.Th>
              <Table.Th>{t('console.directory.events.sightings')}</Table.Th>
              <Table.Th>{t('console.directory.events.firstSeen')}</Table.Th>
              <Table.Th>{t('console.directory.events.lastSeen')}</Table.Th>
              <Table.Th>{t('console.directory.events.feed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  {typeLabel(e['classification.taxonomy'], e['classification.type']) || e['classification.type']}{' '}
                  <Text span size="xs" c="dimmed" className="mono">
                    {e['classification.type']}
                  </Text>
                </Table.Td>
                <Table.Td className="wrap-narrow mono">{source(e)}</Table.Td>
                <Table.Td>{e.sightings}</Table.Td>
                <Table.Td>{formatDateTime(e.firstSeen, i18n.language)}</Table.Td>
                <Table.Td>{formatDateTime(e.lastSeen, i18n.language)}</Table.Td>
                <Table.Td>{e['feed.name']}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      <LoadMore list={events} />
    </Stack>
  );
}

/** Notices sent about the constituent, newest first; each links to its page. */
export function ConstituentNotices({ constituentId }: { constituentId: string }) {
  const { t, i18n } = useTranslation();
  const notices = useConstituentNotices(constituentId, true);
  if (notices.isPending) return <PageLoader />;
  if (notices.isError) return <Alert color="red">{notices.error.message}</Alert>;
  const items = notices.data.pages.flatMap((p) => p.items);
  if (items.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="notices-empty">
        {t('console.directory.notices.empty')}
      </Text>
    );
  return (
    <Stack gap="xs">
      <TableScroll label={t('console.directory.notices.tableLabel')} minWidth={760}>
        <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="notices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.directory.notices.subject')}</Table.Th>
              <Table.Th>{t('console.directory.notices.state')}</Table.Th>
              <Table.Th>{t('console.directory.notices.recipient')}</Table.Th>
              <Table.Th>{t('console.directory.notices.events')}</Table.Th>
              <Table.Th>{t('console.directory.notices.created')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td className="wrap">
                  <Anchor component={Link} to={`/console/notices/${n.id}`} size="sm">
                    {n.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={isNoticeState(n.state) ? STATE_COLOR[n.state] : 'gray'}>
                    {isNoticeState(n.state) ? t(`console.directory.noticeStates.${n.state}`) : n.state}
                  </Badge>
                </Table.Td>
                <Table.Td>{n.recipient}</Table.Td>
                <Table.Td>{n.eventCount}</Table.Td>
                <Table.Td>{formatDateTime(n.createdAt, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      <LoadMore list={notices} />
    </Stack>
  );
}
