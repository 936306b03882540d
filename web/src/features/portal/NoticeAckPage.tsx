import { Alert, Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoader } from '../../components/PageLoader.js';
import { api, isApiError } from '../../lib/api.js';
import { useDocumentTitle } from '../../lib/useDocumentTitle.js';
import { useTeamName } from './usePublicSettings.js';

interface NoticeLink {
  state: string;
  subject: string;
  constituentName: string | null;
  acknowledgedAt: string | null;
}

const OPEN = ['queued', 'sent', 'delivered', 'escalated'];
const STATES = ['queued', 'sent', 'delivered', 'bounced', 'acknowledged', 'resolved', 'escalated'] as const;
type NoticeState = (typeof STATES)[number];
const isState = (s: string): s is NoticeState => (STATES as readonly string[]).includes(s);

/**
 * The page a notice's acknowledgement link opens. Opening it changes nothing (mail scanners and link
 * previews open links too); the owner confirms with the button, which acknowledges the notice.
 */
export default function NoticeAckPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const teamName = useTeamName();
  const client = useQueryClient();
  useDocumentTitle(t('noticeAck.title'), teamName);
  const key = ['notice-ack', token];
  const notice = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get<NoticeLink>(`/public/notices/ack/${encodeURIComponent(token)}`, { signal }), retry: false });
  const confirm = useMutation({
    mutationFn: () => api.post<{ state: string; subject: string }>(`/public/notices/ack/${encodeURIComponent(token)}`),
    onSuccess: (r) => client.setQueryData<NoticeLink>(key, (old) => (old ? { ...old, state: r.state } : old)),
  });

  if (notice.isPending) return <PageLoader />;
  if (notice.isError) {
    const notFound = isApiError(notice.error) && notice.error.status === 404;
    return (
      <Stack maw={720}>
        <Title order={1}>{t('noticeAck.title')}</Title>
        <Alert color="red">{notFound ? t('noticeAck.notFound') : notice.error.message}</Alert>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    );
  }
  const n = notice.data;
  const open = OPEN.includes(n.state);
  return (
    <Stack maw={720} gap="md">
      <Title order={1}>{t('noticeAck.title')}</Title>
      <Text>{t('noticeAck.intro', { team: teamName })}</Text>
      <Paper withBorder p="md">
        <Stack gap={4}>
          {n.constituentName && (
            <Text size="sm">
              <Text span fw={600}>
                {t('noticeAck.organisation')}
              </Text>
              {n.constituentName}
            </Text>
          )}
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Text span fw={600}>
              {t('noticeAck.subject')}
            </Text>
            {n.subject}
          </Text>
        </Stack>
      </Paper>
      {confirm.isSuccess ? (
        <Alert color="green" role="status" data-testid="notice-ack-done">
          {t('noticeAck.done')}
        </Alert>
      ) : n.state === 'acknowledged' ? (
        <Alert color="blue" role="status" data-testid="notice-ack-already">
          {t('noticeAck.already')}
        </Alert>
      ) : !open ? (
        <Alert color="gray" role="status" data-testid="notice-ack-closed">
          {t('noticeAck.closed', { state: isState(n.state) ? t(`noticeAck.states.${n.state}`) : n.state })}
        </Alert>
      ) : (
        <div>
          <Button onClick={() => confirm.mutate()} loading={confirm.isPending} data-testid="notice-ack-confirm">
            {confirm.isPending ? t('noticeAck.confirming') : t('noticeAck.confirm')}
          </Button>
        </div>
      )}
      {confirm.isError && <Alert color="red">{confirm.error.message}</Alert>}
    </Stack>
  );
}
