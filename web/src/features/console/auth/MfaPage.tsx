import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Code, CopyButton, Group, Image, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, isApiError } from '../../../lib/api.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { AuthFrame } from './AuthFrame.js';
import { SESSION_KEY, useSession } from './session.js';

interface MfaSetup {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

function svgDataUri(svg: string): string {
  // An <img> never runs scripts inside the SVG, unlike inline markup.
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const text = codes.join('\n');
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(`${t('console.mfa.recoveryFileHeader')}\n\n${text}\n`)}`;
  return (
    <Stack gap="sm">
      <Alert color="green" role="status">
        {t('console.mfa.enabled')}
      </Alert>
      <Text fw={600}>{t('console.mfa.recoveryTitle')}</Text>
      <Text size="sm">{t('console.mfa.recoveryHelp')}</Text>
      <List className="mono" data-testid="recovery-codes">
        {codes.map((code) => (
          <List.Item key={code}>{code}</List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="outline" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
        <Button component="a" variant="outline" href={download} download="tocsin-recovery-codes.txt">
          {t('console.mfa.download')}
        </Button>
      </Group>
      <Button onClick={onDone}>{t('console.mfa.saved')}</Button>
    </Stack>
  );
}

export function MfaPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { data: session } = useSession();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  useDocumentTitle(t('console.mfa.title'));

  const setup = useMutation({ mutationFn: () => api.post<MfaSetup>('/auth/mfa/setup') });
  const confirm = useMutation({
    mutationFn: (value: string) => api.post<{ recoveryCodes: string[] }>('/auth/mfa/confirm', { code: value }),
  });

  function onConfirm(event: FormEvent) {
    event.preventDefault();
    setError(null);
    confirm.mutate(code.replace(/\s/g, ''), {
      onSuccess: (result) => setRecoveryCodes(result.recoveryCodes),
      onError: (cause) => setError(isApiError(cause) ? cause.message : t('errors.unexpected')),
    });
  }

  async function finish() {
    await client.invalidateQueries({ queryKey: SESSION_KEY });
    void navigate('/console', { replace: true });
  }

  if (recoveryCodes) {
    return (
      <AuthFrame title={t('console.mfa.title')}>
        <RecoveryCodes codes={recoveryCodes} onDone={() => void finish()} />
      </AuthFrame>
    );
  }

  if (session?.user.mfaEnabled && !setup.data) {
    return (
      <AuthFrame title={t('console.mfa.title')}>
        <Text>{t('console.mfa.alreadyOn')}</Text>
        <Button variant="outline" onClick={() => void navigate('/console')}>
          {t('console.nav.queue')}
        </Button>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('console.mfa.title')}>
      {session?.user.mfaRequired && <Alert color="blue">{t('console.mfa.required')}</Alert>}
      <Text size="sm">{t('console.mfa.intro')}</Text>
      {!setup.data ? (
        <Button onClick={() => setup.mutate()} loading={setup.isPending}>
          {t('console.mfa.start')}
        </Button>
      ) : (
        <form onSubmit={onConfirm} noValidate>
          <Stack gap="sm">
            <Image src={svgDataUri(setup.data.qrSvg)} alt={t('console.mfa.qrAlt')} w={220} h={220} fit="contain" />
            <Text size="sm">{t('console.mfa.manual')}</Text>
            <Code data-testid="mfa-secret">{setup.data.secret}</Code>
            <TextInput
              id="mfa-code"
              label={t('console.mfa.code')}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              error={error}
              required
            />
            <Button type="submit" loading={confirm.isPending}>
              {t('console.mfa.confirm')}
            </Button>
          </Stack>
        </form>
      )}
      {setup.isError && <Alert color="red">{setup.error.message}</Alert>}
    </AuthFrame>
  );
}
