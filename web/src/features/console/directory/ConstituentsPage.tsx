import { useState } from 'react';
import { Alert, Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import '../../../i18n/directory.js';
import { formatDate } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useSession } from '../auth/session.js';
import { TableScroll } from '../shared/TableScroll.js';
import { useConstituents, usePartnerName } from '../shared/useDirectory.js';
import { EXPORT_URL } from './constituentApi.js';
import { ConstituentImport } from './ConstituentImport.js';
import { canExportConstituents, canManageConstituents } from './roles.js';

export default function ConstituentsPage() {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [showImport, setShowImport] = useState(false);
  const constituents = useConstituents(q.trim());
  const partnerName = usePartnerName();
  const { data: session } = useSession();
  const role = session?.user.role;
  const canManage = canManageConstituents(role);
  useDocumentTitle(t('console.nav.constituents'));
  const items = constituents.data ?? [];
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h3">
          {t('console.nav.constituents')}
        </Title>
        <Group gap="xs">
          {canManage && (
            <Button size="xs" component={Link} to="/console/constituents/new">
              {t('console.directory.list.newConstituent')}
            </Button>
          )}
          {canManage && (
            <Button size="xs" variant="default" aria-expanded={showImport} aria-controls="constituent-import" onClick={() => setShowImport((x) => !x)}>
              {t('console.directory.import.title')}
            </Button>
          )}
          {canExportConstituents(role) && (
            <Button size="xs" variant="default" component="a" href={EXPORT_URL} download="constituents.csv">
              {t('console.directory.list.exportCsv')}
            </Button>
          )}
        </Group>
      </Group>
      {canManage && showImport && <ConstituentImport />}
      <TextInput size="xs" label={t('console.filters.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
      {constituents.isError && <Alert color="red">{constituents.error.message}</Alert>}
      <TableScroll label={t('console.directory.list.tableLabel')} minWidth={860}>
        <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="constituents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('console.constituents.name')}</Table.Th>
              <Table.Th>{t('console.filters.sector')}</Table.Th>
              <Table.Th>{t('console.constituents.sectorCert')}</Table.Th>
              <Table.Th ta="right">{t('console.directory.list.netblocks')}</Table.Th>
              <Table.Th ta="right">{t('console.directory.list.domains')}</Table.Th>
              <Table.Th ta="right">{t('console.directory.list.contacts')}</Table.Th>
              <Table.Th>{t('console.constituents.since')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td className="wrap">
                  <Anchor component={Link} to={`/console/constituents/${c.id}`} size="sm">
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`console.sectors.${c.sector}`, { defaultValue: c.sector })}</Table.Td>
                <Table.Td>{c.partnerId ? partnerName(c.partnerId) : '—'}</Table.Td>
                <Table.Td ta="right">{c.netblocks.length}</Table.Td>
                <Table.Td ta="right">{c.domains.length}</Table.Td>
                <Table.Td ta="right">{c.contactCount}</Table.Td>
                <Table.Td>{formatDate(c.createdAt, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {constituents.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('console.directory.list.empty')}
        </Text>
      )}
    </Stack>
  );
}
