import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, API_BASE } from '../../../lib/api.js';
import { formatBytes, formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { StateBadge } from '../shared/badges.js';
import { DetailList } from '../shared/DetailList.js';
import type { ReportDetail } from '../types.js';
import { CreateIncidentDialog } from './CreateIncidentDialog.js';
import { LinkToIncidentDialog } from './LinkToIncidentDialog.js';
import { PgpBadges, PgpStatusPanel, toPgpStatus } from './PgpStatusPanel.js';
import { ReportMailPanel } from './ReportMailPanel.js';
import { TechnicalDetails } from './TechnicalDetails.js';
import { useTriage } from './triage.js';

export default function ReportPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const canTriage = isHandler(session?.user.role);
  const report = useQuery({ queryKey: ['report', id], queryFn: () => api.get<ReportDetail>(`/reports/${id}`) });
  const { reject } = useTriage();
  // An attachment goes to the malware analysis service; its report page opens and fills in.
  const analyse = useMutation({
    mutationFn: (attachmentId: string) => api.post<{ sampleId: string }>(`/reports/${id}/attachments/${attachmentId}/analyse`, {}),
    onSuccess: (result) => void navigate(`/console/samples/${result.sampleId}`),
  });
  const [dialog, setDialog] = useState<'create' | 'link' | null>(null);
  const [note, setNote] = useState('');
  useDocumentTitle(report.data?.trackingNumber ?? t('console.report.title'));

  if (report.isPending) return <PageLoader />;
  if (report.isError) return <Alert color="red">{report.error.message}</Alert>;
  const r = report.data;
  const open = r.status === 'new';
  // E-mailed reports carry what OpenPGP processing found; a plain e-mail shows as neither encrypted nor signed.
  const pgp = toPgpStatus(r.pgp) ?? (r.channel === 'email' ? toPgpStatus({}) : null);

  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Text size="sm" className="mono">
            {r.trackingNumber}
          </Text>
          <Title order={1} size="h3">
            {r.title ?? r.excerpt.slice(0, 120)}
          </Title>
          <Group gap="xs">
            <StateBadge state={r.status} />
            <Badge variant="outline" color="gray">
              {t(`console.channels.${r.channel}`, { defaultValue: r.channel })}
            </Badge>
            <Badge variant="light">{t(`categories.${r.category}`, { defaultValue: r.category })}</Badge>
            {r.anonymous && <Badge color="gray">{t('console.report.anonymous')}</Badge>}
          </Group>
          {pgp && <PgpBadges status={pgp} />}
        </Stack>
        {r.incidentId && (
          <Anchor component={Link} to={`/console/incidents/${r.incidentId}`}>
            {t('console.report.openIncident')}
          </Anchor>
        )}
      </Group>

      {canTriage && open && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Text fw={600} size="sm">
              {t('console.triage.title')}
            </Text>
            <Group gap="xs">
              <Button size="xs" onClick={() => setDialog('create')}>
                {t('console.triage.create')}
              </Button>
              <Button size="xs" variant="outline" onClick={() => setDialog('link')}>
                {t('console.triage.link')}
              </Button>
            </Group>
            <Textarea size="xs" label={t('console.triage.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} />
            <Group gap="xs">
              <Button size="xs" color="red" variant="outline" loading={reject.isPending} onClick={() => reject.mutate({ reportIds: [r.id], reason: 'spam', note }, { onSuccess: () => void report.refetch() })}>
                {t('console.triage.spam')}
              </Button>
              <Button size="xs" color="red" variant="outline" loading={reject.isPending} onClick={() => reject.mutate({ reportIds: [r.id], reason: 'rejected', note }, { onSuccess: () => void report.refetch() })}>
                {t('console.triage.reject')}
              </Button>
            </Group>
            {reject.isError && <Alert color="red">{reject.error.message}</Alert>}
          </Stack>
        </Paper>
      )}

      <Paper withBorder p="sm">
        <DetailList
          items={[
            { label: t('console.report.received'), value: formatDateTime(r.createdAt, i18n.language) },
            { label: t('console.report.occurred'), value: formatDateTime(r.occurredAt, i18n.language), hidden: !r.occurredAt },
            { label: t('console.report.discovered'), value: formatDateTime(r.discoveredAt, i18n.language), hidden: !r.discoveredAt },
            { label: t('console.report.reporter'), value: [r.reporter.name, r.reporter.organisation].filter(Boolean).join(' · ') || '—' },
            { label: t('console.report.email'), value: r.reporter.email ?? '—' },
            { label: t('console.report.phone'), value: r.reporter.phone ?? '—' },
            { label: t('console.report.language'), value: r.language },
            { label: t('console.report.rejectionNote'), value: r.rejectionNote, hidden: !r.rejectionNote },
            { label: t('console.report.description'), value: <span className="pre-wrap">{r.description}</span> },
            {
              label: t('console.report.assets'),
              value: <span className="mono pre-wrap">{r.assets.join('\n')}</span>,
              hidden: r.assets.length === 0,
            },
          ]}
        />
      </Paper>

      {pgp && <PgpStatusPanel status={pgp} />}

      {(r.channel === 'email' || r.reporter.email) && <ReportMailPanel reportId={r.id} />}

      {r.technical && <TechnicalDetails technical={r.technical} />}

      <Paper withBorder p="sm">
        <Title order={2} size="h5" mb="xs">
          {t('console.report.attachments')}
        </Title>
        {r.attachments.length === 0 ? (
          <Text size="sm">{t('common.none')}</Text>
        ) : (
          <Stack gap={2}>
            {r.attachments.map((a) => (
              <Text size="sm" key={a.id}>
                <Anchor href={`${API_BASE}/reports/${r.id}/attachments/${a.id}`} download={a.filename}>
                  {a.filename}
                </Anchor>{' '}
                ({formatBytes(a.size, i18n.language)}, {a.contentType}, <span className="mono">sha256:{a.sha256.slice(0, 16)}…</span>){' '}
                {canTriage && (
                  <Button
                    size="compact-xs"
                    variant="outline"
                    loading={analyse.isPending && analyse.variables === a.id}
                    onClick={() => analyse.mutate(a.id)}
                    aria-label={t('console.report.analyseOf', { name: a.filename })}
                  >
                    {t('console.report.analyse')}
                  </Button>
                )}
              </Text>
            ))}
          </Stack>
        )}
        {analyse.isError && (
          <Alert color="red" mt="xs">
            {analyse.error.message}
          </Alert>
        )}
      </Paper>

      {r.messages.length > 0 && (
        <Paper withBorder p="sm">
          <Title order={2} size="h5" mb="xs">
            {t('console.report.messages')}
          </Title>
          <Stack gap="xs">
            {r.messages.map((m) => (
              <Text size="sm" key={m.id}>
                <Text span fw={600}>
                  {t(m.from === 'team' ? 'console.report.fromTeam' : 'console.report.fromReporter')} · {formatDateTime(m.createdAt, i18n.language)}
                </Text>
                <br />
                <span className="pre-wrap">{m.body}</span>
              </Text>
            ))}
          </Stack>
        </Paper>
      )}

      {dialog === 'create' && <CreateIncidentDialog opened onClose={() => setDialog(null)} reportIds={[r.id]} defaultTitle={r.title ?? r.excerpt.slice(0, 120)} />}
      {dialog === 'link' && <LinkToIncidentDialog opened onClose={() => setDialog(null)} reportIds={[r.id]} onLinked={(incidentId) => void navigate(`/console/incidents/${incidentId}`)} />}
    </Stack>
  );
}
