import { useState } from 'react';
import { TableScroll } from '../shared/TableScroll.js';
import type { FormEvent } from 'react';
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../../components/PageLoader.js';
import { api, isApiError } from '../../../lib/api.js';
import { formatDate, formatFingerprint } from '../../../lib/format.js';
import type { ContactKey, TeamKey } from './types.js';

const CONTACTS_KEY = ['keys', 'contacts'] as const;
/** Codes the server gives for a refused key (src/lib/pgp/keys.ts), translated here. */
const KEY_PROBLEMS = ['pgp_key_malformed', 'pgp_key_private', 'pgp_key_not-one', 'pgp_key_revoked', 'pgp_key_cannot-encrypt', 'pgp_key_cannot-sign'] as const;

function TeamKeyCard() {
  const { t } = useTranslation();
  const team = useQuery({ queryKey: ['keys', 'team'], queryFn: () => api.get<TeamKey>('/keys/team'), retry: false });
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="team-key-title">
      <Title order={2} size="h5" mb="xs" id="team-key-title">
        {t('console.mail.keys.team')}
      </Title>
      {team.isPending && <PageLoader />}
      {team.isError &&
        (isApiError(team.error) && team.error.status === 404 ? (
          <Text size="sm" data-testid="no-team-key">
            {t('console.mail.keys.noTeamKey')}
          </Text>
        ) : (
          <Alert color="red">{team.error.message}</Alert>
        ))}
      {team.data && (
        <Stack gap={6}>
          <Text size="sm">{t('console.mail.keys.teamIntro')}</Text>
          <Text size="sm" fw={600} id="team-fingerprint-label">
            {t('console.mail.keys.fingerprint')}
          </Text>
          <Text className="mono" size="md" aria-labelledby="team-fingerprint-label" data-testid="team-fingerprint">
            {team.data.formattedFingerprint || formatFingerprint(team.data.fingerprint)}
          </Text>
          {team.data.emails.length > 0 && <Text size="sm">{t('console.mail.keys.addresses', { addresses: team.data.emails.join(', ') })}</Text>}
          <Group gap="md">
            <Anchor href={team.data.url} download size="sm">
              {t('console.mail.keys.download')}
            </Anchor>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

function keyStatus(k: ContactKey): 'revoked' | 'expired' | 'valid' {
  return k.revoked ? 'revoked' : k.expired ? 'expired' : 'valid';
}

function ImportKeyForm() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [armored, setArmored] = useState('');
  const [touched, setTouched] = useState(false);
  const importKey = useMutation({
    mutationFn: () => api.post<ContactKey>('/keys/contacts', { armored }),
    onSuccess: () => {
      setArmored('');
      setTouched(false);
      return client.invalidateQueries({ queryKey: CONTACTS_KEY });
    },
  });
  const looksArmored = armored.includes('-----BEGIN PGP PUBLIC KEY BLOCK-----');
  // A private key never leaves the browser: refused here, before any request.
  const isPrivate = armored.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----');
  const clientError = isPrivate
    ? t('console.mail.keys.problems.pgp_key_private')
    : touched && armored.trim() !== '' && !looksArmored
      ? t('console.mail.keys.problems.notArmored')
      : undefined;
  const serverDetail = isApiError(importKey.error) ? importKey.error.details.find((d) => d.field === 'armored') : undefined;
  const serverError = serverDetail
    ? (KEY_PROBLEMS as readonly string[]).includes(serverDetail.code.replaceAll('.', '_'))
      ? t(`console.mail.keys.problems.${serverDetail.code.replaceAll('.', '_') as (typeof KEY_PROBLEMS)[number]}`)
      : serverDetail.message
    : undefined;

  async function readFile(file: File | undefined) {
    if (!file) return;
    setArmored(await file.text());
    setTouched(true);
  }
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!looksArmored || isPrivate) return;
    importKey.mutate();
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="xs">
        <Title order={3} size="h6">
          {t('console.mail.keys.import')}
        </Title>
        <Textarea
          id="contact-key-armored"
          size="xs"
          label={t('console.mail.keys.armored')}
          description={t('console.mail.keys.armoredHelp')}
          value={armored}
          onChange={(e) => {
            setArmored(e.currentTarget.value);
            if (importKey.isError || importKey.isSuccess) importKey.reset();
          }}
          onBlur={() => setTouched(true)}
          error={serverError ?? clientError}
          autosize
          minRows={4}
          maxRows={12}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="sm">
          <label htmlFor="contact-key-file" className="mantine-focus-auto">
            <Text size="sm" span>
              {t('console.mail.keys.chooseFile')}
            </Text>{' '}
            <input id="contact-key-file" type="file" accept=".asc,.txt,.pub,.gpg,application/pgp-keys,text/plain" onChange={(e) => void readFile(e.currentTarget.files?.[0])} />
          </label>
        </Group>
        {importKey.isError && !serverDetail && <Alert color="red">{importKey.error.message}</Alert>}
        {importKey.isSuccess && (
          <Text size="sm" role="status" data-testid="key-imported">
            {t('console.mail.keys.imported', { fingerprint: formatFingerprint(importKey.data.fingerprint) })}
          </Text>
        )}
        <Group>
          <Button size="xs" type="submit" loading={importKey.isPending}>
            {t('console.mail.keys.importSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ContactKeys({ canImport }: { canImport: boolean }) {
  const { t, i18n } = useTranslation();
  const contacts = useQuery({ queryKey: CONTACTS_KEY, queryFn: () => api.get<{ items: ContactKey[] }>('/keys/contacts') });
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="contact-keys-title">
      <Stack gap="sm">
        <Title order={2} size="h5" id="contact-keys-title">
          {t('console.mail.keys.contacts')}
        </Title>
        <Text size="sm">{t('console.mail.keys.contactsIntro')}</Text>
        {contacts.isPending && <PageLoader />}
        {contacts.isError && <Alert color="red">{contacts.error.message}</Alert>}
        {contacts.data && contacts.data.items.length === 0 && (
          <Text size="sm" data-testid="contact-keys-empty">
            {t('console.mail.keys.noContacts')}
          </Text>
        )}
        {contacts.data && contacts.data.items.length > 0 && (
          <TableScroll label={t('console.mail.keys.contacts')} minWidth={800}>
            <Table striped verticalSpacing={4} fz="sm" className="dense-table" data-testid="contact-keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('console.mail.keys.owner')}</Table.Th>
                  <Table.Th>{t('console.mail.keys.fingerprint')}</Table.Th>
                  <Table.Th>{t('console.mail.keys.algorithm')}</Table.Th>
                  <Table.Th>{t('console.mail.keys.validity')}</Table.Th>
                  <Table.Th>{t('console.mail.keys.use')}</Table.Th>
                  <Table.Th>{t('console.mail.keys.added')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {contacts.data.items.map((k) => {
                  const status = keyStatus(k);
                  return (
                    <Table.Tr key={k.fingerprint}>
                      <Table.Td className="wrap">{k.userIds.join('; ') || k.emails.join(', ') || '—'}</Table.Td>
                      <Table.Td className="mono wrap">{formatFingerprint(k.fingerprint)}</Table.Td>
                      <Table.Td>{k.algorithm}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={status === 'valid' ? 'green' : 'red'}>
                          {t(`console.mail.keys.status.${status}`)}
                        </Badge>
                        <Text size="xs">
                          {k.expiresAt ? t('console.mail.keys.expires', { date: formatDate(k.expiresAt, i18n.language) }) : t('console.mail.keys.noExpiry')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {[k.canEncrypt && t('console.mail.keys.canEncrypt'), k.canSign && t('console.mail.keys.canSign')].filter(Boolean).join(t('console.mail.listSeparator')) || '—'}
                      </Table.Td>
                      <Table.Td>
                        {formatDate(k.addedAt, i18n.language)}
                        <Text size="xs">{t(`console.mail.keys.sources.${k.source}`, { defaultValue: k.source })}</Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </TableScroll>
        )}
        {canImport && <ImportKeyForm />}
      </Stack>
    </Paper>
  );
}

/** The team's key pair (created by operators on the command line) and the keys of people we write to. */
export function KeysPanel({ canImport }: { canImport: boolean }) {
  return (
    <Stack gap="md">
      <TeamKeyCard />
      <ContactKeys canImport={canImport} />
    </Stack>
  );
}
