import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FileDropzone } from '../../../components/FileDropzone.js';
import { api, isApiError } from '../../../lib/api.js';
import type { FeedImport, FeedSource } from './types.js';

/**
 * Upload one feed file to a source; the import runs on the job queue and its page opens at once
 * (it refreshes until the import is done). With one source the choice is not shown.
 */
export function UploadForm({ sources, fixed }: { sources: readonly FeedSource[]; fixed?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const usable = sources.filter((s) => s.enabled);
  const [sourceId, setSourceId] = useState(fixed ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [attempted, setAttempted] = useState(false);
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('file', files[0] as File);
      return api.upload<FeedImport>(`/feeds/${sourceId}/import`, form);
    },
    onSuccess: (imp) => {
      void client.invalidateQueries({ queryKey: ['feeds'] });
      void client.invalidateQueries({ queryKey: ['feed-imports', imp.sourceId] });
      void navigate(`/console/feed-imports/${imp.id}`);
    },
  });
  const fileError = attempted && files.length === 0 ? t('console.feeds.upload.fileRequired') : isApiError(upload.error) && upload.error.status === 413 ? t('console.feeds.upload.tooLarge') : undefined;
  const sourceError = attempted && !sourceId ? t('console.feeds.upload.sourceRequired') : undefined;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (files.length === 0 || !sourceId) return;
    upload.mutate();
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="feed-upload-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h5" id="feed-upload-title">
            {t('console.feeds.upload.title')}
          </Title>
          <Text size="sm">{t('console.feeds.upload.intro')}</Text>
          {!fixed && (
            <NativeSelect
              id="feed-upload-source"
              size="xs"
              label={t('console.feeds.upload.source')}
              value={sourceId}
              onChange={(e) => setSourceId(e.currentTarget.value)}
              data={[{ value: '', label: t('console.filters.choose') }, ...usable.map((s) => ({ value: s.id, label: s.name }))]}
              error={sourceError}
              maw={360}
            />
          )}
          <FileDropzone
            id="feed-upload-file"
            label={t('console.feeds.upload.file')}
            files={files}
            onChange={(next) => {
              setFiles(next.slice(-1));
              if (upload.isError) upload.reset();
            }}
            maxBytes={null}
            maxFiles={null}
            error={fileError}
            disabled={upload.isPending}
          />
          {upload.isError && !fileError && <Alert color="red" role="alert">{upload.error.message}</Alert>}
          <Group>
            <Button type="submit" size="xs" loading={upload.isPending}>
              {t('console.feeds.upload.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
