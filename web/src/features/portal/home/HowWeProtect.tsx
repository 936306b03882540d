import { List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const MEASURES = ['tls', 'pgp', 'access', 'deidentify', 'anonymous'] as const;

export function HowWeProtect() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" component="section" aria-labelledby="home-protect">
      <Title order={2} id="home-protect">
        {t('home.protect.title')}
      </Title>
      <List spacing="xs">
        {MEASURES.map((measure) => (
          <List.Item key={measure}>
            <Text span fw={600}>
              {t(`home.protect.${measure}.title`)}
            </Text>
            {' — '}
            {t(`home.protect.${measure}.body`)}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
