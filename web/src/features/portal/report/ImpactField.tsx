import { Group, Radio } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldId } from './formValues.js';
import type { IMPACT_FIELDS } from './formValues.js';
import type { ReportForm } from './useReportForm.js';
import { IMPACT_LEVELS } from '../../../lib/publicTypes.js';
import type { ImpactLevel } from '../../../lib/publicTypes.js';

type ImpactField = (typeof IMPACT_FIELDS)[number];

function isImpact(value: string): value is ImpactLevel | '' {
  return value === '' || (IMPACT_LEVELS as readonly string[]).includes(value);
}

/** One CIA rating as a radio group (a fieldset with a legend, natively accessible). */
export function ImpactField({ form, field }: { form: ReportForm; field: ImpactField }) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      id={fieldId(field)}
      name={field}
      label={t(`report.fields.${field}.label`)}
      value={form.values[field]}
      onChange={(value) => {
        if (!isImpact(value)) return;
        form.set(field, value);
        form.touch(field);
      }}
      error={form.errorFor(field)}
    >
      <Group gap="md" mt={4}>
        <Radio value="" label={t('report.impact.unknown')} />
        {IMPACT_LEVELS.map((level) => (
          <Radio key={level} value={level} label={t(`report.impact.${level}`)} />
        ))}
      </Group>
    </Radio.Group>
  );
}
