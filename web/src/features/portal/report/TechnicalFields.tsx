import { Checkbox, Fieldset, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldId, IMPACT_FIELDS, LIMITS } from './formValues.js';
import type { ReportForm } from './useReportForm.js';
import { ImpactField } from './ImpactField.js';

export function TechnicalFields({ form }: { form: ReportForm }) {
  const { t } = useTranslation();
  const mono = { spellCheck: false, autoCapitalize: 'off', className: 'mono' } as const;
  return (
    <Fieldset legend={t('report.sections.technical')}>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            {...form.textProps('sourceIps')}
            {...mono}
            label={t('report.fields.sourceIps.label')}
            description={t('report.fields.sourceIps.description')}
            autosize
            minRows={2}
          />
          <Textarea
            {...form.textProps('destinationIps')}
            {...mono}
            label={t('report.fields.destinationIps.label')}
            description={t('report.fields.destinationIps.description')}
            autosize
            minRows={2}
          />
          <TextInput
            {...form.textProps('sourcePorts')}
            {...mono}
            label={t('report.fields.sourcePorts.label')}
            description={t('report.fields.sourcePorts.description')}
            inputMode="numeric"
          />
          <TextInput
            {...form.textProps('destinationPorts')}
            {...mono}
            label={t('report.fields.destinationPorts.label')}
            description={t('report.fields.destinationPorts.description')}
            inputMode="numeric"
          />
        </SimpleGrid>
        <TextInput
          {...form.textProps('protocol')}
          label={t('report.fields.protocol.label')}
          description={t('report.fields.protocol.description')}
          list="report-protocols"
        />
        <datalist id="report-protocols">
          {['TCP', 'UDP', 'ICMP', 'HTTP', 'HTTPS', 'DNS', 'SMTP', 'SSH', 'RDP', 'SMB'].map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <Textarea
          {...form.textProps('logs')}
          {...mono}
          label={t('report.fields.logs.label')}
          description={t('report.fields.logs.description', { max: LIMITS.logs })}
          autosize
          minRows={4}
          maxRows={16}
        />
        <Textarea
          {...form.textProps('indicators')}
          {...mono}
          label={t('report.fields.indicators.label')}
          description={t('report.fields.indicators.description')}
          autosize
          minRows={2}
          maxRows={10}
        />
        <Stack gap="xs">
          <Text fw={600} size="sm">
            {t('report.impact.title')}
          </Text>
          <Text size="sm">{t('report.impact.description')}</Text>
          {IMPACT_FIELDS.map((field) => (
            <ImpactField key={field} form={form} field={field} />
          ))}
        </Stack>
        <Checkbox
          id={fieldId('coreBusinessAffected')}
          label={t('report.fields.coreBusinessAffected.label')}
          checked={form.values.coreBusinessAffected}
          onChange={(event) => form.set('coreBusinessAffected', event.currentTarget.checked)}
          error={form.errorFor('coreBusinessAffected')}
        />
        <Checkbox
          id={fieldId('criticalInfrastructureAffected')}
          label={t('report.fields.criticalInfrastructureAffected.label')}
          description={t('report.fields.criticalInfrastructureAffected.description')}
          checked={form.values.criticalInfrastructureAffected}
          onChange={(event) => form.set('criticalInfrastructureAffected', event.currentTarget.checked)}
          error={form.errorFor('criticalInfrastructureAffected')}
        />
      </Stack>
    </Fieldset>
  );
}
