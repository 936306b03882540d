import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorSummary } from '../../../components/ErrorSummary.js';
import { FileDropzone } from '../../../components/FileDropzone.js';
import { isApiError } from '../../../lib/api.js';
import { currentLanguage } from '../../../i18n/index.js';
import { useDocumentTitle } from '../../../lib/useDocumentTitle.js';
import { usePublicSettings, useTeamName } from '../usePublicSettings.js';
import { fieldId } from './formValues.js';
import type { FormVariant } from './formValues.js';
import { IncidentFields } from './IncidentFields.js';
import { TechnicalFields } from './TechnicalFields.js';
import { ReporterFields } from './ReporterFields.js';
import { useReportForm } from './useReportForm.js';
import { hasErrors } from './validateReport.js';
import { groupServerIssues } from './serverErrors.js';
import { submitReport } from './submitReport.js';
import { describeIssue } from '../../../lib/describeIssue.js';
import { toReportBody } from './toReportBody.js';
import { summaryItems } from './summaryItems.js';

type Failure = 'client' | 'server' | 'network' | null;

export function ReportFormPage({ variant }: { variant: FormVariant }) {
  // A new form per variant: switching forms starts clean rather than mixing fields.
  return <ReportFormInner key={variant} variant={variant} />;
}

function ReportFormInner({ variant }: { variant: FormVariant }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const teamName = useTeamName();
  const { data: settings } = usePublicSettings();
  const rules = settings ? { maxBytes: settings.maxAttachmentBytes, maxFiles: settings.maxAttachments } : null;
  const form = useReportForm(variant, rules);
  const summaryRef = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [failureMessage, setFailureMessage] = useState<string | null>(null);
  const title = t(variant === 'advanced' ? 'report.advancedTitle' : 'report.generalTitle');
  useDocumentTitle(title, teamName);

  const mutation = useMutation({
    mutationFn: () => submitReport(toReportBody(form.values, variant, currentLanguage()), form.files),
    onSuccess: (created) => {
      void navigate('/report/submitted', { state: created });
    },
    onError: (error) => {
      if (isApiError(error) && error.status === 413) {
        form.setServerErrors({ attachments: [t('validation.payloadTooLarge')] });
        setFailure('server');
        setFailureMessage(error.message);
      } else if (isApiError(error) && error.details.length > 0) {
        form.setServerErrors(groupServerIssues(error.details, (issue) => describeIssue(t, issue)));
        setFailure('server');
        setFailureMessage(error.message);
      } else {
        setFailure(isApiError(error) && error.status === 0 ? 'network' : 'server');
        setFailureMessage(isApiError(error) ? error.message : t('errors.unexpected'));
      }
      focusSummary();
    },
  });

  function focusSummary() {
    // After React has rendered the summary.
    window.requestAnimationFrame(() => summaryRef.current?.focus());
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    form.showAllErrors();
    if (hasErrors(form.clientErrors)) {
      setFailure('client');
      setFailureMessage(null);
      focusSummary();
      return;
    }
    setFailure(null);
    mutation.mutate();
  }

  const items = failure ? summaryItems(form, t) : [];

  return (
    <Stack gap="lg" maw={860}>
      <Stack gap="xs">
        <Title order={1}>{title}</Title>
        <Text>{t(variant === 'advanced' ? 'report.advancedIntro' : 'report.generalIntro')}</Text>
        <Text size="sm">
          {variant === 'advanced' ? (
            <Anchor component={Link} to="/report">
              {t('report.switchToGeneral')}
            </Anchor>
          ) : (
            <Anchor component={Link} to="/report/advanced">
              {t('report.switchToAdvanced')}
            </Anchor>
          )}
        </Text>
        <Text size="sm">{t('report.requiredNote')}</Text>
      </Stack>

      {failure && (
        <ErrorSummary
          ref={summaryRef}
          title={t(failure === 'network' ? 'report.failure.networkTitle' : 'report.failure.title')}
          intro={
            failure === 'client'
              ? t('report.failure.client')
              : `${failureMessage ?? ''} ${t('report.failure.kept')}`.trim()
          }
          items={items}
        />
      )}

      <form onSubmit={onSubmit} noValidate>
        <Stack gap="lg">
          <IncidentFields form={form} categories={settings?.categories} />
          {variant === 'advanced' && <TechnicalFields form={form} />}
          <FileDropzone
            id={fieldId('attachments')}
            label={t('report.fields.attachments.label')}
            files={form.files}
            onChange={form.setFiles}
            maxBytes={settings?.maxAttachmentBytes ?? null}
            maxFiles={settings?.maxAttachments ?? null}
            error={form.errorFor('attachments')}
            disabled={mutation.isPending}
          />
          <ReporterFields form={form} />
          <Text size="sm">{t('report.privacyNote')}</Text>
          <div>
            <Button type="submit" size="md" loading={mutation.isPending}>
              {t('report.submit')}
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
