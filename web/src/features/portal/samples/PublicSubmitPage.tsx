import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import '../../../i18n/malware.js';
import { FileDropzone } from '../../../components/FileDropzone.js';
import { api, isApiError } from '../../../lib/api.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { useTeamName } from '../usePublicSettings.js';

interface Submitted {
  sampleId: string;
  reportToken?: string;
}

/** Anonymous sample submission (when the server allows it): the answer is a secret link to the report. */
export default function PublicSubmitPage() {
  const { t } = useTranslation();
  const teamName = useTeamName();
  const navigate = useNavigate();
  const [files, setFiles] = useState<File[]>([]);
  const [password, setPassword] = useState('');
  const [attempted, setAttempted] = useState(false);
  useDocumentTitle(t('console.malware.public.title'), teamName);
  const submit = useMutation({
    mutationFn: () => {
      const form = new FormData();
      if (password) form.append('password', password);
      form.append('file', files[0] as File);
      return api.upload<Submitted>('/public/samples', form);
    },
    onSuccess: (result) => {
      if (result.reportToken) void navigate(`/samples/${result.reportToken}`, { state: { justSubmitted: true } });
    },
  });
  const status = isApiError(submit.error) ? submit.error.status : 0;
  const refusal =
    status === 403 ? t('console.malware.public.off') : status === 429 ? t('console.malware.public.tooMany') : status === 413 ? t('console.malware.public.tooLarge') : submit.isError ? submit.error.message : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (files.length > 0) submit.mutate();
  }
  return (
    <Stack gap="lg" maw={860}>
      <Stack gap="xs">
        <Title order={1}>{t('console.malware.public.title')}</Title>
        <Text>{t('console.malware.public.intro')}</Text>
        <List size="sm">
          <List.Item>{t('console.malware.public.never')}</List.Item>
          <List.Item>{t('console.malware.public.confidential')}</List.Item>
          <List.Item>{t('console.malware.public.link')}</List.Item>
        </List>
      </Stack>
      <Paper withBorder p="md">
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <FileDropzone
              id="public-sample-file"
              label={t('console.malware.submit.file')}
              files={files}
              onChange={(next) => {
                setFiles(next.slice(-1));
                if (submit.isError) submit.reset();
              }}
              maxBytes={null}
              maxFiles={null}
              error={attempted && files.length === 0 ? t('console.malware.submit.problems.required') : undefined}
              disabled={submit.isPending}
            />
            <TextInput
              id="public-sample-password"
              label={t('console.malware.submit.password')}
              description={t('console.malware.submit.passwordHelp')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="off"
              spellCheck={false}
              maxLength={200}
            />
            {refusal && (
              <Alert color="red" role="alert">
                {refusal}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={submit.isPending}>
                {t('console.malware.submit.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
