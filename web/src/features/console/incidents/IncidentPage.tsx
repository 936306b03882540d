import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Grid, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { formatDateTime } from '../../../lib/format.js';
import { isHandler, useSession } from '../auth/session.js';
import { LevelBadge, StateBadge, TlpBadge } from '../shared/badges.js';
import { useRsitLabels } from '../shared/useTaxonomy.js';
import { STAFF_ROLES } from '../types.js';
import { ClassificationEditor } from './ClassificationEditor.js';
import { CommentsPanel } from './CommentsPanel.js';
import { DeadlinesPanel } from './DeadlinesPanel.js';
import { HandoffsPanel } from './HandoffsPanel.js';
import { HistoryPanel } from './HistoryPanel.js';
import { SamplesPanel } from './SamplesPanel.js';
import { LinkedReportsPanel } from './LinkedReportsPanel.js';
import { TasksPanel } from './TasksPanel.js';
import { useIncident, useIncidentActions } from './useIncident.js';
import type { IncidentActions } from './useIncident.js';

function TitleEditor({ title, actions, readOnly }: { title: string; actions: IncidentActions; readOnly: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(title);
  if (!editing) {
    return (
      <Group gap="xs" wrap="nowrap">
        <Title order={1} size="h3">
          {title}
        </Title>
        {!readOnly && (
          <ActionIcon variant="subtle" aria-label={t('console.incident.editTitle')} onClick={() => setEditing(true)}>
            ✎
          </ActionIcon>
        )}
      </Group>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) actions.update.mutate({ title: value.trim() }, { onSuccess: () => setEditing(false) });
      }}
    >
      <TextInput
        label={t('console.incident.title')}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
        autoFocus
      />
    </form>
  );
}

export default function IncidentPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { data: session } = useSession();
  const incident = useIncident(id);
  const actions = useIncidentActions(id);
  const { classLabel, typeLabel } = useRsitLabels();
  const role = session?.user.role;
  const readOnly = !isHandler(role);
  useDocumentTitle(incident.data ? `${incident.data.number} ${incident.data.title}` : t('console.incident.page'));

  if (incident.isPending) return <PageLoader />;
  if (incident.isError) return <Alert color="red">{incident.error.message}</Alert>;
  const i = incident.data;

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Text size="sm" className="mono" data-testid="incident-number">
          {i.number}
        </Text>
        <TitleEditor key={i.title} title={i.title} actions={actions} readOnly={readOnly} />
        <Group gap="xs">
          <StateBadge state={i.state} />
          <LevelBadge level={i.level} />
          <TlpBadge tlp={i.tlp} />
          {i.rsitClass && (
            <Text size="sm">
              {classLabel(i.rsitClass)}
              {i.rsitType ? ` / ${typeLabel(i.rsitClass, i.rsitType)}` : ''}
            </Text>
          )}
          <Text size="xs">
            {t('console.incident.created')} {formatDateTime(i.createdAt, i18n.language)}
          </Text>
        </Group>
        {i.mergedIntoId && (
          <Alert color="yellow">
            {t('console.incident.mergedInto')}{' '}
            <Anchor component={Link} to={`/console/incidents/${i.mergedIntoId}`}>
              {t('console.incident.openMerged')}
            </Anchor>
          </Alert>
        )}
      </Stack>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <DeadlinesPanel deadlines={i.deadlines} />
            {role !== 'partner' && <LinkedReportsPanel incidentId={i.id} reports={i.reports} actions={actions} readOnly={readOnly} />}
            {role !== 'partner' && <CommentsPanel comments={i.comments} actions={actions} readOnly={readOnly} />}
            <HandoffsPanel handoffs={i.handoffs} actions={actions} canHandOff={!readOnly} canGiveFeedback={role === 'partner'} />
            {role !== 'partner' && <TasksPanel tasks={i.tasks} actions={actions} readOnly={readOnly} />}
            {role !== undefined && (STAFF_ROLES as readonly string[]).includes(role) && <SamplesPanel incidentId={i.id} />}
            {role !== 'partner' && <HistoryPanel incident={i} actions={actions} readOnly={readOnly} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ClassificationEditor key={i.updatedAt} incident={i} actions={actions} readOnly={readOnly} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
