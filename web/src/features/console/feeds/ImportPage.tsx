import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { formatBytes, formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useSession } from '../auth/session.js';
import { DetailList } from '../shared/DetailList.js';
import { TableScroll } from '../shared/TableScroll.js';
import { ImportStatusBadge, isStaff } from './shared.js';
import type { FeedImport, FeedSource } from './types.js';

const PAGE = 50;
const COUNTS = ['rows', 'accepted', 'rejected', 'events', 'matched', 'unmatched', 'notices'] as const;

/** The rejected rows, a page at a time (an import may reject thousands), filterable by reason or text. */
function RejectedRows({ errors }: { errors: FeedImport['errors'] }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(0);
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = needle ? errors.filter((e) => e.reason.toLowerCase().includes(needle) || (e.excerpt ?? '').toLowerCase().includes(needle) || String(e.line) === needle) : errors;
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const slice = shown.slice(current * PAGE, current * PAGE + PAGE);
  return (
    <Stack gap="xs" component="section" aria-labelledby="import-rejected-title">
      <Title order={2} size="h5" id="import-rejected-title">
        {t('console.feeds.import.rejectedTitle', { n: errors.length })}
      </Title>
      {errors.length > PAGE && (
        <TextInput
          size="xs"
          id="rejected-filter"
          label={t('console.feeds.import.filterRejected')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(0);
          }}
          maw={320}
        />
      )}
      <TableScroll label={t('console.feeds.import.rejectedTitle', { n: errors.length })} minWidth={700}>
        <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="rejected-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.feeds.import.line')}</Table.Th>
              <Table.Th>{t('console.feeds.import.reason')}</Table.Th>
              <Table.Th>{t('console.feeds.import.excerpt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {slice.map((e, i) => (
              <Table.Tr key={`${e.line}-${i}`}>
                <Table.Td data-testid="rejected-line">{e.line}</Table.Td>
                <Table.Td className="wrap-narrow">{e.reason}</Table.Td>
                <Table.Td className="mono wrap-narrow">{e.excerpt ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {shown.length > PAGE && (
        <Group gap="sm" aria-label={t('console.feeds.import.pages')} role="navigation">
          <Button size="compact-sm" variant="default" disabled={current === 0} onClick={() => setPage(current - 1)}>
            {t('console.feeds.import.previous')}
          </Button>
          <Text size="sm" aria-live="polite">
            {t('console.feeds.import.range', { from: current * PAGE + 1, to: current * PAGE + slice.length, total: shown.length })}
          </Text>
          <Button size="compact-sm" variant="default" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            {t('console.feeds.import.next')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** One import: its state (refreshing while it waits or runs), counts, rejected rows, and links to what it produced. */
export default function ImportPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const staff = isStaff(session?.user.role);
  const imp = useQuery({
    queryKey: ['feed-import', id],
    queryFn: () => api.get<FeedImport>(`/feed-imports/${id}`),
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'queued' || q.state.data.status === 'running') ? 1000 : false),
  });
  const sourceId = imp.data?.sourceId;
  const source = useQuery({ queryKey: ['feed', sourceId], queryFn: () => api.get<FeedSource>(`/feeds/${sourceId}`), enabled: staff && !!sourceId });
  useDocumentTitle(t('console.feeds.import.title'));

  if (imp.isPending) return <PageLoader />;
  if (imp.isError) return <Alert color="red">{imp.error.message}</Alert>;
  const d = imp.data;
  const pending = d.status === 'queued' || d.status === 'running';
  const fmt = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time> : '—');

  return (
    <Stack gap="md">
      {staff && (
        <Anchor component={Link} to={`/console/feeds/${d.sourceId}`} size="sm">
          ← {source.data?.name ?? t('console.feeds.source.title')}
        </Anchor>
      )}
      <Group gap="sm" align="center">
        <Title order={1} size="h3">
          {t('console.feeds.import.heading', { file: d.fileName ?? t('console.feeds.import.noName') })}
        </Title>
        <ImportStatusBadge status={d.status} />
        {pending && <Loader size="xs" aria-label={t('console.feeds.import.refreshing')} />}
      </Group>
      {d.status === 'failed' && (
        <Alert color="red" title={t('console.feeds.import.failed')}>
          {d.error}
        </Alert>
      )}
      <Paper withBorder p="sm" component="section" aria-labelledby="import-facts-title">
        <Title order={2} size="h5" id="import-facts-title" mb="xs">
          {t('console.feeds.import.facts')}
        </Title>
        <DetailList
          items={[
            { label: t('console.feeds.imports.method'), value: t(`console.feeds.methods.${d.method}`, { defaultValue: d.method }) },
            { label: t('console.feeds.import.size'), value: formatBytes(d.size, i18n.language) },
            { label: t('console.feeds.import.created'), value: fmt(d.createdAt) },
            { label: t('console.feeds.import.started'), value: fmt(d.startedAt) },
            { label: t('console.feeds.import.finished'), value: fmt(d.finishedAt) },
          ]}
        />
      </Paper>
      {d.status === 'done' && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4, md: 7 }} data-testid="import-counts">
            {COUNTS.map((k) => (
              <Paper key={k} withBorder p="xs">
                <Text size="xs">{t(`console.feeds.counts.${k}`)}</Text>
                <Text fw={700} size="lg" data-testid={`count-${k}`}>
                  {d[k]}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <Group gap="md">
            <Anchor component={Link} to={`/console/events?importId=${d.id}`} size="sm">
              {t('console.feeds.import.eventsLink', { n: d.events })}
            </Anchor>
            <Anchor component={Link} to={`/console/notices?importId=${d.id}`} size="sm">
              {t('console.feeds.import.noticesLink', { n: d.notices })}
            </Anchor>
          </Group>
          {d.errors.length > 0 ? <RejectedRows errors={d.errors} /> : <Text size="sm">{t('console.feeds.import.noRejected')}</Text>}
          {d.rejected > d.errors.length && <Text size="sm">{t('console.feeds.import.moreRejected', { kept: d.errors.length, total: d.rejected })}</Text>}
        </>
      )}
    </Stack>
  );
}
