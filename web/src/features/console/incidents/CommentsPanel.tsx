import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Badge, Button, Group, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.js';
import { useUserName } from '../shared/useUserName.js';
import type { IncidentComment } from '../types.js';
import type { IncidentActions } from './useIncident.js';
import classes from './CommentsPanel.module.css';

type Visibility = 'internal' | 'reporter';

/** Internal notes and messages to the reporter, told apart by colour, label and border. */
export function CommentsPanel({ comments, actions, readOnly }: { comments: IncidentComment[]; actions: IncidentActions; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const userName = useUserName();
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('internal');
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (body.trim() === '') return setError(t('validation.required'));
    setError(null);
    actions.comment.mutate({ body, visibility }, { onSuccess: () => setBody('') });
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="comments-title">
      <Title order={2} size="h5" mb="xs" id="comments-title">
        {t('console.incident.comments')}
      </Title>
      <Stack gap="xs" component="ol" className={classes.list}>
        {comments.map((c) => (
          <li key={c.id} className={c.visibility === 'reporter' ? classes.reporter : classes.internal} data-visibility={c.visibility}>
            <Group gap="xs">
              <Badge size="sm" color={c.visibility === 'reporter' ? 'orange' : 'gray'} variant="filled">
                {t(c.visibility === 'reporter' ? 'console.comments.toReporter' : 'console.comments.internal')}
              </Badge>
              <Text size="xs" fw={600}>
                {userName(c.authorId)} · {formatDateTime(c.createdAt, i18n.language)}
              </Text>
            </Group>
            <Text size="sm" className="pre-wrap" mt={4}>
              {c.body}
            </Text>
          </li>
        ))}
      </Stack>
      {comments.length === 0 && <Text size="sm">{t('console.comments.none')}</Text>}
      {!readOnly && (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="xs" mt="sm">
            <Radio.Group value={visibility} onChange={(v) => setVisibility(v === 'reporter' ? 'reporter' : 'internal')} label={t('console.comments.visibility')}>
              <Group gap="md" mt={4}>
                <Radio value="internal" label={t('console.comments.internal')} />
                <Radio value="reporter" label={t('console.comments.toReporter')} />
              </Group>
            </Radio.Group>
            {visibility === 'reporter' && (
              <Alert color="orange" p="xs">
                {t('console.comments.reporterWarning')}
              </Alert>
            )}
            <Textarea id="comment-body" label={t('console.comments.body')} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={error} autosize minRows={2} maxRows={10} />
            {actions.comment.isError && <Alert color="red">{actions.comment.error.message}</Alert>}
            <Group>
              <Button size="xs" type="submit" loading={actions.comment.isPending} color={visibility === 'reporter' ? 'orange' : undefined}>
                {t(visibility === 'reporter' ? 'console.comments.sendToReporter' : 'console.comments.addInternal')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
