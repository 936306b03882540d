import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../../lib/useDocumentTitle.js';
import { useTeamName } from './usePublicSettings.js';
import { ContactChannels } from './home/ContactChannels.js';
import { AfterReporting } from './home/AfterReporting.js';
import { HowWeProtect } from './home/HowWeProtect.js';
import { FollowReportForm } from './home/FollowReportForm.js';

export function HomePage() {
  const { t } = useTranslation();
  const teamName = useTeamName();
  useDocumentTitle(t('home.title'), teamName);

  return (
    <Stack gap="xl">
      <Stack gap="sm" component="section" aria-labelledby="home-title">
        <Title order={1} id="home-title">
          {t('home.title')}
        </Title>
        <Text size="lg">{t('home.intro')}</Text>
        <Group>
          <Button component={Link} to="/report" size="md">
            {t('home.startGeneral')}
          </Button>
          <Button component={Link} to="/report/advanced" size="md" variant="outline">
            {t('home.startAdvanced')}
          </Button>
        </Group>
        <Text size="sm">{t('home.whichForm')}</Text>
      </Stack>
      <ContactChannels />
      <AfterReporting />
      <HowWeProtect />
      <FollowReportForm />
    </Stack>
  );
}
