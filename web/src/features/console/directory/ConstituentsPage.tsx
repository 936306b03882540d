import { useState } from 'react';
import { Alert, Anchor, Stack, Table, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useConstituents, usePartnerName } from '../shared/useDirectory.js';

export default function ConstituentsPage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const constituents = useConstituents(q.trim());
  const partnerName = usePartnerName();
  useDocumentTitle(t('console.nav.constituents'));
  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('console.nav.constituents')}
      </Title>
      <TextInput size="xs" label={t('console.filters.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
      {constituents.isError && <Alert color="red">{constituents.error.message}</Alert>}
      <Table striped verticalSpacing={4} fz="sm" className="dense-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.constituents.name')}</Table.Th>
            <Table.Th>{t('console.filters.sector')}</Table.Th>
            <Table.Th>{t('console.constituents.sectorCert')}</Table.Th>
            <Table.Th>{t('console.constituents.since')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(constituents.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td className="wrap">
                <Anchor component={Link} to={`/console/constituents/${c.id}`} size="sm">
                  {c.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`console.sectors.${c.sector}`, { defaultValue: c.sector })}</Table.Td>
              <Table.Td>{c.partnerId ? partnerName(c.partnerId) : '—'}</Table.Td>
              <Table.Td>{formatDate(c.createdAt, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
