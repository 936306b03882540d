import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, buildUrl } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { DetailList } from '../shared/DetailList.js';
import { isStaff, NoticeStateBadge } from './shared.js';
import { ACKNOWLEDGEABLE, RESOLVABLE } from './types.js';
import type { Notice, NoticeDetail } from './types.js';

interface Step {
  key: string;
  label: string;
  at: string | null;
  detail?: ReactNode;
}

/** created → sent → acknowledged / resolved / escalated, with times; steps not reached are shown as pending. */
function StateTimeline({ notice, linkIncident }: { notice: NoticeDetail; linkIncident: boolean }) {
  const { t, i18n } = useTranslation();
  const via = notice.acknowledgedVia ? t(`console.feeds.notice.via.${notice.acknowledgedVia}`, { defaultValue: notice.acknowledgedVia }) : null;
  const steps: Step[] = [
    { key: 'created', label: t('console.feeds.notice.steps.created'), at: notice.createdAt },
    { key: 'sent', label: notice.state === 'bounced' ? t('console.feeds.notice.steps.bounced') : t('console.feeds.notice.steps.sent'), at: notice.sentAt, detail: !notice.sentAt && notice.state === 'queued' ? t('console.feeds.notice.sendAfter', { at: formatDateTime(notice.sendAfter, i18n.language) }) : undefined },
    { key: 'acknowledged', label: t('console.feeds.notice.steps.acknowledged'), at: notice.acknowledgedAt, detail: via ? t('console.feeds.notice.ackVia', { via }) : undefined },
  ];
  if (notice.escalatedAt || notice.incidentId)
    steps.push({
      key: 'escalated',
      label: t('console.feeds.notice.steps.escalated'),
      at: notice.escalatedAt,
      detail: notice.incidentId && linkIncident ? (
        <Anchor component={Link} to={`/console/incidents/${notice.incidentId}`} size="sm">
          {t('console.feeds.notice.incident')}
        </Anchor>
      ) : undefined,
    });
  steps.push({ key: 'resolved', label: t('console.feeds.notice.steps.resolved'), at: notice.resolvedAt });
  return (
    <ol className="notice-timeline" data-testid="notice-timeline" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {steps.map((s) => (
        <li key={s.key} data-step={s.key} data-done={s.at ? 'true' : 'false'} style={{ borderLeft: `3px solid ${s.at ? 'var(--mantine-color-teal-7)' : 'var(--mantine-color-gray-4)'}`, paddingLeft: 10, paddingBottom: 6 }}>
          <Text size="sm" fw={s.at ? 600 : 400}>
            {s.label}
            {s.at ? ' · ' : ''}
            {s.at && <time dateTime={s.at}>{formatDateTime(s.at, i18n.language)}</time>}
            {!s.at && <Text span size="sm" c="dimmed">{` · ${t('console.feeds.notice.notYet')}`}</Text>}
          </Text>
          {s.detail && <Text size="sm">{s.detail}</Text>}
        </li>
      ))}
    </ol>
  );
}

