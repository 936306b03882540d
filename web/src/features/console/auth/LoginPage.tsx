import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../../lib/api.js';
import i18n, { hasStoredLanguage, isLanguage } from '../../../i18n/index.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { AuthFrame } from './AuthFrame.js';
import { needsMfaEnrolment, useLogin, useSession } from './session.js';

type Step = 'password' | 'totp' | 'recovery';

function redirectTarget(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = (state as { from: unknown }).from;
    if (typeof from === 'string' && from.startsWith('/console') && !from.startsWith('/console/login')) return from;
  }
  return '/console';
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { data: session } = useSession();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<Step>('password');
  const [error, setError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(t('console.login.title'));

  if (session) return <Navigate to={needsMfaEnrolment(session) ? '/console/mfa' : redirectTarget(location.state)} replace />;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const second = step === 'totp' ? { totp: code.replace(/\s/g, '') } : step === 'recovery' ? { recoveryCode: code.trim() } : {};
    login.mutate(
      { username: username.trim(), password, ...second },
      {
        onSuccess: (result) => {
          // The account's language applies (not remembered) unless this browser has a choice of its own.
          if (!hasStoredLanguage() && isLanguage(result.user.language)) void i18n.changeLanguage(result.user.language);
          void navigate(needsMfaEnrolment(result) ? '/console/mfa' : redirectTarget(location.state), { replace: true });
        },
        onError: (cause) => {
          if (isApiError(cause) && cause.code === 'mfa_required') {
            setStep((current) => (current === 'password' ? 'totp' : current));
            if (step !== 'password') setError(cause.message);
            window.requestAnimationFrame(() => codeRef.current?.focus());
            return;
          }
          setError(isApiError(cause) ? cause.message : t('errors.unexpected'));
        },
      },
    );
  }

  return (
    <AuthFrame title={t('console.login.title')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            id="login-username"
            label={t('console.login.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            autoComplete="username"
            required
            readOnly={step !== 'password'}
            autoFocus
          />
          <PasswordInput
            id="login-password"
            label={t('console.login.password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="current-password"
            required
            readOnly={step !== 'password'}
          />
          {step !== 'password' && (
            <TextInput
              ref={codeRef}
              id="login-code"
              label={t(step === 'totp' ? 'console.login.totp' : 'console.login.recoveryCode')}
              description={t(step === 'totp' ? 'console.login.totpHelp' : 'console.login.recoveryHelp')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              autoComplete="one-time-code"
              inputMode={step === 'totp' ? 'numeric' : 'text'}
              required
            />
          )}
          <Button type="submit" loading={login.isPending}>
            {t(step === 'password' ? 'console.login.submit' : 'console.login.verify')}
          </Button>
          {step !== 'password' && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setStep(step === 'totp' ? 'recovery' : 'totp');
                setCode('');
                setError(null);
              }}
            >
              {t(step === 'totp' ? 'console.login.useRecovery' : 'console.login.useTotp')}
            </Anchor>
          )}
        </Stack>
      </form>
    </AuthFrame>
  );
}
