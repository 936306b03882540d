import { Alert, Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { isApiError } from '../../../lib/api.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useTeamName } from '../usePublicSettings.js';
import { AddFilesForm } from './AddFilesForm.js';
import { AddMessageForm } from './AddMessageForm.js';
import { MessageThread } from './MessageThread.js';
import { ReportDetails } from './ReportDetails.js';
import { StatusBadge } from './StatusBadge.js';
import { useTrackedReport } from './useTrackedReport.js';

export function TrackPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const teamName = useTeamName();
  const query = useTrackedReport(token);
  useDocumentTitle(t('track.title'), teamName);

  if (query.isPending) return <PageLoader />;
  if (query.isError) {
    const notFound = isApiError(query.error) && query.error.status === 404;
    return (
      <Stack>
        <Title order={1}>{t(notFound ? 'track.notFoundTitle' : 'track.title')}</Title>
        <Alert color="red">{notFound ? t('track.notFoundBody') : query.error.message}</Alert>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    );
  }

  const report = query.data;
  const closed = report.status === 'closed' || report.status === 'rejected';
  return (
    <Stack gap="lg" maw={860}>
      <Stack gap="xs">
        <Title order={1}>{t('track.title')}</Title>
        <Group gap="sm">
          <Text size="lg" fw={700} className="mono" data-testid="tracking-number">
            {report.trackingNumber}
          </Text>
          <StatusBadge status={report.status} />
        </Group>
        <Text>{t(`track.statusHelp.${report.status}`, { defaultValue: '' })}</Text>
      </Stack>
      {report.status === 'waiting_for_you' && (
        <Alert color="orange" title={t('track.waitingTitle')}>
          {t('track.waitingBody')}
        </Alert>
      )}

      <Stack gap="sm" component="section" aria-labelledby="track-messages">
        <Title order={2} id="track-messages">
          {t('track.messages')}
        </Title>
        <MessageThread messages={report.messages} />
      </Stack>

      {!closed && (
        <Stack gap="md" component="section" aria-labelledby="track-add">
          <Title order={2} id="track-add">
            {t('track.addTitle')}
          </Title>
          <AddMessageForm token={token} />
          <AddFilesForm token={token} />
        </Stack>
      )}

      <Stack gap="sm" component="section" aria-labelledby="track-details">
        <Title order={2} id="track-details">
          {t('track.yourReport')}
        </Title>
        <ReportDetails report={report} />
      </Stack>
    </Stack>
  );
}
