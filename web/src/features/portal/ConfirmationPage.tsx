import { Alert, Anchor, Button, CopyButton, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useDocumentTitle } from '../../lib/useDocumentTitle.js';
import type { ReportCreated } from '../../lib/publicTypes.js';
import { useTeamName } from './usePublicSettings.js';

function isReportCreated(value: unknown): value is ReportCreated {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.trackingNumber === 'string' && typeof record.trackingUrl === 'string';
}

export function ConfirmationPage() {
  const { t } = useTranslation();
  const teamName = useTeamName();
  const location = useLocation();
  useDocumentTitle(t('confirmation.title'), teamName);
  const created: unknown = location.state;

  if (!isReportCreated(created)) {
    return (
      <Stack>
        <Title order={1}>{t('confirmation.missingTitle')}</Title>
        <Text>{t('confirmation.missingBody')}</Text>
        <Anchor component={Link} to="/">
          {t('nav.home')}
        </Anchor>
      </Stack>
    );
  }

  const link = new URL(created.trackingUrl, window.location.origin).toString();
  return (
    <Stack gap="lg" maw={760}>
      <Title order={1}>{t('confirmation.title')}</Title>
      <Text>{t('confirmation.body')}</Text>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={600} id="tracking-number-label">
              {t('confirmation.trackingNumber')}
            </Text>
            <Text size="xl" fw={700} className="mono" aria-labelledby="tracking-number-label" data-testid="tracking-number">
              {created.trackingNumber}
            </Text>
          </div>
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              label={t('confirmation.trackingLink')}
              value={link}
              readOnly
              onFocus={(event) => event.currentTarget.select()}
              style={{ flex: 1 }}
              className="mono"
              data-testid="tracking-link"
            />
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button variant="outline" onClick={copy} aria-live="polite">
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Anchor component={Link} to={created.trackingUrl}>
            {t('confirmation.open')}
          </Anchor>
        </Stack>
      </Paper>
      <Alert color="yellow" title={t('confirmation.keepTitle')}>
        {t('confirmation.keepBody')}
      </Alert>
      <Anchor component={Link} to="/">
        {t('nav.home')}
      </Anchor>
    </Stack>
  );
}
