import type { Language, ReportBody } from '../../../lib/publicTypes.js';
import { splitLines, splitList } from '../../../lib/validation.js';
import type { FormVariant, ReportFormValues } from './formValues.js';

function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function optionalList<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function isoFromLocal(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value); // datetime-local: read in the browser's zone
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Removes keys whose value is undefined: the API rejects unknown fields, and we send no empty ones. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function technicalPart(values: ReportFormValues): ReportBody['technical'] {
  const { confidentiality, integrity, availability } = values;
  const impact =
    confidentiality !== '' && integrity !== '' && availability !== ''
      ? { confidentiality, integrity, availability }
      : undefined;
  const technical = compact({
    sourceIps: optionalList(splitList(values.sourceIps)),
    destinationIps: optionalList(splitList(values.destinationIps)),
    sourcePorts: optionalList(splitList(values.sourcePorts).map(Number)),
    destinationPorts: optionalList(splitList(values.destinationPorts).map(Number)),
    protocol: optional(values.protocol),
    logs: values.logs.trim() === '' ? undefined : values.logs,
    indicators: optionalList(splitLines(values.indicators)),
    impact,
    coreBusinessAffected: values.coreBusinessAffected || undefined,
    criticalInfrastructureAffected: values.criticalInfrastructureAffected || undefined,
  });
  return Object.keys(technical).length > 0 ? technical : undefined;
}

/** The JSON the API expects (API.md § POST /api/v1/reports), from what the form holds. */
export function toReportBody(values: ReportFormValues, variant: FormVariant, language: Language): ReportBody {
  const reporter = values.anonymous
    ? undefined
    : compact({
        name: optional(values.name),
        organisation: optional(values.organisation),
        email: optional(values.email),
        phone: optional(values.phone),
      });
  return compact<ReportBody>({
    channel: variant === 'advanced' ? 'web-advanced' : 'web-general',
    anonymous: values.anonymous,
    reporter: reporter && Object.keys(reporter).length > 0 ? reporter : undefined,
    language,
    category: values.category,
    title: optional(values.title),
    description: values.description.trim(),
    occurredAt: isoFromLocal(values.occurredAt),
    discoveredAt: variant === 'advanced' ? isoFromLocal(values.discoveredAt) : undefined,
    assets: optionalList(splitLines(values.assets)),
    technical: variant === 'advanced' ? technicalPart(values) : undefined,
  });
}
