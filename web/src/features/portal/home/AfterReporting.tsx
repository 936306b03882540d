import { List, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const STEPS = ['received', 'triage', 'contact', 'coordination', 'closing'] as const;

export function AfterReporting() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" component="section" aria-labelledby="home-after">
      <Title order={2} id="home-after">
        {t('home.after.title')}
      </Title>
      <List type="ordered" spacing="xs">
        {STEPS.map((step) => (
          <List.Item key={step}>{t(`home.after.steps.${step}`)}</List.Item>
        ))}
      </List>
    </Stack>
  );
}
