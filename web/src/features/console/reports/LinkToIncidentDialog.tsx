import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IncidentPicker } from '../shared/IncidentPicker.js';
import { useTriage } from './triage.js';

interface Props {
  opened: boolean;
  onClose: () => void;
  reportIds: string[];
  onLinked?: (incidentId: string) => void;
}

export function LinkToIncidentDialog({ opened, onClose, reportIds, onLinked }: Props) {
  const { t } = useTranslation();
  const { link } = useTriage();
  const [incidentId, setIncidentId] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!incidentId) return;
    link.mutate(
      { incidentId, reportIds },
      {
        onSuccess: () => {
          onClose();
          onLinked?.(incidentId);
        },
      },
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('console.triage.linkTitle', { count: reportIds.length })}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {link.isError && <Alert color="red">{link.error.message}</Alert>}
          <IncidentPicker value={incidentId} onChange={setIncidentId} />
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={link.isPending} disabled={!incidentId}>
              {t('console.triage.link')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
