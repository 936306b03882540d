import { Alert, Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorLines } from '../../../components/ErrorLines.js';
import { CONTACT_LANGUAGES, NOTIFY_MODES, TLP_VALUES } from '../types.js';
import { contactFieldId, emptyContact } from './formModel.js';
import type { ContactDraft, FormErrors } from './formModel.js';
import type { ContactField } from './problems.js';

type TextField = Exclude<keyof ContactDraft, 'key'>;

/** A constituent's contacts as editable rows: add, remove, every field (PGP key pasted as text). */
export function ContactsEditor({ contacts, onChange, errors, listErrors }: { contacts: ContactDraft[]; onChange: (next: ContactDraft[]) => void; errors: FormErrors['contacts']; listErrors: string[] | undefined }) {
  const { t } = useTranslation();
  const set = (index: number, field: TextField, value: string) => onChange(contacts.map((c, i) => (i === index ? { ...c, [field]: value } : c)));
  const errorOf = (c: ContactDraft, field: ContactField) => {
    const list = errors[c.key]?.[field];
    return list?.length ? <ErrorLines messages={list} /> : undefined;
  };
  return (
    <Stack gap="sm" id="constituent-contacts" tabIndex={-1}>
      {listErrors?.length ? (
        <Alert color="red" variant="outline" p="xs">
          <ErrorLines messages={listErrors} />
        </Alert>
      ) : null}
      {contacts.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('console.directory.contacts.empty')}
        </Text>
      )}
      {contacts.map((c, i) => {
        const id = (field: ContactField) => contactFieldId(i, field);
        const rowProblems = errors[c.key]?._row;
        return (
          <Fieldset key={c.key} legend={t('console.directory.contacts.contactN', { n: i + 1 })} p="xs" data-testid="contact-row">
            <Stack gap="xs">
              {rowProblems?.length ? (
                <Text size="xs" c="red.9">
                  <ErrorLines messages={rowProblems} />
                </Text>
              ) : null}
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                <TextInput size="xs" id={id('name')} label={t('console.directory.contacts.name')} value={c.name} onChange={(e) => set(i, 'name', e.currentTarget.value)} error={errorOf(c, 'name')} required />
                <TextInput size="xs" id={id('role')} label={t('console.directory.contacts.role')} value={c.role} onChange={(e) => set(i, 'role', e.currentTarget.value)} error={errorOf(c, 'role')} required />
                <TextInput size="xs" id={id('email')} type="email" label={t('console.directory.contacts.email')} value={c.email} onChange={(e) => set(i, 'email', e.currentTarget.value)} error={errorOf(c, 'email')} required />
                <NativeSelect
                  size="xs"
                  id={id('language')}
                  label={t('console.directory.contacts.language')}
                  value={c.language}
                  onChange={(e) => set(i, 'language', e.currentTarget.value)}
                  data={CONTACT_LANGUAGES.map((l) => ({ value: l, label: t(`console.directory.languages.${l}`) }))}
                  error={errorOf(c, 'language')}
                />
                <NativeSelect
                  size="xs"
                  id={id('notifyMode')}
                  label={t('console.directory.contacts.notifyMode')}
                  value={c.notifyMode}
                  onChange={(e) => set(i, 'notifyMode', e.currentTarget.value)}
                  data={NOTIFY_MODES.map((m) => ({ value: m, label: t(`console.directory.notifyModes.${m}`) }))}
                  error={errorOf(c, 'notifyMode')}
                />
                <NativeSelect size="xs" id={id('tlpCeiling')} label={t('console.directory.contacts.tlpCeiling')} value={c.tlpCeiling} onChange={(e) => set(i, 'tlpCeiling', e.currentTarget.value)} data={TLP_VALUES.map((v) => ({ value: v, label: `TLP:${v}` }))} error={errorOf(c, 'tlpCeiling')} />
              </SimpleGrid>
              <TextInput size="xs" id={id('eventTypes')} label={t('console.directory.contacts.eventTypes')} description={t('console.directory.contacts.eventTypesHelp')} value={c.eventTypes} onChange={(e) => set(i, 'eventTypes', e.currentTarget.value)} error={errorOf(c, 'eventTypes')} />
              <Textarea
                size="xs"
                id={id('pgpKey')}
                label={t('console.directory.contacts.pgpKey')}
                description={t('console.directory.contacts.pgpHelp')}
                value={c.pgpKey}
                onChange={(e) => set(i, 'pgpKey', e.currentTarget.value)}
                error={errorOf(c, 'pgpKey')}
                autosize
                minRows={2}
                maxRows={8}
                spellCheck={false}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <Group justify="flex-end">
                <Button size="xs" variant="subtle" color="red" onClick={() => onChange(contacts.filter((_, j) => j !== i))}>
                  {t('console.directory.contacts.remove', { n: i + 1 })}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...contacts, emptyContact()])}>
          {t('console.directory.contacts.add')}
        </Button>
      </Group>
    </Stack>
  );
}
