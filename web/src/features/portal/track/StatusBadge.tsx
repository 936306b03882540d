import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TrackStatus } from '../../../lib/publicTypes.js';

const COLORS: Record<TrackStatus, string> = {
  received: 'blue',
  in_progress: 'indigo',
  waiting_for_you: 'orange',
  resolved: 'green',
  closed: 'gray',
  rejected: 'red',
};

export function StatusBadge({ status }: { status: TrackStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="filled" size="lg" autoContrast>
      {t(`track.status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
