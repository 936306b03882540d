import { useEffect } from 'react';
import { AppShell, Burger, Button, Group, NavLink as MantineNavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../../components/LanguageSwitch.js';
import { isApiError } from '../../../lib/api.js';
import { useTeamName } from '../../portal/usePublicSettings.js';
import { SESSION_KEY, useLogout, useSession } from '../auth/session.js';

interface NavItem {
  to: string;
  label:
    | 'console.nav.queue'
    | 'console.nav.phone'
    | 'console.nav.mail'
    | 'console.nav.samples'
    | 'console.nav.yara'
    | 'console.nav.feeds'
    | 'console.nav.events'
    | 'console.nav.notices'
    | 'console.nav.stats'
    | 'console.nav.partners'
    | 'console.nav.constituents'
    | 'console.nav.admin'
    | 'console.nav.mfa';
  roles?: readonly string[];
  end?: boolean;
  /** Other path prefixes under this item (e.g. a feed's imports under Feeds). */
  also?: readonly string[];
}

// Grouped by kind of work: intake, analysis, feeds and notices, directory, the rest.
const NAV: NavItem[] = [
  { to: '/console', label: 'console.nav.queue', end: true },
  { to: '/console/reports/phone', label: 'console.nav.phone', roles: ['admin', 'coordinator', 'analyst'] },
  { to: '/console/mail', label: 'console.nav.mail', roles: ['admin', 'coordinator', 'analyst', 'auditor'] },
  { to: '/console/samples', label: 'console.nav.samples', roles: ['admin', 'coordinator', 'analyst', 'auditor', 'constituent'] },
  { to: '/console/yara', label: 'console.nav.yara', roles: ['admin', 'coordinator', 'analyst', 'auditor'] },
  { to: '/console/feeds', label: 'console.nav.feeds', roles: ['admin', 'coordinator', 'analyst', 'auditor'], also: ['/console/feed-imports'] },
  { to: '/console/events', label: 'console.nav.events' },
  { to: '/console/notices', label: 'console.nav.notices' },
  { to: '/console/stats', label: 'console.nav.stats', roles: ['admin', 'coordinator', 'analyst', 'auditor'] },
  // As the policy allows: partners are listed for staff and partners, constituents for staff and constituents.
  { to: '/console/partners', label: 'console.nav.partners', roles: ['admin', 'coordinator', 'analyst', 'auditor', 'partner'] },
  { to: '/console/constituents', label: 'console.nav.constituents', roles: ['admin', 'coordinator', 'analyst', 'auditor', 'constituent'] },
  { to: '/console/admin', label: 'console.nav.admin', roles: ['admin'] },
  { to: '/console/mfa', label: 'console.nav.mfa' },
];

/** When any request answers 401 (session expired), drop the session so RequireSession redirects. */
function useSignOutOnUnauthenticated() {
  const client = useQueryClient();
  useEffect(
    () =>
      client.getQueryCache().subscribe((event) => {
        const error = event.query.state.error;
        if (event.type === 'updated' && isApiError(error) && error.status === 401 && event.query.queryKey[0] !== SESSION_KEY[0]) {
          client.setQueryData(SESSION_KEY, null);
        }
      }),
    [client],
  );
}

export function ConsoleLayout() {
  const { t } = useTranslation();
  const teamName = useTeamName();
  const { data: session } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  useSignOutOnUnauthenticated();
  useEffect(close, [location.pathname, close]);
  const role = session?.user.role ?? '';

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('console.nav.menu')} />
            <Text fw={700} truncate>
              {teamName} · {t('console.title')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Text size="sm" visibleFrom="sm" data-testid="console-user">
              {session?.user.displayName} ({t(`console.roles.${role}`, { defaultValue: role })})
            </Text>
            <Button
              size="compact-sm"
              variant="outline"
              onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/console/login') })}
            >
              {t('console.nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('console.nav.label')}>
        <Stack gap={2}>
          {NAV.filter((item) => !item.roles || item.roles.includes(role)).map((item) => (
            <MantineNavLink
              key={item.to}
              component={NavLink}
              to={item.to}
              end={item.end}
              label={t(item.label)}
              active={item.end ? location.pathname === item.to : [item.to, ...(item.also ?? [])].some((p) => location.pathname.startsWith(p))}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
