import { useRef, useState } from 'react';
import { Alert, Anchor, Badge, Button, Checkbox, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import type { Page, ReportSummary } from '../types.js';
import { CHANNELS } from '../shared/channels.js';
import { StateBadge } from '../shared/badges.js';
import { useListKeyboard } from '../shared/useListKeyboard.js';
import { CreateIncidentDialog } from '../reports/CreateIncidentDialog.js';
import { LinkToIncidentDialog } from '../reports/LinkToIncidentDialog.js';
import { useTriage } from '../reports/triage.js';
import { LoadMore } from '../shared/LoadMore.js';

const STATUSES = ['new', 'linked', 'rejected', 'spam'] as const;

export function ReportQueue({ canTriage }: { canTriage: boolean }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('rstatus') ?? 'new';
  const channel = params.get('rchannel') ?? '';
  const q = params.get('rq') ?? '';
  const [search, setSearch] = useState(q);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<'create' | 'link' | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const { reject } = useTriage();
  useListKeyboard(listRef, 'report-search');

  const query = { status: status === 'all' ? undefined : status, channel: channel || undefined, q: q || undefined };
  const reports = useInfiniteQuery({
    queryKey: ['reports', query],
    queryFn: ({ pageParam, signal }) => api.get<Page<ReportSummary>>('/reports', { query: { ...query, limit: 50, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = reports.data?.pages.flatMap((p) => p.items) ?? [];
  const chosen = rows.filter((r) => selected.has(r.id));
  const ids = chosen.map((r) => r.id);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setSelected(new Set());
  };
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack gap="sm">
      <Group gap="xs" align="flex-end">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setParam('rq', search.trim());
          }}
        >
          <TextInput id="report-search" size="xs" label={t('console.filters.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={220} />
        </form>
        <NativeSelect
          size="xs"
          label={t('console.filters.status')}
          value={status}
          onChange={(e) => setParam('rstatus', e.currentTarget.value === 'new' ? '' : e.currentTarget.value)}
          data={[...STATUSES.map((s) => ({ value: s, label: t(`console.states.${s}`) })), { value: 'all', label: t('console.filters.all') }]}
        />
        <NativeSelect
          size="xs"
          label={t('console.filters.channel')}
          value={channel}
          onChange={(e) => setParam('rchannel', e.currentTarget.value)}
          data={[{ value: '', label: t('console.filters.any') }, ...CHANNELS.map((c) => ({ value: c, label: t(`console.channels.${c}`) }))]}
        />
      </Group>
      {canTriage && (
        <Group gap="xs" role="toolbar" aria-label={t('console.triage.bulk')}>
          <Text size="sm">{t('console.triage.selected', { count: ids.length })}</Text>
          <Button size="xs" disabled={ids.length === 0} onClick={() => setDialog('create')}>
            {t('console.triage.create')}
          </Button>
          <Button size="xs" variant="outline" disabled={ids.length === 0} onClick={() => setDialog('link')}>
            {t('console.triage.link')}
          </Button>
          <Button size="xs" variant="outline" color="red" disabled={ids.length === 0} loading={reject.isPending} onClick={() => reject.mutate({ reportIds: ids, reason: 'spam' }, { onSuccess: () => setSelected(new Set()) })}>
            {t('console.triage.spam')}
          </Button>
          <Button size="xs" variant="outline" color="red" disabled={ids.length === 0} loading={reject.isPending} onClick={() => reject.mutate({ reportIds: ids, reason: 'rejected' }, { onSuccess: () => setSelected(new Set()) })}>
            {t('console.triage.reject')}
          </Button>
        </Group>
      )}
      {(reports.isError || reject.isError) && <Alert color="red">{(reports.error ?? reject.error)?.message}</Alert>}
      <Text size="xs">{t('console.queue.keysReports')}</Text>
      <div ref={listRef}>
        <Table.ScrollContainer minWidth={800}>
          <Table striped highlightOnHover verticalSpacing={4} fz="sm" className="dense-table" aria-label={t('console.queue.reports')}>
            <Table.Thead>
              <Table.Tr>
                {canTriage && (
                  <Table.Th>
                    <Checkbox
                      size="xs"
                      aria-label={t('console.triage.selectAll')}
                      checked={rows.length > 0 && chosen.length === rows.length}
                      indeterminate={chosen.length > 0 && chosen.length < rows.length}
                      onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                    />
                  </Table.Th>
                )}
                <Table.Th>{t('console.report.trackingNumber')}</Table.Th>
                <Table.Th>{t('console.report.summary')}</Table.Th>
                <Table.Th>{t('console.report.category')}</Table.Th>
                <Table.Th>{t('console.report.channel')}</Table.Th>
                <Table.Th>{t('console.report.status')}</Table.Th>
                <Table.Th>{t('console.report.received')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((report) => (
                <Table.Tr key={report.id} data-row>
                  {canTriage && (
                    <Table.Td>
                      <Checkbox size="xs" data-row-check aria-label={t('console.triage.select', { number: report.trackingNumber })} checked={selected.has(report.id)} onChange={() => toggle(report.id)} />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component={Link} to={`/console/reports/${report.id}`} data-row-link className="mono" size="sm">
                      {report.trackingNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td className="wrap">
                    <Text size="sm" fw={500} lineClamp={1}>
                      {report.title ?? report.excerpt}
                    </Text>
                    {report.assets.length > 0 && (
                      <Text size="xs" className="mono" lineClamp={1}>
                        {report.assets.join(', ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`categories.${report.category}`, { defaultValue: report.category })}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="gray">
                      {t(`console.channels.${report.channel}`, { defaultValue: report.channel })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={report.status} />
                  </Table.Td>
                  <Table.Td>{formatDateTime(report.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
      {!reports.isPending && rows.length === 0 && <Text>{t('console.queue.emptyReports')}</Text>}
      <LoadMore list={reports} />
      {dialog === 'create' && (
        <CreateIncidentDialog opened onClose={() => setDialog(null)} reportIds={ids} defaultTitle={chosen[0]?.title ?? chosen[0]?.excerpt.slice(0, 120) ?? ''} />
      )}
      {dialog === 'link' && <LinkToIncidentDialog opened onClose={() => setDialog(null)} reportIds={ids} onLinked={() => setSelected(new Set())} />}
    </Stack>
  );
}
