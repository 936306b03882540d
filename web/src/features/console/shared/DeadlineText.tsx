import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.js';
import { relativeTime } from './relativeTime.js';

interface Props {
  kind: string;
  dueAt: string;
  overdue: boolean;
  metAt?: string | null;
  now: number;
  withKind?: boolean;
}

/** A deadline as a countdown, red and labelled when overdue; the absolute time is in the title. */
export function DeadlineText({ kind, dueAt, overdue, metAt, now, withKind = true }: Props) {
  const { t, i18n } = useTranslation();
  const late = metAt ? metAt > dueAt : overdue || Date.parse(dueAt) < now;
  const kindLabel = withKind ? `${t(`console.deadlines.${kind}`, { defaultValue: kind })}: ` : '';
  if (metAt) {
    return (
      <Text size="sm" span title={formatDateTime(dueAt, i18n.language)}>
        {kindLabel}
        {t(late ? 'console.deadlines.metLate' : 'console.deadlines.met', { when: formatDateTime(metAt, i18n.language) })}
      </Text>
    );
  }
  return (
    <Text size="sm" span c={late ? 'red' : undefined} fw={late ? 700 : undefined} title={formatDateTime(dueAt, i18n.language)} data-overdue={late}>
      {kindLabel}
      {late ? `${t('console.deadlines.overdue')} · ` : ''}
      {relativeTime(dueAt, now, i18n.language)}
    </Text>
  );
}
