import { Alert, Anchor, Button, CopyButton, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import '../../../i18n/malware.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, API_BASE, isApiError } from '../../../lib/api.js';
import { formatBytes } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { SampleStatusBadge, VerdictBadge } from '../../console/malware/badges.js';
import { HashesPanel } from '../../console/malware/report/HashesPanel.js';
import { IndicatorsPanel } from '../../console/malware/report/IndicatorsPanel.js';
import { VerdictPanel } from '../../console/malware/report/VerdictPanel.js';
import { YaraMatches } from '../../console/malware/report/YaraMatches.js';
import type { SampleDetail } from '../../console/malware/types.js';
import { useTeamName } from '../usePublicSettings.js';

/** The anonymous submitter's report, read with the secret token from the link; it fills in when the analysis ends. */
export default function PublicSampleReportPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const teamName = useTeamName();
  const location = useLocation();
  const justSubmitted = (location.state as { justSubmitted?: boolean } | null)?.justSubmitted === true;
  useDocumentTitle(t('console.malware.public.reportTitle'), teamName);
  const sample = useQuery({
    queryKey: ['public-sample', token],
    queryFn: ({ signal }) => api.get<SampleDetail>(`/public/samples/${encodeURIComponent(token)}`, { signal }),
    retry: false,
    refetchInterval: (query) => (query.state.data && (query.state.data.status === 'queued' || query.state.data.status === 'running') ? 1000 : false),
  });

  if (sample.isPending) return <PageLoader />;
  if (sample.isError) {
    const notFound = isApiError(sample.error) && sample.error.status === 404;
    return (
      <Stack>
        <Title order={1}>{t('console.malware.public.reportTitle')}</Title>
        <Alert color="red">{notFound ? t('console.malware.public.notFound') : sample.error.message}</Alert>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    );
  }
  const s = sample.data;
  const pending = s.status === 'queued' || s.status === 'running';
  const link = `${window.location.origin}/samples/${token}`;
  return (
    <Stack gap="lg" maw={960}>
      <Stack gap="xs">
        <Title order={1}>{t('console.malware.public.reportTitle')}</Title>
        <Text style={{ overflowWrap: 'anywhere' }}>
          {s.fileName ?? t('console.malware.report.unnamed')} · {formatBytes(s.size, i18n.language)}
        </Text>
        <Group gap="xs">
          <SampleStatusBadge status={s.status} />
          <VerdictBadge verdict={s.verdict} score={s.score} />
        </Group>
      </Stack>
      {justSubmitted && (
        <Paper withBorder p="md" bg="yellow.0">
          <Stack gap="xs">
            <Text fw={600}>{t('console.malware.public.keepLink')}</Text>
            <Group align="flex-end" wrap="nowrap">
              <TextInput label={t('console.malware.public.linkLabel')} value={link} readOnly onFocus={(e) => e.currentTarget.select()} style={{ flex: 1 }} className="mono" data-testid="sample-link" />
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button variant="outline" onClick={copy} aria-live="polite">
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Paper>
      )}
      {pending && (
        <Paper withBorder p="sm" role="status" aria-live="polite" data-testid="analysis-pending">
          <Group gap="sm">
            <Loader size="sm" aria-hidden="true" />
            <Text size="sm">{t(s.status === 'queued' ? 'console.malware.report.queued' : 'console.malware.report.running')}</Text>
          </Group>
        </Paper>
      )}
      {s.status === 'failed' && <Alert color="red">{t('console.malware.report.failed')}</Alert>}
      {s.report && (
        <>
          <Group>
            <Button component="a" variant="outline" href={`${API_BASE}/public/samples/${encodeURIComponent(token)}/report.pdf`} download>
              {t('console.malware.actions.pdf')}
            </Button>
          </Group>
          <VerdictPanel report={s.report} />
          <Paper withBorder p="sm" component="section" aria-labelledby="yara-title">
            <Title order={2} size="h5" mb="xs" id="yara-title">
              {t('console.malware.report.yara', { count: s.report.yara.matches.length })}
            </Title>
            <YaraMatches matches={s.report.yara.matches} />
          </Paper>
          <IndicatorsPanel indicators={s.report.indicators} />
          <HashesPanel report={s.report} />
        </>
      )}
    </Stack>
  );
}
