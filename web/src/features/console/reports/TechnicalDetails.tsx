import { Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DetailList } from '../shared/DetailList.js';
import type { DetailItem } from '../shared/DetailList.js';

const LIST_FIELDS = ['sourceIps', 'destinationIps', 'sourcePorts', 'destinationPorts', 'indicators'] as const;

function asText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('\n');
  if (typeof value === 'boolean') return value ? '✓' : '—';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The advanced form's technical part, as the API returns it. */
export function TechnicalDetails({ technical }: { technical: Record<string, unknown> }) {
  const { t } = useTranslation();
  const impact = technical.impact as Record<string, unknown> | undefined;
  const items: DetailItem[] = [
    ...LIST_FIELDS.map((field) => ({
      label: t(`report.fields.${field}.label`),
      value: <span className="mono pre-wrap">{asText(technical[field])}</span>,
      hidden: technical[field] === undefined,
    })),
    { label: t('report.fields.protocol.label'), value: asText(technical.protocol), hidden: technical.protocol === undefined },
    {
      label: t('report.impact.title'),
      value: impact
        ? (['confidentiality', 'integrity', 'availability'] as const)
            .map((k) => `${t(`report.fields.${k}.label`)}: ${t(`report.impact.${String(impact[k])}` as 'report.impact.none', { defaultValue: String(impact[k]) })}`)
            .join(' · ')
        : '',
      hidden: !impact,
    },
    { label: t('report.fields.coreBusinessAffected.label'), value: asText(technical.coreBusinessAffected), hidden: technical.coreBusinessAffected === undefined },
    {
      label: t('report.fields.criticalInfrastructureAffected.label'),
      value: asText(technical.criticalInfrastructureAffected),
      hidden: technical.criticalInfrastructureAffected === undefined,
    },
    { label: t('report.fields.logs.label'), value: <pre className="mono pre-wrap" style={{ margin: 0 }}>{asText(technical.logs)}</pre>, hidden: technical.logs === undefined },
  ];
  return (
    <Paper withBorder p="sm">
      <Title order={2} size="h5" mb="xs">
        {t('report.sections.technical')}
      </Title>
      <DetailList items={items} />
    </Paper>
  );
}
