import type { TFunction } from 'i18next';
import type { SummaryItem } from '../../../components/ErrorSummary.js';
import { fieldId } from './formValues.js';
import type { FieldName } from './formValues.js';
import type { ReportForm } from './useReportForm.js';

// Order of fields on the page, so the summary reads top to bottom.
const ORDER: FieldName[] = [
  'category',
  'title',
  'description',
  'occurredAt',
  'discoveredAt',
  'assets',
  'sourceIps',
  'destinationIps',
  'sourcePorts',
  'destinationPorts',
  'protocol',
  'logs',
  'indicators',
  'confidentiality',
  'integrity',
  'availability',
  'coreBusinessAffected',
  'criticalInfrastructureAffected',
  'attachments',
  'anonymous',
  'name',
  'organisation',
  'email',
  'phone',
];

export function summaryItems(form: ReportForm, t: TFunction): SummaryItem[] {
  const items: SummaryItem[] = [];
  for (const field of ORDER) {
    const label = t(`report.fields.${field}.label`);
    for (const message of form.messagesFor(field)) items.push({ targetId: fieldId(field), label, message });
  }
  for (const message of form.serverErrors._form ?? []) items.push({ targetId: null, label: '', message });
  return items;
}
