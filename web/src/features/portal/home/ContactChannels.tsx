import { Alert, Anchor, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePublicSettings } from '../usePublicSettings.js';
import { formatFingerprint } from '../../../lib/format.js';

export function ContactChannels() {
  const { t } = useTranslation();
  const { data: settings, isPending, isError } = usePublicSettings();

  return (
    <Stack gap="sm" component="section" aria-labelledby="home-channels">
      <Title order={2} id="home-channels">
        {t('home.channels.title')}
      </Title>
      {isError && <Alert color="red">{t('home.channels.unavailable')}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('home.channels.web')}
          </Title>
          <Text size="sm" mb="xs">
            {t('home.channels.webBody')}
          </Text>
          <Stack gap={4}>
            <Anchor component={Link} to="/report">
              {t('nav.report')}
            </Anchor>
            <Anchor component={Link} to="/report/advanced">
              {t('nav.reportAdvanced')}
            </Anchor>
            {/* Shown unless the server says anonymous sample submission is off (the page explains either way). */}
            {settings?.anonymousSamples !== false && (
              <Anchor component={Link} to="/samples">
                {t('home.channels.sample')}
              </Anchor>
            )}
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('home.channels.email')}
          </Title>
          {isPending ? (
            <Skeleton height={60} />
          ) : settings ? (
            <Stack gap={6}>
              <Anchor href={`mailto:${settings.email}`}>{settings.email}</Anchor>
              {settings.pgpFingerprint && (
                <>
                  <Text size="sm">{t('home.channels.pgpIntro')}</Text>
                  <Text size="sm" fw={600} id="pgp-fingerprint-label">
                    {t('home.channels.fingerprint')}
                  </Text>
                  <Text className="mono" size="sm" aria-labelledby="pgp-fingerprint-label" data-testid="pgp-fingerprint">
                    {formatFingerprint(settings.pgpFingerprint)}
                  </Text>
                </>
              )}
              {settings.pgpKeyUrl && (
                <Anchor href={settings.pgpKeyUrl} download>
                  {t('home.channels.downloadKey')}
                </Anchor>
              )}
            </Stack>
          ) : null}
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('home.channels.phone')}
          </Title>
          {isPending ? (
            <Skeleton height={24} />
          ) : settings?.phone ? (
            <Stack gap={6}>
              <Anchor href={`tel:${settings.phone.replace(/[^\d+]/g, '')}`}>{settings.phone}</Anchor>
              <Text size="sm">{t('home.channels.phoneBody')}</Text>
            </Stack>
          ) : null}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
