import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FileDropzone } from '../../../components/FileDropzone.js';
import { isApiError } from '../../../lib/api.js';
import { usePublicSettings } from '../usePublicSettings.js';
import { validateFiles } from '../report/validateReport.js';
import { useAddFiles } from './useTrackedReport.js';

export function AddFilesForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const { data: settings } = usePublicSettings();
  const [files, setFiles] = useState<File[]>([]);
  const [serverError, setServerError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const mutation = useAddFiles(token);
  const rules = settings ? { maxBytes: settings.maxAttachmentBytes, maxFiles: settings.maxAttachments } : null;
  const issues = rules ? validateFiles(files, rules) : [];
  const messages = [...issues.map((issue) => t(`validation.${issue.code}`, { ...issue.params })), ...(serverError ? [serverError] : [])];

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (files.length === 0 || issues.length > 0) return;
    mutation.mutate(files, {
      onSuccess: () => {
        setFiles([]);
        setSent(true);
      },
      onError: (cause) => {
        if (isApiError(cause) && cause.status === 413) setServerError(t('validation.payloadTooLarge'));
        else setServerError(isApiError(cause) ? cause.message : t('errors.unexpected'));
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <FileDropzone
          id="track-files"
          label={t('track.addFiles.label')}
          files={files}
          onChange={(next) => {
            setFiles(next);
            setServerError(null);
            setSent(false);
          }}
          maxBytes={settings?.maxAttachmentBytes ?? null}
          maxFiles={settings?.maxAttachments ?? null}
          error={messages.length > 0 ? messages.join(' ') : undefined}
          disabled={mutation.isPending}
        />
        {sent && (
          <Alert color="green" role="status">
            {t('track.addFiles.sent')}
          </Alert>
        )}
        <div>
          <Button type="submit" variant="outline" loading={mutation.isPending} disabled={files.length === 0}>
            {t('track.addFiles.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
