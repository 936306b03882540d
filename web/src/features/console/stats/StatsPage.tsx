import { useState } from 'react';
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { DISPLAY_TIME_ZONE } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useRsitLabels } from '../shared/useTaxonomy.js';
import type { Stats } from '../types.js';
import { BarChart } from './BarChart.js';
import type { Bar } from './BarChart.js';
import { statsToCsv } from './statsCsv.js';

/** YYYY-MM-DD of a moment in the deployment's zone (the date inputs and the range use it). */
function zonedDate(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function bars(counts: Record<string, number>, label: (key: string) => string, sortByKey = false): Bar[] {
  const entries = Object.entries(counts).map(([key, value]) => ({ key, label: label(key), value }));
  return sortByKey ? entries.sort((a, b) => a.key.localeCompare(b.key)) : entries.sort((a, b) => b.value - a.value);
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs">{label}</Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

export default function StatsPage() {
  const { t } = useTranslation();
  const { classLabel } = useRsitLabels();
  const today = zonedDate(new Date());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  useDocumentTitle(t('console.nav.stats'));
  // Whole days in Asia/Taipei (UTC+8 all year, no daylight saving).
  const range = { from: from ? new Date(`${from}T00:00:00+08:00`).toISOString() : undefined, to: to ? new Date(`${to}T23:59:59.999+08:00`).toISOString() : undefined };
  const stats = useQuery({ queryKey: ['stats', range], queryFn: () => api.get<Stats>('/stats', { query: range }) });
  const unset = (key: string) => (key === 'unset' ? t('console.filters.unset') : key);

  function download(data: Stats) {
    const url = URL.createObjectURL(new Blob([statsToCsv(data)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `tocsin-stats-${from}-${to}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  }

  const d = stats.data;
  const compliance = d && d.deadlines.met > 0 ? Math.round((100 * d.deadlines.metOnTime) / d.deadlines.met) : null;
  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        {t('console.nav.stats')}
      </Title>
      <Group align="flex-end" gap="xs">
        <TextInput size="xs" type="date" label={t('console.stats.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput size="xs" type="date" label={t('console.stats.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button size="xs" variant="outline" disabled={!d} onClick={() => d && download(d)}>
          {t('console.stats.csv')}
        </Button>
      </Group>
      {stats.isPending && <PageLoader />}
      {stats.isError && <Alert color="red">{stats.error.message}</Alert>}
      {d && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Figure label={t('console.stats.incidents')} value={String(d.incidents)} />
            <Figure label={t('console.stats.reports')} value={String(d.reports)} />
            <Figure label={t('console.stats.medianResponse')} value={d.medianFirstResponseMinutes === null ? '—' : t('console.stats.minutes', { count: d.medianFirstResponseMinutes })} />
            <Figure label={t('console.stats.compliance')} value={compliance === null ? '—' : `${compliance}%`} />
            <Figure label={t('console.stats.overdueOpen')} value={String(d.deadlines.overdueOpen)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <BarChart title={t('console.stats.byMonth')} bars={bars(d.byMonth, unset, true)} valueLabel={t('console.stats.count')} />
            <BarChart title={t('console.stats.byRsitClass')} bars={bars(d.byRsitClass, (k) => (k === 'unset' ? unset(k) : classLabel(k)))} valueLabel={t('console.stats.count')} />
            <BarChart title={t('console.stats.byLevel')} bars={bars(d.byLevel, (k) => (k === 'unset' ? unset(k) : t('console.incident.levelN', { level: k })), true)} valueLabel={t('console.stats.count')} />
            <BarChart title={t('console.stats.bySector')} bars={bars(d.bySector, (k) => (k === 'unset' ? unset(k) : t(`console.sectors.${k}`, { defaultValue: k })))} valueLabel={t('console.stats.count')} />
            <BarChart title={t('console.stats.byChannel')} bars={bars(d.byChannel, (k) => t(`console.channels.${k}`, { defaultValue: k }))} valueLabel={t('console.stats.count')} />
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
