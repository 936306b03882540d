import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatBytes, formatDateTime } from '../../../lib/format.js';
import { TableScroll } from '../shared/TableScroll.js';
import { ImportStatusBadge } from './shared.js';
import type { FeedImport } from './types.js';

/** A source's imports, newest first, each linking to its page. */
export function ImportsTable({ imports }: { imports: readonly FeedImport[] }) {
  const { t, i18n } = useTranslation();
  return (
    <TableScroll label={t('console.feeds.source.imports')} minWidth={860}>
      <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="feed-imports">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.feeds.imports.when')}</Table.Th>
            <Table.Th>{t('console.feeds.imports.method')}</Table.Th>
            <Table.Th>{t('console.feeds.imports.file')}</Table.Th>
            <Table.Th>{t('console.feeds.imports.status')}</Table.Th>
            <Table.Th>{t('console.feeds.counts.rows')}</Table.Th>
            <Table.Th>{t('console.feeds.counts.rejected')}</Table.Th>
            <Table.Th>{t('console.feeds.counts.events')}</Table.Th>
            <Table.Th>{t('console.feeds.counts.matched')}</Table.Th>
            <Table.Th>{t('console.feeds.counts.notices')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {imports.map((imp) => (
            <Table.Tr key={imp.id} data-row>
              <Table.Td>
                <Anchor component={Link} to={`/console/feed-imports/${imp.id}`} size="sm" data-row-link>
                  <time dateTime={imp.createdAt}>{formatDateTime(imp.createdAt, i18n.language)}</time>
                </Anchor>
              </Table.Td>
              <Table.Td>{t(`console.feeds.methods.${imp.method}`, { defaultValue: imp.method })}</Table.Td>
              <Table.Td className="wrap-narrow">
                {imp.fileName ?? '—'} <Text span size="xs" c="dimmed">
                  ({formatBytes(imp.size, i18n.language)})
                </Text>
              </Table.Td>
              <Table.Td>
                <ImportStatusBadge status={imp.status} />
              </Table.Td>
              <Table.Td>{imp.rows}</Table.Td>
              <Table.Td>{imp.rejected}</Table.Td>
              <Table.Td>{imp.events}</Table.Td>
              <Table.Td>{imp.matched}</Table.Td>
              <Table.Td>{imp.notices}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableScroll>
  );
}
