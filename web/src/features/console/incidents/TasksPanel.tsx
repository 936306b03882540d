import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DeadlineText } from '../shared/DeadlineText.js';
import { useNow } from '../shared/useNow.js';
import type { IncidentTask } from '../types.js';
import type { IncidentActions } from './useIncident.js';

export function TasksPanel({ tasks, actions, readOnly }: { tasks: IncidentTask[]; actions: IncidentActions; readOnly: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const [title, setTitle] = useState('');
  const [dueAt, setDueAt] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (title.trim() === '') return;
    const due = dueAt ? new Date(dueAt).toISOString() : undefined;
    actions.addTask.mutate(
      { title: title.trim(), ...(due ? { dueAt: due } : {}) },
      {
        onSuccess: () => {
          setTitle('');
          setDueAt('');
        },
      },
    );
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="tasks-title">
      <Title order={2} size="h5" mb="xs" id="tasks-title">
        {t('console.incident.tasks')}
      </Title>
      <Stack gap={6}>
        {tasks.map((task) => (
          <Group key={task.id} gap="xs" wrap="nowrap">
            <Checkbox
              size="sm"
              checked={task.doneAt !== null}
              disabled={readOnly || actions.updateTask.isPending}
              onChange={(e) => actions.updateTask.mutate({ taskId: task.id, done: e.currentTarget.checked })}
              label={task.title}
              styles={{ label: { textDecoration: task.doneAt ? 'line-through' : undefined } }}
            />
            {task.dueAt && !task.doneAt && <DeadlineText kind="task" dueAt={task.dueAt} overdue={false} now={now} withKind={false} />}
          </Group>
        ))}
        {tasks.length === 0 && <Text size="sm">{t('console.tasks.none')}</Text>}
      </Stack>
      {!readOnly && (
        <form onSubmit={onSubmit} noValidate>
          <Group gap="xs" align="flex-end" mt="sm">
            <TextInput size="xs" id="task-title" label={t('console.tasks.new')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: 1 }} />
            <TextInput size="xs" id="task-due" type="datetime-local" label={t('console.tasks.due')} value={dueAt} onChange={(e) => setDueAt(e.currentTarget.value)} />
            <Button size="xs" type="submit" disabled={title.trim() === ''} loading={actions.addTask.isPending}>
              {t('console.tasks.add')}
            </Button>
          </Group>
          {(actions.addTask.isError || actions.updateTask.isError) && (
            <Alert color="red" mt="xs">
              {(actions.addTask.error ?? actions.updateTask.error)?.message}
            </Alert>
          )}
        </form>
      )}
    </Paper>
  );
}
