import { Alert, Fieldset, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldId } from './formValues.js';
import type { ReportForm } from './useReportForm.js';

export function ReporterFields({ form }: { form: ReportForm }) {
  const { t } = useTranslation();
  const anonymous = form.values.anonymous;
  return (
    <Fieldset legend={t('report.sections.contact')}>
      <Stack gap="md">
        <Switch
          id={fieldId('anonymous')}
          label={t('report.fields.anonymous.label')}
          description={t('report.fields.anonymous.description')}
          checked={anonymous}
          onChange={(event) => form.set('anonymous', event.currentTarget.checked)}
          error={form.errorFor('anonymous')}
        />
        {anonymous ? (
          <Alert color="blue" title={t('report.anonymousNote.title')}>
            {t('report.anonymousNote.body')}
          </Alert>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput {...form.textProps('name')} label={t('report.fields.name.label')} autoComplete="name" />
            <TextInput
              {...form.textProps('organisation')}
              label={t('report.fields.organisation.label')}
              autoComplete="organization"
            />
            <TextInput
              {...form.textProps('email')}
              type="email"
              label={t('report.fields.email.label')}
              description={t('report.fields.email.description')}
              autoComplete="email"
            />
            <TextInput {...form.textProps('phone')} type="tel" label={t('report.fields.phone.label')} autoComplete="tel" />
          </SimpleGrid>
        )}
      </Stack>
    </Fieldset>
  );
}
