import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

// TLP 2.0 colours (FIRST): CLEAR white, GREEN green, AMBER amber, RED red, on a black label.
const TLP_STYLE: Record<string, { bg: string; fg: string }> = {
  CLEAR: { bg: '#000000', fg: '#ffffff' },
  GREEN: { bg: '#000000', fg: '#33ff00' },
  AMBER: { bg: '#000000', fg: '#ffc000' },
  'AMBER+STRICT': { bg: '#000000', fg: '#ffc000' },
  RED: { bg: '#000000', fg: '#ff2b2b' },
};

export function TlpBadge({ tlp }: { tlp: string }) {
  const style = TLP_STYLE[tlp] ?? { bg: '#495057', fg: '#ffffff' };
  return (
    <Badge radius="xs" styles={{ root: { background: style.bg, color: style.fg } }} data-testid="tlp-badge">
      TLP:{tlp}
    </Badge>
  );
}

const STATE_COLOR: Record<string, string> = {
  new: 'blue',
  triage: 'violet',
  in_progress: 'indigo',
  waiting: 'orange',
  resolved: 'green',
  closed: 'gray',
  rejected: 'red',
  linked: 'teal',
  spam: 'red',
};

export function StateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATE_COLOR[state] ?? 'gray'}>
      {t(`console.states.${state}`, { defaultValue: state })}
    </Badge>
  );
}

const LEVEL_COLOR = ['gray', 'yellow', 'orange', 'red', 'red'];

export function LevelBadge({ level }: { level: number | null }) {
  const { t } = useTranslation();
  if (level === null) return <span>{t('console.incident.noLevel')}</span>;
  return (
    <Badge variant={level >= 3 ? 'filled' : 'light'} color={LEVEL_COLOR[level] ?? 'gray'}>
      {t('console.incident.levelN', { level })}
    </Badge>
  );
}
