import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Alert, Anchor, Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorSummary } from '../../../components/ErrorSummary.js';
import { api, isApiError } from '../../../lib/api.js';
import { describeIssue } from '../../../lib/describeIssue.js';
import { currentLanguage } from '../../../i18n/index.js';
import type { ReportCreated } from '../../../lib/publicTypes.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { IncidentFields } from '../../portal/report/IncidentFields.js';
import { ReporterFields } from '../../portal/report/ReporterFields.js';
import { groupServerIssues } from '../../portal/report/serverErrors.js';
import { summaryItems } from '../../portal/report/summaryItems.js';
import { toReportBody } from '../../portal/report/toReportBody.js';
import { useReportForm } from '../../portal/report/useReportForm.js';
import { hasErrors } from '../../portal/report/validateReport.js';

/** Staff log a report taken by phone: the general form's fields, sent as channel "phone". */
export default function PhoneReportPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState<ReportCreated | null>(null);
  useDocumentTitle(t('console.phone.title'));
  return (
    <Stack gap="md" maw={860}>
      <Title order={1} size="h3">
        {t('console.phone.title')}
      </Title>
      {created && (
        <Paper withBorder p="sm" role="status">
          <Text fw={600}>{t('console.phone.done')}</Text>
          <Text className="mono" size="lg" data-testid="tracking-number">
            {created.trackingNumber}
          </Text>
          <Text size="sm">{t('console.phone.trackingHelp')}</Text>
          <Text size="sm" className="mono" style={{ overflowWrap: 'anywhere' }}>
            {new URL(created.trackingUrl, window.location.origin).toString()}
          </Text>
          <Anchor component={Link} to={`/console/reports/${created.id}`} size="sm">
            {t('console.report.title')}
          </Anchor>
        </Paper>
      )}
      <PhoneReportForm
        key={formKey}
        onCreated={(result) => {
          setCreated(result);
          setFormKey((k) => k + 1); // a clean form for the next call
          void client.invalidateQueries({ queryKey: ['reports'] });
        }}
      />
    </Stack>
  );
}

function PhoneReportForm({ onCreated }: { onCreated: (created: ReportCreated) => void }) {
  const { t } = useTranslation();
  const form = useReportForm('general', null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: () => api.post<ReportCreated>('/reports/phone', { ...toReportBody(form.values, 'general', currentLanguage()), channel: 'phone' }),
    onSuccess: onCreated,
    onError: (error) => {
      if (isApiError(error) && error.details.length > 0) form.setServerErrors(groupServerIssues(error.details, (issue) => describeIssue(t, issue)));
      setFailed(isApiError(error) ? error.message : t('errors.unexpected'));
      window.requestAnimationFrame(() => summaryRef.current?.focus());
    },
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    form.showAllErrors();
    if (hasErrors(form.clientErrors)) {
      setFailed(t('report.failure.client'));
      window.requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setFailed(null);
    submit.mutate();
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <Text size="sm">{t('console.phone.intro')}</Text>
        {failed && <ErrorSummary ref={summaryRef} title={t('report.failure.title')} intro={failed} items={summaryItems(form, t)} />}
        {submit.isError && !isApiError(submit.error) && <Alert color="red">{t('errors.unexpected')}</Alert>}
        <IncidentFields form={form} categories={undefined} />
        <ReporterFields form={form} />
        <div>
          <Button type="submit" loading={submit.isPending}>
            {t('console.phone.submit')}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
