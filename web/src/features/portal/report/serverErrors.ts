import type { FieldIssue } from '../../../lib/api.js';
import type { FieldName } from './formValues.js';

const DIRECT: Record<string, FieldName> = {
  category: 'category',
  title: 'title',
  description: 'description',
  occurredAt: 'occurredAt',
  discoveredAt: 'discoveredAt',
  assets: 'assets',
  anonymous: 'anonymous',
  reporter: 'email',
  'reporter.name': 'name',
  'reporter.organisation': 'organisation',
  'reporter.email': 'email',
  'reporter.phone': 'phone',
  'technical.sourceIps': 'sourceIps',
  'technical.destinationIps': 'destinationIps',
  'technical.sourcePorts': 'sourcePorts',
  'technical.destinationPorts': 'destinationPorts',
  'technical.protocol': 'protocol',
  'technical.logs': 'logs',
  'technical.indicators': 'indicators',
  'technical.impact': 'confidentiality',
  'technical.impact.confidentiality': 'confidentiality',
  'technical.impact.integrity': 'integrity',
  'technical.impact.availability': 'availability',
  'technical.coreBusinessAffected': 'coreBusinessAffected',
  'technical.criticalInfrastructureAffected': 'criticalInfrastructureAffected',
  attachments: 'attachments',
};

/** `technical.sourceIps.3` → `sourceIps`; unknown paths → null (shown in the summary only). */
export function fieldForApiPath(path: string): FieldName | null {
  const withoutIndex = path.replace(/\.\d+$/, '').replace(/^\//, '').replace(/\//g, '.');
  return DIRECT[withoutIndex] ?? null;
}

export type ServerErrors = Partial<Record<FieldName, string[]>> & { _form?: string[] };

/**
 * Groups the API's `details` by form field. `describe` turns one issue into text in the UI's
 * language (the server's codes are stable; its messages may be missing or in English).
 */
export function groupServerIssues(issues: readonly FieldIssue[], describe: (issue: FieldIssue) => string): ServerErrors {
  const grouped: ServerErrors = {};
  for (const issue of issues) {
    const field = fieldForApiPath(issue.field);
    const message = describe(issue);
    if (field) (grouped[field] ??= []).push(message);
    else (grouped._form ??= []).push(issue.field ? `${issue.field}: ${message}` : message);
  }
  return grouped;
}
