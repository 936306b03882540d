import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, isApiError } from '../../../lib/api.js';
import { currentLanguage } from '../../../i18n/index.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { AuthFrame } from './AuthFrame.js';

/** First run: create the first administrator with the one-time link the server printed. */
export function SetupPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const status = useQuery({ queryKey: ['setup-status'], queryFn: () => api.get<{ needed: boolean }>('/setup/status') });
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('console.setup.title'));
  const create = useMutation({
    mutationFn: () => api.post('/setup', { token, username: username.trim(), displayName: displayName.trim(), password, language: currentLanguage() }),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (password !== repeat) return setError(t('console.setup.mismatch'));
    setError(null);
    create.mutate(undefined, { onError: (cause) => setError(isApiError(cause) ? cause.message : t('errors.unexpected')) });
  }

  if (create.isSuccess || status.data?.needed === false) {
    return (
      <AuthFrame title={t('console.setup.title')}>
        <Text>{t(create.isSuccess ? 'console.setup.done' : 'console.setup.notNeeded')}</Text>
        <Anchor component={Link} to="/console/login">
          {t('console.login.title')}
        </Anchor>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('console.setup.title')}>
      <Text size="sm">{t('console.setup.intro')}</Text>
      {!token && <Alert color="red">{t('console.setup.noToken')}</Alert>}
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput id="setup-username" label={t('console.login.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="username" required />
          <TextInput id="setup-display" label={t('console.users.displayName')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} autoComplete="name" required />
          <PasswordInput id="setup-password" label={t('console.login.password')} description={t('console.setup.passwordHelp')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" required />
          <PasswordInput id="setup-repeat" label={t('console.setup.repeat')} value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)} autoComplete="new-password" required />
          <Button type="submit" loading={create.isPending} disabled={!token}>
            {t('console.setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthFrame>
  );
}
