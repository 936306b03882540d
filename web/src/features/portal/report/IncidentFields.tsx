import { Fieldset, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldId, LIMITS } from './formValues.js';
import type { ReportForm } from './useReportForm.js';
import { REPORT_CATEGORIES } from '../../../lib/publicTypes.js';

export function IncidentFields({ form, categories }: { form: ReportForm; categories: readonly string[] | undefined }) {
  const { t } = useTranslation();
  const advanced = form.variant === 'advanced';
  const options = [
    { value: '', label: t('report.fields.category.placeholder') },
    ...(categories && categories.length > 0 ? categories : REPORT_CATEGORIES).map((value) => ({
      value,
      label: t(`categories.${value}`, { defaultValue: value }),
    })),
  ];

  return (
    <Fieldset legend={t('report.sections.what')}>
      <Stack gap="md">
        <NativeSelect
          id={fieldId('category')}
          name="category"
          label={t('report.fields.category.label')}
          description={t('report.fields.category.description')}
          data={options}
          value={form.values.category}
          onChange={(event) => {
            form.set('category', event.currentTarget.value);
            form.touch('category');
          }}
          onBlur={() => form.touch('category')}
          error={form.errorFor('category')}
          required
        />
        <TextInput
          {...form.textProps('title')}
          label={t('report.fields.title.label')}
          description={t('report.fields.title.description', { max: LIMITS.title })}
          maxLength={LIMITS.title + 50}
        />
        <Textarea
          {...form.textProps('description')}
          label={t('report.fields.description.label')}
          description={t(advanced ? 'report.fields.description.descriptionAdvanced' : 'report.fields.description.description')}
          autosize
          minRows={5}
          maxRows={20}
          required
        />
        <TextInput
          {...form.textProps('occurredAt')}
          type="datetime-local"
          label={t('report.fields.occurredAt.label')}
          description={t('report.fields.occurredAt.description')}
        />
        {advanced && (
          <TextInput
            {...form.textProps('discoveredAt')}
            type="datetime-local"
            label={t('report.fields.discoveredAt.label')}
            description={t('report.fields.discoveredAt.description')}
          />
        )}
        <Textarea
          {...form.textProps('assets')}
          label={t('report.fields.assets.label')}
          description={t('report.fields.assets.description', { max: LIMITS.assets })}
          autosize
          minRows={2}
          maxRows={10}
          spellCheck={false}
          autoCapitalize="off"
          className="mono"
        />
      </Stack>
    </Fieldset>
  );
}
