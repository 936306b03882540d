import { Alert, Paper, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DeadlineText } from '../shared/DeadlineText.js';
import { useNow } from '../shared/useNow.js';
import type { Deadline } from '../types.js';

export function DeadlinesPanel({ deadlines }: { deadlines: Deadline[] }) {
  const { t } = useTranslation();
  const now = useNow(15_000);
  const overdue = deadlines.filter((d) => !d.metAt && (d.overdue || Date.parse(d.dueAt) < now));
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="deadlines-title">
      <Title order={2} size="h5" mb="xs" id="deadlines-title">
        {t('console.incident.deadlines')}
      </Title>
      {overdue.length > 0 && (
        <Alert color="red" mb="xs" role="alert" title={t('console.deadlines.overdueTitle', { count: overdue.length })}>
          {t('console.deadlines.overdueBody')}
        </Alert>
      )}
      {deadlines.length === 0 ? (
        <span>{t('console.deadlines.none')}</span>
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="deadlines">
          {deadlines.map((d) => (
            <li key={d.kind}>
              <DeadlineText {...d} now={now} />
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
