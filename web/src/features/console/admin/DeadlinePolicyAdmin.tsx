import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import type { DeadlinePolicy, HoursByLevel } from '../types.js';

const LEVELS = ['1', '2', '3', '4'] as const;

function PolicyForm({ initial }: { initial: DeadlinePolicy }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [policy, setPolicy] = useState<DeadlinePolicy>(initial);
  const save = useMutation({
    mutationFn: () => api.put<DeadlinePolicy>('/deadline-policy', policy),
    onSuccess: (saved) => client.setQueryData(['deadline-policy'], saved),
  });
  const setHours = (field: 'levelReviewHours' | 'containmentHours', level: keyof HoursByLevel, value: number) =>
    setPolicy((p) => ({ ...p, [field]: { ...p[field], [level]: value } }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={640}>
        <Text size="sm">{t('console.policy.help')}</Text>
        <Table withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.incident.level')}</Table.Th>
              <Table.Th>{t('console.policy.review')}</Table.Th>
              <Table.Th>{t('console.policy.containment')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {LEVELS.map((level) => (
              <Table.Tr key={level}>
                <Table.Th scope="row">{t('console.incident.levelN', { level })}</Table.Th>
                <Table.Td>
                  <NumberInput size="xs" min={0.25} step={1} aria-label={`${t('console.policy.review')} ${level}`} value={policy.levelReviewHours[level]} onChange={(v) => setHours('levelReviewHours', level, Number(v))} />
                </Table.Td>
                <Table.Td>
                  <NumberInput size="xs" min={0.25} step={1} aria-label={`${t('console.policy.containment')} ${level}`} value={policy.containmentHours[level]} onChange={(v) => setHours('containmentHours', level, Number(v))} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <NumberInput size="xs" min={1} label={t('console.policy.improvement')} value={policy.improvementReportMonths} onChange={(v) => setPolicy((p) => ({ ...p, improvementReportMonths: Number(v) }))} w={240} />
        {save.isError && <Alert color="red">{save.error.message}</Alert>}
        {save.isSuccess && (
          <Text size="sm" role="status">
            {t('console.incident.saved')}
          </Text>
        )}
        <Group>
          <Button size="xs" type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function DeadlinePolicyAdmin() {
  const policy = useQuery({ queryKey: ['deadline-policy'], queryFn: () => api.get<DeadlinePolicy>('/deadline-policy') });
  if (policy.isPending) return <PageLoader />;
  if (policy.isError) return <Alert color="red">{policy.error.message}</Alert>;
  return <PolicyForm initial={policy.data} />;
}