/** Staff record an acknowledgement the owner gave another way (phone), or resolve the notice, with a note. */
function NoticeActions({ notice }: { notice: NoticeDetail }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (action: 'acknowledge' | 'resolve') => api.post<Notice>(`/notices/${notice.id}/${action}`, note.trim() ? { note: note.trim() } : {}),
    onSuccess: (updated, action) => {
      setNote('');
      setDone(action === 'acknowledge' ? t('console.feeds.notice.acknowledged') : t('console.feeds.notice.resolved'));
      void client.invalidateQueries({ queryKey: ['notice', notice.id] });
      void client.invalidateQueries({ queryKey: ['notices'] });
      client.setQueryData<NoticeDetail>(['notice', notice.id], (prev) => (prev ? { ...prev, ...updated } : prev));
    },
  });
  const canAck = ACKNOWLEDGEABLE.includes(notice.state);
  const canResolve = RESOLVABLE.includes(notice.state);
  if (!canAck && !canResolve) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="notice-actions-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="notice-actions-title">
          {t('console.feeds.notice.actions')}
        </Title>
        <Textarea id="notice-note" size="xs" label={t('console.feeds.notice.note')} description={t('console.feeds.notice.noteHelp')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} maxRows={6} />
        {act.isError && (
          <Alert color="red" role="alert">
            {act.error.message}
          </Alert>
        )}
        {done && !act.isError && (
          <Text size="sm" role="status" data-testid="notice-action-done">
            {done}
          </Text>
        )}
        <Group gap="sm">
          {canAck && (
            <Button size="xs" loading={act.isPending && act.variables === 'acknowledge'} disabled={act.isPending} onClick={() => act.mutate('acknowledge')}>
              {t('console.feeds.notice.acknowledge')}
            </Button>
          )}
          {canResolve && (
            <Button size="xs" variant="outline" loading={act.isPending && act.variables === 'resolve'} disabled={act.isPending} onClick={() => act.mutate('resolve')}>
              {t('console.feeds.notice.resolve')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** One notice: who it went to, its states over time, its mail, the hosts it names and its text. */
export default function NoticePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const role = session?.user.role;
  const staff = isStaff(role);
  const notice = useQuery({ queryKey: ['notice', id], queryFn: () => api.get<NoticeDetail>(`/notices/${id}`) });
  useDocumentTitle(notice.data?.subject ?? t('console.feeds.notice.title'));

  if (notice.isPending) return <PageLoader />;
  if (notice.isError) return <Alert color="red">{notice.error.message}</Alert>;
  const n = notice.data;
  const fmt = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time> : '—');
  const constituent = n.constituentName ?? n.constituentId.slice(0, 8);

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/console/notices" size="sm">
        ← {t('console.feeds.notices.title')}
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1} size="h3">
          {n.subject}
        </Title>
        <NoticeStateBadge state={n.state} />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="sm" component="section" aria-labelledby="notice-facts-title">
          <Title order={2} size="h5" id="notice-facts-title" mb="xs">
            {t('console.feeds.notice.facts')}
          </Title>
          <DetailList
            items={[
              {
                label: t('console.filters.constituent'),
                value: staff || role === 'constituent' ? (
                  <Anchor component={Link} to={`/console/constituents/${n.constituentId}`} size="sm">
                    {constituent}
                  </Anchor>
                ) : (
                  constituent
                ),
              },
              { label: t('console.feeds.notices.recipient'), value: n.recipient },
              {
                label: t('console.feeds.events.feed'),
                value: staff ? (
                  <Anchor component={Link} to={`/console/feeds/${n.feedSourceId}`} size="sm">
                    {n.feedName ?? n.feedSourceId.slice(0, 8)}
                  </Anchor>
                ) : (
                  (n.feedName ?? '—')
                ),
              },
              {
                label: t('console.feeds.notice.import'),
                value: (
                  <Anchor component={Link} to={`/console/events?noticeId=${n.id}`} size="sm">
                    {t('console.feeds.notice.importEvents')}
                  </Anchor>
                ),
              },
              { label: t('console.feeds.notice.topic'), value: <span className="mono">{n.topic}</span> },
              { label: t('console.feeds.notice.types'), value: n.types.join(', ') },
              { label: t('console.feeds.notices.events'), value: n.eventCount },
              { label: t('console.feeds.notice.language'), value: n.language === 'en' ? 'English' : '中文' },
              { label: t('console.feeds.notice.mode'), value: t(`console.feeds.notice.modes.${n.notifyMode}`, { defaultValue: n.notifyMode }) },
              { label: t('console.feeds.notice.note'), value: <span style={{ whiteSpace: 'pre-wrap' }}>{n.note}</span>, hidden: !n.note },
            ]}
          />
        </Paper>
        <Stack gap="md">
          <Paper withBorder p="sm" component="section" aria-labelledby="notice-states-title">
            <Title order={2} size="h5" id="notice-states-title" mb="xs">
              {t('console.feeds.notice.states')}
            </Title>
            <StateTimeline notice={n} linkIncident={staff} />
          </Paper>
          <Paper withBorder p="sm" component="section" aria-labelledby="notice-mail-title" data-testid="notice-mail">
            <Title order={2} size="h5" id="notice-mail-title" mb="xs">
              {t('console.feeds.notice.mail')}
            </Title>
            {n.mail ? (
              <DetailList
                items={[
                  { label: t('console.feeds.notice.mailState'), value: <Badge variant="light">{t(`console.feeds.mailStates.${n.mail.state}`, { defaultValue: n.mail.state })}</Badge> },
                  { label: t('console.feeds.notice.mailSent'), value: fmt(n.mail.sentAt) },
                  { label: t('console.feeds.notice.attempts'), value: n.mail.attempts },
                  { label: t('console.feeds.notice.encrypted'), value: n.mail.encrypted === null ? '—' : n.mail.encrypted ? t('common.yes') : t('common.no') },
                  { label: t('console.feeds.notice.lastError'), value: n.mail.lastError ?? '—', hidden: !n.mail.lastError },
                  { label: 'Message-ID', value: <span className="mono wrap-narrow">{n.mail.messageId}</span> },
                ]}
              />
            ) : (
              <Text size="sm">{t('console.feeds.notice.noMail', { at: formatDateTime(n.sendAfter, i18n.language) })}</Text>
            )}
          </Paper>
        </Stack>
      </SimpleGrid>
      {isHandler(role) && <NoticeActions notice={n} />}
      <Paper withBorder p="sm" component="section" aria-labelledby="notice-hosts-title">
        <Group justify="space-between" align="baseline" mb="xs">
          <Title order={2} size="h5" id="notice-hosts-title">
            {t('console.feeds.notice.hosts', { n: n.hostCount })}
          </Title>
          <Anchor href={buildUrl(`/notices/${n.id}/csv`)} download size="sm" data-testid="notice-csv">
            {t('console.feeds.notice.csv')}
          </Anchor>
        </Group>
        <ul data-testid="notice-hosts" className="mono" style={{ columns: '16rem', margin: 0, paddingLeft: '1.2rem', maxHeight: '20rem', overflowY: 'auto' }} tabIndex={0} aria-labelledby="notice-hosts-title">
          {n.hosts.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
        {n.hostCount > n.hosts.length && <Text size="sm">{t('console.feeds.notice.moreHosts', { shown: n.hosts.length, total: n.hostCount })}</Text>}
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="notice-body-title">
        <Title order={2} size="h5" id="notice-body-title" mb="xs">
          {t('console.feeds.notice.body')}
        </Title>
        <pre data-testid="notice-body" style={{ whiteSpace: 'pre-wrap', margin: 0, fontSize: 'var(--mantine-font-size-sm)' }}>
          {n.body}
        </pre>
      </Paper>
    </Stack>
  );
}
