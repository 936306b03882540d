import { useState } from 'react';
import { Badge, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import { useConstituents } from '../shared/useDirectory.js';
import type { FeedSource } from './types.js';

const STAFF = ['admin', 'coordinator', 'analyst', 'auditor'];
export const isStaff = (role: string | undefined) => role !== undefined && STAFF.includes(role);
/** Who may create and edit feed sources (policy: feed:manage). */
export const canManageFeeds = (role: string | undefined) => role === 'admin' || role === 'coordinator';

const IMPORT_COLOR: Record<string, string> = { queued: 'gray', running: 'blue', done: 'green', failed: 'red' };

export function ImportStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={IMPORT_COLOR[status] ?? 'gray'} data-testid="import-status">
      {t(`console.feeds.importStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

const NOTICE_COLOR: Record<string, string> = { queued: 'gray', sent: 'blue', delivered: 'indigo', bounced: 'red', acknowledged: 'teal', resolved: 'green', escalated: 'orange' };

export function NoticeStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={NOTICE_COLOR[state] ?? 'gray'} data-testid="notice-state">
      {t(`console.feeds.noticeStates.${state}`, { defaultValue: state })}
    </Badge>
  );
}

/** "every 6 hours" for a schedule such as "6h" (minutes, hours or days). */
export function useScheduleText() {
  const { t } = useTranslation();
  return (schedule: string) => {
    const n = Number(schedule.slice(0, -1));
    const unit = schedule.at(-1);
    if (unit === 'd') return t('console.feeds.schedule.days', { n });
    if (unit === 'h') return t('console.feeds.schedule.hours', { n });
    return t('console.feeds.schedule.minutes', { n });
  };
}

/** Feed sources (staff only: feed:read). */
export function useFeedSources(enabled = true) {
  return useQuery({ queryKey: ['feeds'], queryFn: () => api.get<FeedSource[]>('/feeds'), enabled, staleTime: 30_000 });
}

/**
 * A searchable constituent choice: a search box narrowing a native select (fast, keyboard and
 * screen-reader friendly). `value` is a constituent id or ''.
 */
export function ConstituentFilter({ id, value, onChange }: { id: string; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 300);
  const list = useConstituents(debounced);
  const options = (list.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: t('console.feeds.filters.constituentById', { id: value.slice(0, 8) }) });
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <TextInput size="xs" id={`${id}-search`} label={t('console.feeds.filters.constituentSearch')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={150} />
      <NativeSelect
        size="xs"
        id={id}
        label={t('console.filters.constituent')}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[{ value: '', label: t('console.filters.all') }, ...options]}
        w={200}
      />
    </Group>
  );
}

/** How a source's files arrive: by upload, fetched from a URL on a schedule, and/or by mail. */
export function DeliveryText({ source }: { source: FeedSource }) {
  const { t } = useTranslation();
  const every = useScheduleText();
  const lines: string[] = [];
  if (source.pollUrl && source.schedule) lines.push(t('console.feeds.delivery.url', { interval: every(source.schedule) }));
  if (source.mailAddress) lines.push(t('console.feeds.delivery.mail', { address: source.mailAddress }));
  if (lines.length === 0) lines.push(t('console.feeds.delivery.upload'));
  return (
    <Stack gap={0}>
      {lines.map((l) => (
        <Text key={l} size="sm" className="wrap-narrow">
          {l}
        </Text>
      ))}
    </Stack>
  );
}

/** A filter that came with the link (an import, a notice, a feed), shown as a chip with a button that drops it. */
export function FilterChip({ label, clearLabel, onClear, testId }: { label: string; clearLabel: string; onClear: () => void; testId?: string }) {
  return (
    <Group gap="xs">
      <Badge variant="light" data-testid={testId}>
        {label}
      </Badge>
      <Button size="compact-xs" variant="subtle" onClick={onClear}>
        {clearLabel}
      </Button>
    </Group>
  );
}
