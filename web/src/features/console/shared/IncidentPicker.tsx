import { useState } from 'react';
import { Radio, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import type { IncidentSummary, Page } from '../types.js';

interface Props {
  value: string;
  onChange: (id: string) => void;
  excludeId?: string;
}

/** Search incidents by number or title and pick one. */
export function IncidentPicker({ value, onChange, excludeId }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const results = useQuery({
    queryKey: ['incident-picker', q],
    queryFn: ({ signal }) => api.get<Page<IncidentSummary>>('/incidents', { query: { q: q.trim() || undefined, sort: 'updated', limit: 10 }, signal }),
  });
  const items = (results.data?.items ?? []).filter((i) => i.id !== excludeId);
  return (
    <Stack gap="xs">
      <TextInput id="incident-picker-search" label={t('console.triage.findIncident')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus />
      <Radio.Group value={value} onChange={onChange} label={t('console.triage.results')}>
        <Stack gap={4} mt={4}>
          {items.map((incident) => (
            <Radio key={incident.id} value={incident.id} label={`${incident.number} · ${incident.title}`} />
          ))}
          {items.length === 0 && !results.isPending && <Text size="sm">{t('console.triage.noResults')}</Text>}
        </Stack>
      </Radio.Group>
    </Stack>
  );
}
