import { useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.js';
import { usePartnerName, usePartners } from '../shared/useDirectory.js';
import { useUserName } from '../shared/useUserName.js';
import type { Handoff } from '../types.js';
import type { IncidentActions } from './useIncident.js';

const FEEDBACK_STATUSES = ['acknowledged', 'in_progress', 'done', 'declined'] as const;

function FeedbackForm({ handoff, actions }: { handoff: Handoff; actions: IncidentActions }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (body.trim() === '') return;
    actions.feedback.mutate({ handoffId: handoff.id, body, ...(status ? { status } : {}) }, { onSuccess: () => setBody('') });
  }
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap={4} mt="xs">
        <Textarea size="xs" id={`feedback-${handoff.id}`} label={t('console.handoffs.feedback')} value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} />
        <Group gap="xs" align="flex-end">
          <NativeSelect
            size="xs"
            label={t('console.handoffs.newStatus')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={[{ value: '', label: t('console.handoffs.keepStatus') }, ...FEEDBACK_STATUSES.map((s) => ({ value: s, label: t(`console.handoffs.status.${s}`) }))]}
          />
          <Button size="xs" type="submit" disabled={body.trim() === ''} loading={actions.feedback.isPending}>
            {t('console.handoffs.sendFeedback')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface Props {
  handoffs: Handoff[];
  actions: IncidentActions;
  canHandOff: boolean;
  canGiveFeedback: boolean;
}

/** Hand-offs to partner CERTs and what they answered. */
export function HandoffsPanel({ handoffs, actions, canHandOff, canGiveFeedback }: Props) {
  const { t, i18n } = useTranslation();
  const partnerName = usePartnerName();
  const userName = useUserName();
  const { data: partners } = usePartners();
  const [partnerId, setPartnerId] = useState('');
  const [note, setNote] = useState('');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!partnerId || note.trim() === '') return;
    actions.handoff.mutate({ partnerId, note }, { onSuccess: () => setNote('') });
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="handoffs-title">
      <Title order={2} size="h5" mb="xs" id="handoffs-title">
        {t('console.incident.handoffs')}
      </Title>
      <Stack gap="sm">
        {handoffs.map((h) => (
          <Paper key={h.id} p="xs" bg="gray.0" data-testid="handoff">
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {partnerName(h.partnerId)}
              </Text>
              <Badge size="sm" variant="light">
                {t(`console.handoffs.status.${h.status}`, { defaultValue: h.status })}
              </Badge>
              <Text size="xs">{formatDateTime(h.createdAt, i18n.language)}</Text>
            </Group>
            <Text size="sm" className="pre-wrap">
              {h.note}
            </Text>
            {h.feedback.map((f) => (
              <Text size="sm" key={f.id} mt={4} pl="sm" style={{ borderLeft: '3px solid var(--mantine-color-blue-8)' }}>
                <Text span fw={600} size="xs">
                  {userName(f.authorId)} · {formatDateTime(f.createdAt, i18n.language)}
                  {f.status ? ` · ${t(`console.handoffs.status.${f.status}`, { defaultValue: f.status })}` : ''}
                </Text>
                <br />
                <span className="pre-wrap">{f.body}</span>
              </Text>
            ))}
            {canGiveFeedback && <FeedbackForm handoff={h} actions={actions} />}
          </Paper>
        ))}
        {handoffs.length === 0 && <Text size="sm">{t('console.handoffs.none')}</Text>}
      </Stack>
      {canHandOff && (
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="xs" mt="sm">
            <NativeSelect
              size="xs"
              id="handoff-partner"
              label={t('console.handoffs.partner')}
              value={partnerId}
              onChange={(e) => setPartnerId(e.currentTarget.value)}
              data={[{ value: '', label: t('console.filters.choose') }, ...(partners ?? []).map((p) => ({ value: p.id, label: `${p.shortName} · ${i18n.language === 'en' ? p.nameEn : p.nameZh}` }))]}
            />
            <Textarea size="xs" id="handoff-note" label={t('console.handoffs.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
            <Group>
              <Button size="xs" type="submit" disabled={!partnerId || note.trim() === ''} loading={actions.handoff.isPending}>
                {t('console.handoffs.handOff')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {(actions.handoff.isError || actions.feedback.isError) && (
        <Alert color="red" mt="xs">
          {(actions.handoff.error ?? actions.feedback.error)?.message}
        </Alert>
      )}
    </Paper>
  );
}
