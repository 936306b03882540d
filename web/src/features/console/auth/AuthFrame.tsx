import type { ReactNode } from 'react';
import { Box, Container, Group, Paper, Stack, Title } from '@mantine/core';
import { LanguageSwitch } from '../../../components/LanguageSwitch.js';
import { useTeamName } from '../../portal/usePublicSettings.js';

/** The narrow centred frame of the sign-in, set-up and enrolment pages. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const teamName = useTeamName();
  return (
    <Box component="main" py="xl" id="main">
      <Container size={440}>
        <Stack gap="md">
          <Group justify="space-between">
            <Box fw={700}>{teamName}</Box>
            <LanguageSwitch />
          </Group>
          <Paper withBorder p="lg" shadow="xs">
            <Stack gap="md">
              <Title order={1} size="h2">
                {title}
              </Title>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Container>
    </Box>
  );
}
