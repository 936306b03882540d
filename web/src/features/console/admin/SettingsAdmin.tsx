import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../../components/PageLoader.js';
import { api } from '../../../lib/api.js';
import type { SiteSettings } from '../types.js';

function SettingsForm({ initial }: { initial: SiteSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [s, setS] = useState<SiteSettings>(initial);
  const save = useMutation({
    mutationFn: () => api.put<SiteSettings>('/settings', s),
    onSuccess: (saved) => {
      client.setQueryData(['settings'], saved);
      return client.invalidateQueries({ queryKey: ['public', 'settings'] });
    },
  });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm" maw={720}>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput size="xs" label={t('console.settings.teamNameZh')} value={s.teamName['zh-TW']} onChange={(e) => setS({ ...s, teamName: { ...s.teamName, 'zh-TW': e.currentTarget.value } })} />
          <TextInput size="xs" label={t('console.settings.teamNameEn')} value={s.teamName.en} onChange={(e) => setS({ ...s, teamName: { ...s.teamName, en: e.currentTarget.value } })} />
          <TextInput size="xs" type="email" label={t('console.settings.email')} value={s.email} onChange={(e) => setS({ ...s, email: e.currentTarget.value })} />
          <TextInput size="xs" label={t('console.settings.phone')} value={s.phone} onChange={(e) => setS({ ...s, phone: e.currentTarget.value })} />
          <TextInput size="xs" label={t('console.settings.trackingPrefix')} description={t('console.settings.prefixHelp')} value={s.trackingPrefix} onChange={(e) => setS({ ...s, trackingPrefix: e.currentTarget.value.toUpperCase() })} />
          <TextInput size="xs" label={t('console.settings.incidentPrefix')} description={t('console.settings.prefixHelp')} value={s.incidentPrefix} onChange={(e) => setS({ ...s, incidentPrefix: e.currentTarget.value.toUpperCase() })} />
        </SimpleGrid>
        <Switch label={t('console.settings.requireMfa')} checked={s.requireMfa} onChange={(e) => setS({ ...s, requireMfa: e.currentTarget.checked })} />
        {save.isError && <Alert color="red">{save.error.message}</Alert>}
        {save.isSuccess && (
          <Text size="sm" role="status">
            {t('console.incident.saved')}
          </Text>
        )}
        <Group>
          <Button size="xs" type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SettingsAdmin() {
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => api.get<SiteSettings>('/settings') });
  if (settings.isPending) return <PageLoader />;
  if (settings.isError) return <Alert color="red">{settings.error.message}</Alert>;
  return <SettingsForm initial={settings.data} />;
}
