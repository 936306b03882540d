import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDateTime } from '../../../lib/format.js';
import { DetailList } from '../shared/DetailList.js';
import { TableScroll } from '../shared/TableScroll.js';
import { usePartnerName } from '../shared/useDirectory.js';
import type { Constituent } from '../types.js';
import { byAddress } from './formModel.js';
import { SCOPE_KINDS } from './problems.js';

const SCOPE_LABEL = { netblocks: 'console.directory.list.netblocks', asns: 'console.directory.form.asns', domains: 'console.directory.list.domains' } as const;

/** A constituent as read: details, scope (scrollable lists: there may be hundreds) and contacts. */
export function ConstituentView({ constituent: c }: { constituent: Constituent }) {
  const { t, i18n } = useTranslation();
  const partnerName = usePartnerName();
  const scope = { netblocks: byAddress(c.netblocks), asns: c.asns.map((a) => `AS${a}`), domains: c.domains };
  return (
    <Stack gap="sm">
      <Paper withBorder p="sm">
        <DetailList
          items={[
            { label: t('console.directory.form.sector'), value: t(`console.sectors.${c.sector}`, { defaultValue: c.sector }) },
            { label: t('console.constituents.sectorCert'), value: c.partnerId ? <Anchor component={Link} to={`/console/partners/${c.partnerId}`}>{partnerName(c.partnerId)}</Anchor> : '—' },
            { label: t('console.constituents.since'), value: formatDate(c.createdAt, i18n.language) },
            { label: t('console.directory.detail.updated'), value: formatDateTime(c.updatedAt, i18n.language) },
          ]}
        />
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="scope-title">
        <Title order={2} size="h5" mb="xs" id="scope-title">
          {t('console.directory.form.scope')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {SCOPE_KINDS.map((kind) => (
            <div key={kind} data-testid={`scope-${kind}`}>
              <Text size="sm" fw={600} id={`scope-${kind}-title`}>
                {t(SCOPE_LABEL[kind])} ({scope[kind].length})
              </Text>
              {scope[kind].length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('console.directory.detail.none')}
                </Text>
              ) : (
                <div role="region" aria-labelledby={`scope-${kind}-title`} tabIndex={0} style={{ maxHeight: '16rem', overflowY: 'auto' }}>
                  <ul className="plain-list mono">
                    {scope[kind].map((v) => (
                      <li key={v}>{v}</li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          ))}
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-labelledby="contacts-title">
        <Title order={2} size="h5" mb="xs" id="contacts-title">
          {t('console.directory.contacts.title')}
        </Title>
        {c.contacts.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('console.directory.contacts.empty')}
          </Text>
        ) : (
          <TableScroll label={t('console.directory.contacts.tableLabel')} minWidth={760}>
            <Table verticalSpacing={4} fz="sm" className="dense-table" data-testid="contacts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.directory.contacts.name')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.role')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.email')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.language')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.notifyMode')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.tlpCeiling')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.eventTypes')}</Table.Th>
                  <Table.Th>{t('console.directory.contacts.pgpKey')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.contacts.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>{k.name}</Table.Td>
                    <Table.Td>{k.role}</Table.Td>
                    <Table.Td>
                      <Anchor href={`mailto:${k.email}`} size="sm">
                        {k.email}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`console.directory.languages.${k.language}`)}</Table.Td>
                    <Table.Td>{t(`console.directory.notifyModes.${k.notifyMode}`)}</Table.Td>
                    <Table.Td>TLP:{k.tlpCeiling}</Table.Td>
                    <Table.Td className="wrap-narrow">{k.eventTypes.length ? k.eventTypes.join(' ') : t('console.directory.contacts.allTypes')}</Table.Td>
                    <Table.Td>
                      {k.pgpKey ? (
                        <details>
                          <summary>
                            <Badge size="sm" color="green" variant="light" component="span">
                              {t('console.directory.contacts.hasKey')}
                            </Badge>
                          </summary>
                          <pre className="mono" style={{ fontSize: 'var(--mantine-font-size-xs)', maxWidth: '32rem', overflowX: 'auto' }}>
                            {k.pgpKey}
                          </pre>
                        </details>
                      ) : (
                        <Group gap={4}>
                          <Text size="sm" c="dimmed">
                            {t('console.directory.contacts.noKey')}
                          </Text>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
      </Paper>
    </Stack>
  );
}
