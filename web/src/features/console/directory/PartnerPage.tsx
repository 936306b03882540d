import { Alert, Anchor, Paper, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { DetailList } from '../shared/DetailList.js';
import type { Partner } from '../types.js';

export default function PartnerPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const partner = useQuery({ queryKey: ['partner', id], queryFn: () => api.get<Partner>(`/partners/${id}`) });
  useDocumentTitle(partner.data?.shortName ?? t('console.nav.partners'));
  if (partner.isPending) return <PageLoader />;
  if (partner.isError) return <Alert color="red">{partner.error.message}</Alert>;
  const p = partner.data;
  return (
    <Stack gap="sm" maw={800}>
      <Anchor component={Link} to="/console/partners" size="sm">
        ← {t('console.nav.partners')}
      </Anchor>
      <Title order={1} size="h3">
        {p.shortName} · {p.nameZh}
      </Title>
      <Paper withBorder p="sm">
        <DetailList
          items={[
            { label: t('console.partners.nameZh'), value: p.nameZh },
            { label: t('console.partners.nameEn'), value: p.nameEn },
            { label: t('console.partners.kind'), value: t(`console.partnerKinds.${p.kind}`, { defaultValue: p.kind }) },
            { label: t('console.filters.sector'), value: p.sector ? t(`console.sectors.${p.sector}`, { defaultValue: p.sector }) : '—' },
            { label: t('console.partners.country'), value: p.country },
            { label: t('console.report.email'), value: p.email ? <Anchor href={`mailto:${p.email}`}>{p.email}</Anchor> : '—' },
          ]}
        />
      </Paper>
    </Stack>
  );
}
