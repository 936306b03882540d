import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.js';
import { useAddMessage } from './useTrackedReport.js';

const MAX = 20_000;

export function AddMessageForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const mutation = useAddMessage(token);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSent(false);
    if (body.trim() === '') return setError(t('validation.required'));
    if (body.length > MAX) return setError(t('validation.tooLong', { max: MAX, count: body.length }));
    setError(null);
    mutation.mutate(body, {
      onSuccess: () => {
        setBody('');
        setSent(true);
      },
      // The text stays in the box so nothing typed is lost.
      onError: (cause) => {
        const field = isApiError(cause) ? cause.details.find((d) => d.field === 'body') : undefined;
        setError(field?.message ?? (isApiError(cause) ? cause.message : t('errors.unexpected')));
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Textarea
          id="track-message"
          label={t('track.addMessage.label')}
          description={t('track.addMessage.description')}
          value={body}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            setError(null);
            setSent(false);
          }}
          error={error}
          autosize
          minRows={3}
          maxRows={12}
        />
        {sent && (
          <Alert color="green" role="status">
            {t('track.addMessage.sent')}
          </Alert>
        )}
        <div>
          <Button type="submit" loading={mutation.isPending}>
            {t('track.addMessage.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
