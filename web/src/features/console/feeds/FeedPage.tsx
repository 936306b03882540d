import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { TlpBadge } from '../shared/badges.js';
import { DetailList } from '../shared/DetailList.js';
import { FeedSourceForm } from './FeedSourceForm.js';
import { ImportsTable } from './ImportsTable.js';
import { canManageFeeds, DeliveryText, useScheduleText } from './shared.js';
import type { FeedImport, FeedSource } from './types.js';
import { UploadForm } from './UploadForm.js';

/** One feed source: its settings, the state of URL polling, an upload and the imports so far. */
export default function FeedPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const role = session?.user.role;
  const [editing, setEditing] = useState(false);
  // After "fetch now": the last poll time seen before it; the source refreshes until that changes.
  const [pollFrom, setPollFrom] = useState<string | null | undefined>(undefined);
  const client = useQueryClient();
  const every = useScheduleText();
  const source = useQuery({
    queryKey: ['feed', id],
    queryFn: () => api.get<FeedSource>(`/feeds/${id}`),
    refetchInterval: (q) => (pollFrom !== undefined && q.state.data?.poll.lastAt === pollFrom ? 1000 : false),
  });
  const pollNow = useMutation({
    mutationFn: () => api.post<FeedSource>(`/feeds/${id}/poll`),
    onMutate: () => setPollFrom(source.data?.poll.lastAt ?? null),
    onError: () => setPollFrom(undefined),
  });
  const lastPoll = source.data?.poll.lastAt;
  useEffect(() => {
    if (pollFrom === undefined || lastPoll === undefined || lastPoll === pollFrom) return;
    setPollFrom(undefined);
    void client.invalidateQueries({ queryKey: ['feed-imports', id] });
    void client.invalidateQueries({ queryKey: ['feeds'] });
  }, [pollFrom, lastPoll, client, id]);
  const imports = useQuery({
    queryKey: ['feed-imports', id],
    queryFn: () => api.get<{ items: FeedImport[] }>(`/feeds/${id}/imports`, { query: { limit: 100 } }),
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'queued' || i.status === 'running') ? 2000 : false),
  });
  useDocumentTitle(source.data?.name ?? t('console.feeds.source.title'));

  if (source.isPending) return <PageLoader />;
  if (source.isError) return <Alert color="red">{source.error.message}</Alert>;
  const s = source.data;
  const options = Object.entries(s.options);
  const fmt = (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso, i18n.language)}</time> : '—');

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/console/feeds" size="sm">
        ← {t('console.feeds.sources.title')}
      </Anchor>
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h3">
          {s.name}
        </Title>
        <Group gap="sm">
          <Anchor component={Link} to={`/console/events?feedSourceId=${s.id}`} size="sm">
            {t('console.feeds.source.events')}
          </Anchor>
          <Anchor component={Link} to={`/console/notices?feedSourceId=${s.id}`} size="sm">
            {t('console.feeds.source.notices')}
          </Anchor>
          {canManageFeeds(role) && !editing && (
            <Button size="xs" variant="outline" onClick={() => setEditing(true)}>
              {t('console.feeds.source.edit')}
            </Button>
          )}
        </Group>
      </Group>
      {editing ? (
        <FeedSourceForm source={s} onCancel={() => setEditing(false)} onDone={() => setEditing(false)} />
      ) : (
        <Paper withBorder p="sm" component="section" aria-labelledby="feed-settings-title">
          <Title order={2} size="h5" id="feed-settings-title" mb="xs">
            {t('console.feeds.source.settings')}
          </Title>
          <DetailList
            items={[
              { label: t('console.feeds.form.parser'), value: t(`console.feeds.parsers.${s.parser}`, { defaultValue: s.parser }) },
              { label: t('console.feeds.source.options'), value: <Code>{JSON.stringify(s.options)}</Code>, hidden: options.length === 0 },
              { label: t('console.feeds.form.provider'), value: s.provider ?? '—' },
              { label: t('console.feeds.form.defaultTlp'), value: <TlpBadge tlp={s.defaultTlp} /> },
              { label: t('console.feeds.sources.delivery'), value: <DeliveryText source={s} /> },
              { label: t('console.feeds.form.pollUrl'), value: <span className="mono">{s.pollUrl}</span>, hidden: !s.pollUrl },
              { label: t('console.feeds.form.mailSenders'), value: s.mailSenders.join(', ') || t('console.feeds.source.anySender'), hidden: !s.mailAddress },
              {
                label: t('console.feeds.sources.enabled'),
                value: (
                  <Badge variant="light" color={s.enabled ? 'green' : 'gray'}>
                    {s.enabled ? t('console.feeds.sources.on') : t('console.feeds.sources.off')}
                  </Badge>
                ),
              },
              { label: t('console.feeds.source.created'), value: fmt(s.createdAt) },
            ]}
          />
        </Paper>
      )}
      {s.pollUrl && s.schedule && (
        <Paper withBorder p="sm" component="section" aria-labelledby="feed-poll-title" data-testid="feed-polling">
          <Group justify="space-between" align="baseline" mb="xs">
            <Title order={2} size="h5" id="feed-poll-title">
              {t('console.feeds.source.polling', { interval: every(s.schedule) })}
            </Title>
            {canManageFeeds(role) && s.enabled && (
              <Group gap="xs">
                {pollFrom !== undefined && (
                  <Group gap={6} role="status">
                    <Loader size="xs" aria-hidden />
                    <Text size="sm">{t('console.feeds.source.pollRunning')}</Text>
                  </Group>
                )}
                <Button size="compact-sm" variant="outline" loading={pollNow.isPending} disabled={pollFrom !== undefined} onClick={() => pollNow.mutate()}>
                  {t('console.feeds.source.pollNow')}
                </Button>
              </Group>
            )}
          </Group>
          {pollNow.isError && (
            <Alert color="red" mb="xs">
              {pollNow.error.message}
            </Alert>
          )}
          <DetailList
            items={[
              { label: t('console.feeds.source.pollNext'), value: s.enabled ? fmt(s.poll.nextAt) : t('console.feeds.source.pollPaused') },
              { label: t('console.feeds.source.pollLast'), value: fmt(s.poll.lastAt) },
              { label: t('console.feeds.source.pollResult'), value: s.poll.lastAt === null ? '—' : s.poll.error ? <Text c="red" size="sm">{s.poll.error}</Text> : t('console.feeds.source.pollOk') },
            ]}
          />
        </Paper>
      )}
      {isHandler(role) && s.enabled && <UploadForm sources={[s]} fixed={s.id} />}
      <Stack gap="xs" component="section" aria-labelledby="feed-imports-title">
        <Title order={2} size="h5" id="feed-imports-title">
          {t('console.feeds.source.imports')}
        </Title>
        {imports.isError && <Alert color="red">{imports.error.message}</Alert>}
        {imports.isSuccess && imports.data.items.length === 0 && <Text size="sm">{t('console.feeds.source.noImports')}</Text>}
        {imports.isSuccess && imports.data.items.length > 0 && <ImportsTable imports={imports.data.items} />}
      </Stack>
    </Stack>
  );
}
