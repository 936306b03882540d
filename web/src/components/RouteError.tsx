import { Alert, Anchor, Container, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useRouteError } from 'react-router';

/** Shown when rendering a route throws (or a lazy chunk fails to load after a deploy). */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : null;
  return (
    <Container size="sm" py="xl" component="main">
      <Stack>
        <Title order={1}>{t('errors.pageTitle')}</Title>
        <Alert color="red" title={t('errors.pageBody')}>
          {detail}
        </Alert>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    </Container>
  );
}
