import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { IncidentQueue } from './IncidentQueue.js';
import { ReportQueue } from './ReportQueue.js';

export default function QueuePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { data: session } = useSession();
  const role = session?.user.role;
  const showReports = role !== 'partner';
  const tab = showReports && params.get('tab') === 'reports' ? 'reports' : 'incidents';
  useDocumentTitle(t('console.queue.title'));

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('console.queue.title')}
      </Title>
      <Tabs
        value={tab}
        onChange={(value) => {
          const next = new URLSearchParams();
          if (value === 'reports') next.set('tab', 'reports');
          setParams(next);
        }}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="incidents">{t('console.queue.incidents')}</Tabs.Tab>
          {showReports && <Tabs.Tab value="reports">{t('console.queue.reports')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="incidents" pt="sm">
          <IncidentQueue />
        </Tabs.Panel>
        {showReports && (
          <Tabs.Panel value="reports" pt="sm">
            <ReportQueue canTriage={isHandler(role)} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
