import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { AuditLog } from './AuditLog.js';
import { DeadlinePolicyAdmin } from './DeadlinePolicyAdmin.js';
import { SettingsAdmin } from './SettingsAdmin.js';
import { UsersAdmin } from './UsersAdmin.js';

export default function AdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('console.nav.admin'));
  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('console.nav.admin')}
      </Title>
      <Tabs defaultValue="users" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="users">{t('console.admin.users')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('console.admin.settings')}</Tabs.Tab>
          <Tabs.Tab value="policy">{t('console.admin.policy')}</Tabs.Tab>
          <Tabs.Tab value="audit">{t('console.admin.audit')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="sm">
          <UsersAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="settings" pt="sm">
          <SettingsAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="policy" pt="sm">
          <DeadlinePolicyAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="audit" pt="sm">
          <AuditLog />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
