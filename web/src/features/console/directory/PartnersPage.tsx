import { Alert, Anchor, Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { usePartners } from '../shared/useDirectory.js';

export default function PartnersPage() {
  const { t } = useTranslation();
  const partners = usePartners();
  useDocumentTitle(t('console.nav.partners'));
  if (partners.isPending) return <PageLoader />;
  if (partners.isError) return <Alert color="red">{partners.error.message}</Alert>;
  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('console.nav.partners')}
      </Title>
      <Table striped verticalSpacing={4} fz="sm" className="dense-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.partners.shortName')}</Table.Th>
            <Table.Th>{t('console.partners.name')}</Table.Th>
            <Table.Th>{t('console.partners.kind')}</Table.Th>
            <Table.Th>{t('console.filters.sector')}</Table.Th>
            <Table.Th>{t('console.partners.country')}</Table.Th>
            <Table.Th>{t('console.report.email')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.data.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Anchor component={Link} to={`/console/partners/${p.id}`} size="sm">
                  {p.shortName}
                </Anchor>
              </Table.Td>
              <Table.Td className="wrap">
                {p.nameZh} / {p.nameEn}
              </Table.Td>
              <Table.Td>{t(`console.partnerKinds.${p.kind}`, { defaultValue: p.kind })}</Table.Td>
              <Table.Td>{p.sector ? t(`console.sectors.${p.sector}`, { defaultValue: p.sector }) : '—'}</Table.Td>
              <Table.Td>{p.country}</Table.Td>
              <Table.Td>{p.email ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
