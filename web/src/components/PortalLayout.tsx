import { useEffect, useRef } from 'react';
import { Anchor, Box, Container, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { LanguageSwitch } from './LanguageSwitch.js';
import { useTeamName } from '../features/portal/usePublicSettings.js';
import classes from './PortalLayout.module.css';

export function PortalLayout() {
  const { t } = useTranslation();
  const teamName = useTeamName();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstRender = useRef(true);

  // After client-side navigation, move focus to the new page so keyboard and screen-reader
  // users start at its top instead of on the link they just used.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <Box component="header" className={classes.header}>
        <Container size="lg">
          <Group justify="space-between" py="sm" wrap="wrap" gap="sm">
            <Anchor component={Link} to="/" className={classes.brand} underline="never">
              {teamName}
            </Anchor>
            <Group gap="md" wrap="wrap">
              <Box component="nav" aria-label={t('nav.main')}>
                <Group gap="md" component="ul" className={classes.navList}>
                  <li>
                    <NavLink to="/" end className={classes.navLink}>
                      {t('nav.home')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/report" end className={classes.navLink}>
                      {t('nav.report')}
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/report/advanced" className={classes.navLink}>
                      {t('nav.reportAdvanced')}
                    </NavLink>
                  </li>
                </Group>
              </Box>
              <LanguageSwitch />
            </Group>
          </Group>
        </Container>
      </Box>
      <Box component="main" id="main" tabIndex={-1} ref={mainRef} py="lg">
        <Container size="lg">
          <Outlet />
        </Container>
      </Box>
      <Box component="footer" className={classes.footer}>
        <Container size="lg" py="md">
          <Stack gap={4}>
            <Text size="sm">{t('footer.protected')}</Text>
            <Group gap="md">
              <Anchor component={Link} to="/console" size="sm">
                {t('footer.staff')}
              </Anchor>
            </Group>
          </Stack>
        </Container>
      </Box>
    </>
  );
}
