import { Alert, Anchor, Paper, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import { formatDate } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { DetailList } from '../shared/DetailList.js';
import { usePartnerName } from '../shared/useDirectory.js';
import type { Constituent } from '../types.js';

export default function ConstituentPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const partnerName = usePartnerName();
  const constituent = useQuery({ queryKey: ['constituent', id], queryFn: () => api.get<Constituent>(`/constituents/${id}`) });
  useDocumentTitle(constituent.data?.name ?? t('console.nav.constituents'));
  if (constituent.isPending) return <PageLoader />;
  if (constituent.isError) return <Alert color="red">{constituent.error.message}</Alert>;
  const c = constituent.data;
  return (
    <Stack gap="sm" maw={800}>
      <Anchor component={Link} to="/console/constituents" size="sm">
        ← {t('console.nav.constituents')}
      </Anchor>
      <Title order={1} size="h3">
        {c.name}
      </Title>
      <Paper withBorder p="sm">
        <DetailList
          items={[
            { label: t('console.filters.sector'), value: t(`console.sectors.${c.sector}`, { defaultValue: c.sector }) },
            { label: t('console.constituents.sectorCert'), value: c.partnerId ? <Anchor component={Link} to={`/console/partners/${c.partnerId}`}>{partnerName(c.partnerId)}</Anchor> : '—' },
            { label: t('console.constituents.since'), value: formatDate(c.createdAt, i18n.language) },
          ]}
        />
      </Paper>
      <Anchor component={Link} to={`/console?constituentId=${c.id}&state=all`}>
        {t('console.constituents.incidents')}
      </Anchor>
    </Stack>
  );
}
