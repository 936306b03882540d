import { Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import '../../../i18n/mail.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { isHandler, useSession } from '../auth/session.js';
import { KeysPanel } from './KeysPanel.js';
import { OutboxPanel } from './OutboxPanel.js';
import { ProfilePanel } from './ProfilePanel.js';
import { QuarantinePanel } from './QuarantinePanel.js';
import { TemplatesPanel } from './TemplatesPanel.js';

type MailTab = 'quarantine' | 'outbox' | 'templates' | 'keys' | 'profile';

/** Which tabs a role sees (mirrors the server's policy, src/modules/auth/policy.ts: quarantine for handlers, templates for administrators). */
function tabsFor(role: string | undefined): MailTab[] {
  const tabs: MailTab[] = [];
  if (isHandler(role)) tabs.push('quarantine');
  tabs.push('outbox');
  if (role === 'admin') tabs.push('templates');
  tabs.push('keys');
  if (role === 'admin') tabs.push('profile');
  return tabs;
}

export default function MailPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { data: session } = useSession();
  const role = session?.user.role;
  const tabs = tabsFor(role);
  const requested = params.get('tab') as MailTab | null;
  const tab = requested && tabs.includes(requested) ? requested : (tabs[0] ?? 'outbox');
  useDocumentTitle(`${t(`console.mail.tabs.${tab}`)} · ${t('console.mail.title')}`);

  return (
    <Stack gap="sm">
      <Title order={1} size="h3">
        {t('console.mail.title')}
      </Title>
      <Tabs value={tab} onChange={(value) => setParams(value ? { tab: value } : {})} keepMounted={false}>
        <Tabs.List>
          {tabs.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {t(`console.mail.tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="quarantine" pt="sm">
          <QuarantinePanel />
        </Tabs.Panel>
        <Tabs.Panel value="outbox" pt="sm">
          <OutboxPanel canRetry={isHandler(role)} />
        </Tabs.Panel>
        <Tabs.Panel value="templates" pt="sm">
          <TemplatesPanel />
        </Tabs.Panel>
        <Tabs.Panel value="keys" pt="sm">
          <KeysPanel canImport={role === 'admin' || role === 'coordinator'} />
        </Tabs.Panel>
        <Tabs.Panel value="profile" pt="sm">
          <ProfilePanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
