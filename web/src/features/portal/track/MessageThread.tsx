import { Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TrackMessage } from '../../../lib/publicTypes.js';
import { formatDateTime } from '../../../lib/format.js';
import classes from './MessageThread.module.css';

export function MessageThread({ messages }: { messages: readonly TrackMessage[] }) {
  const { t, i18n } = useTranslation();
  if (messages.length === 0) return <Text>{t('track.noMessages')}</Text>;
  const sorted = [...messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return (
    <Stack gap="sm" component="ol" className={classes.thread}>
      {sorted.map((message) => (
        <li key={message.id}>
          <Paper
            withBorder
            p="sm"
            className={message.from === 'team' ? classes.team : classes.reporter}
            data-from={message.from}
          >
            <Text size="sm" fw={600}>
              {t(message.from === 'team' ? 'track.fromTeam' : 'track.fromYou')}
              {' · '}
              <time dateTime={message.createdAt}>{formatDateTime(message.createdAt, i18n.language)}</time>
            </Text>
            <Text className="pre-wrap" mt={4}>
              {message.body}
            </Text>
          </Paper>
        </li>
      ))}
    </Stack>
  );
}
