import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import '../../../i18n/feeds.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { TlpBadge } from '../shared/badges.js';
import { TableScroll } from '../shared/TableScroll.js';
import { FeedSourceForm } from './FeedSourceForm.js';
import { canManageFeeds, DeliveryText, ImportStatusBadge, useFeedSources } from './shared.js';
import { UploadForm } from './UploadForm.js';

export default function FeedsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const role = session?.user.role;
  const [creating, setCreating] = useState(false);
  const sources = useFeedSources();
  useDocumentTitle(t('console.feeds.sources.title'));
  const items = sources.data ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h3">
          {t('console.feeds.sources.title')}
        </Title>
        <Group gap="sm">
          <Anchor component={Link} to="/console/events" size="sm">
            {t('console.feeds.sources.eventsLink')}
          </Anchor>
          <Anchor component={Link} to="/console/notices" size="sm">
            {t('console.feeds.sources.noticesLink')}
          </Anchor>
          {canManageFeeds(role) && !creating && (
            <Button size="xs" onClick={() => setCreating(true)}>
              {t('console.feeds.sources.new')}
            </Button>
          )}
        </Group>
      </Group>
      {creating && <FeedSourceForm onCancel={() => setCreating(false)} onDone={(saved) => void navigate(`/console/feeds/${saved.id}`)} />}
      {sources.isPending && <PageLoader />}
      {sources.isError && <Alert color="red">{sources.error.message}</Alert>}
      {sources.isSuccess && items.length === 0 && (
        <Text size="sm" data-testid="feeds-empty">
          {t('console.feeds.sources.empty')}
        </Text>
      )}
      {items.length > 0 && (
        <TableScroll label={t('console.feeds.sources.title')} minWidth={900}>
          <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="feed-sources">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('console.feeds.sources.name')}</Table.Th>
                <Table.Th>{t('console.feeds.sources.parser')}</Table.Th>
                <Table.Th>{t('console.feeds.sources.delivery')}</Table.Th>
                <Table.Th>{t('console.feeds.sources.tlp')}</Table.Th>
                <Table.Th>{t('console.feeds.sources.enabled')}</Table.Th>
                <Table.Th>{t('console.feeds.sources.lastImport')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id} data-row>
                  <Table.Td className="wrap-narrow">
                    <Anchor component={Link} to={`/console/feeds/${s.id}`} size="sm" data-row-link>
                      {s.name}
                    </Anchor>
                    {s.provider && (
                      <Text size="xs" c="dimmed">
                        {s.provider}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`console.feeds.parsers.${s.parser}`, { defaultValue: s.parser })}</Table.Td>
                  <Table.Td>
                    <DeliveryText source={s} />
                  </Table.Td>
                  <Table.Td>
                    <TlpBadge tlp={s.defaultTlp} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={s.enabled ? 'green' : 'gray'}>
                      {s.enabled ? t('console.feeds.sources.on') : t('console.feeds.sources.off')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {s.lastImport ? (
                      <Stack gap={2}>
                        <Group gap="xs" wrap="nowrap">
                          <Anchor component={Link} to={`/console/feed-imports/${s.lastImport.id}`} size="sm">
                            <time dateTime={s.lastImport.createdAt}>{formatDateTime(s.lastImport.createdAt, i18n.language)}</time>
                          </Anchor>
                          <ImportStatusBadge status={s.lastImport.status} />
                        </Group>
                        <Text size="xs">{t('console.feeds.sources.lastCounts', { rows: s.lastImport.rows, events: s.lastImport.events, rejected: s.lastImport.rejected })}</Text>
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('console.feeds.sources.never')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
      {isHandler(role) && items.some((s) => s.enabled) && <UploadForm sources={items} />}
    </Stack>
  );
}
