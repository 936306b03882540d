import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useRsitLabels, useTaxonomy } from '../shared/useTaxonomy.js';
import { TLP_VALUES } from '../types.js';
import { useTriage } from './triage.js';

interface Props {
  opened: boolean;
  onClose: () => void;
  reportIds: string[];
  defaultTitle: string;
}

/** Creates an incident from one or more reports, then opens it. */
export function CreateIncidentDialog({ opened, onClose, reportIds, defaultTitle }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: taxonomy } = useTaxonomy();
  const { classLabel } = useRsitLabels();
  const { createIncident } = useTriage();
  const [title, setTitle] = useState(defaultTitle);
  const [rsitClass, setRsitClass] = useState('');
  const [tlp, setTlp] = useState('AMBER');
  const [level, setLevel] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    createIncident.mutate(
      { title: title.trim(), reportIds, ...(rsitClass ? { rsitClass } : {}), tlp, ...(level ? { level: Number(level) } : {}) },
      {
        onSuccess: (incident) => {
          onClose();
          void navigate(`/console/incidents/${incident.id}`);
        },
      },
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('console.triage.createTitle', { count: reportIds.length })}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {createIncident.isError && <Alert color="red">{createIncident.error.message}</Alert>}
          <TextInput id="new-incident-title" label={t('console.incident.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-autofocus />
          <NativeSelect
            label={t('console.incident.rsitClass')}
            value={rsitClass}
            onChange={(e) => setRsitClass(e.currentTarget.value)}
            data={[{ value: '', label: t('console.filters.unset') }, ...(taxonomy?.rsit ?? []).map((c) => ({ value: c.id, label: classLabel(c.id) }))]}
          />
          <Group grow>
            <NativeSelect label="TLP" value={tlp} onChange={(e) => setTlp(e.currentTarget.value)} data={[...TLP_VALUES]} />
            <NativeSelect
              label={t('console.incident.level')}
              value={level}
              onChange={(e) => setLevel(e.currentTarget.value)}
              data={[{ value: '', label: t('console.filters.unset') }, ...['1', '2', '3', '4'].map((l) => ({ value: l, label: t('console.incident.levelN', { level: l }) }))]}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={createIncident.isPending} disabled={title.trim() === ''}>
              {t('console.triage.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
