import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Paper, PasswordInput, SimpleGrid, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.js';
import { formatDateTime } from '../../../lib/format.js';
import { useConstituents, usePartners, useUsers } from '../shared/useDirectory.js';
import { ROLES } from '../types.js';
import type { User } from '../types.js';

function CreateUserForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const empty = { username: '', displayName: '', email: '', password: '', role: 'analyst', organisationId: '' };
  const [form, setForm] = useState(empty);
  const { data: partners } = usePartners();
  const { data: constituents } = useConstituents();
  // Partner and constituent users belong to an organisation, which limits what they see.
  const organisations =
    form.role === 'partner'
      ? (partners ?? []).map((p) => ({ value: p.id, label: `${p.shortName} · ${p.nameZh}` }))
      : form.role === 'constituent'
        ? (constituents ?? []).map((c) => ({ value: c.id, label: c.name }))
        : null;
  const create = useMutation({
    mutationFn: () =>
      api.post<User>('/users', {
        username: form.username.trim(),
        displayName: form.displayName.trim(),
        password: form.password,
        role: form.role,
        ...(form.email ? { email: form.email.trim() } : {}),
        ...(organisations && form.organisationId ? { organisationId: form.organisationId } : {}),
      }),
    onSuccess: () => {
      setForm(empty);
      return client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const set = (key: keyof typeof form, value: string) => setForm((f) => ({ ...f, [key]: value }));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  return (
    <Paper withBorder p="sm">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="xs">
          <Title order={2} size="h5">
            {t('console.users.create')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput id="new-user-username" size="xs" label={t('console.login.username')} value={form.username} onChange={(e) => set('username', e.currentTarget.value)} required />
            <TextInput id="new-user-name" size="xs" label={t('console.users.displayName')} value={form.displayName} onChange={(e) => set('displayName', e.currentTarget.value)} required />
            <TextInput size="xs" type="email" label={t('console.report.email')} value={form.email} onChange={(e) => set('email', e.currentTarget.value)} />
            <PasswordInput id="new-user-password" size="xs" label={t('console.login.password')} value={form.password} onChange={(e) => set('password', e.currentTarget.value)} autoComplete="new-password" required />
            <NativeSelect id="new-user-role" size="xs" label={t('console.users.role')} value={form.role} onChange={(e) => set('role', e.currentTarget.value)} data={ROLES.map((r) => ({ value: r, label: t(`console.roles.${r}`) }))} />
            {organisations && (
              <NativeSelect
                id="new-user-organisation"
                size="xs"
                label={t('console.users.organisation')}
                value={form.organisationId}
                onChange={(e) => set('organisationId', e.currentTarget.value)}
                data={[{ value: '', label: t('console.filters.choose') }, ...organisations]}
              />
            )}
          </SimpleGrid>
          {create.isError && <Alert color="red">{create.error.message}</Alert>}
          <Group>
            <Button size="xs" type="submit" loading={create.isPending}>
              {t('console.users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function UsersAdmin() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const users = useUsers(true);
  const update = useMutation({
    mutationFn: ({ id, ...patch }: { id: string; role?: string; disabled?: boolean; unlock?: boolean }) => api.patch<User>(`/users/${id}`, patch),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
  return (
    <Stack gap="sm">
      {(users.isError || update.isError) && <Alert color="red">{(users.error ?? update.error)?.message}</Alert>}
      <Table striped verticalSpacing={4} fz="sm" className="dense-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('console.login.username')}</Table.Th>
            <Table.Th>{t('console.users.displayName')}</Table.Th>
            <Table.Th>{t('console.users.role')}</Table.Th>
            <Table.Th>MFA</Table.Th>
            <Table.Th>{t('console.users.lastLogin')}</Table.Th>
            <Table.Th>{t('console.users.enabled')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(users.data ?? []).map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td className="mono">{u.username}</Table.Td>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>
                <NativeSelect
                  size="xs"
                  aria-label={t('console.users.roleOf', { name: u.username })}
                  value={u.role}
                  onChange={(e) => update.mutate({ id: u.id, role: e.currentTarget.value })}
                  data={ROLES.map((r) => ({ value: r, label: t(`console.roles.${r}`) }))}
                />
              </Table.Td>
              <Table.Td>
                <Badge size="sm" color={u.mfaEnabled ? 'green' : 'gray'} variant="light">
                  {u.mfaEnabled ? t('common.yes') : t('common.no')}
                </Badge>
              </Table.Td>
              <Table.Td>{u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : '—'}</Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Switch
                    size="xs"
                    aria-label={t('console.users.enabledOf', { name: u.username })}
                    checked={!u.disabled}
                    onChange={(e) => update.mutate({ id: u.id, disabled: !e.currentTarget.checked })}
                  />
                  {u.lockedUntil && (
                    <Button size="compact-xs" variant="outline" onClick={() => update.mutate({ id: u.id, unlock: true })}>
                      {t('console.users.unlock')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CreateUserForm />
    </Stack>
  );
}
