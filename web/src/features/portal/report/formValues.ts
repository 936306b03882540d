import type { ImpactLevel } from '../../../lib/publicTypes.js';

export type FormVariant = 'general' | 'advanced';

/** Everything the reporter types, as strings and booleans (what inputs hold). */
export interface ReportFormValues {
  category: string;
  title: string;
  description: string;
  occurredAt: string; // datetime-local value, browser's zone
  discoveredAt: string;
  assets: string; // one per line
  anonymous: boolean;
  name: string;
  organisation: string;
  email: string;
  phone: string;
  sourceIps: string;
  destinationIps: string;
  sourcePorts: string;
  destinationPorts: string;
  protocol: string;
  logs: string;
  indicators: string;
  confidentiality: ImpactLevel | '';
  integrity: ImpactLevel | '';
  availability: ImpactLevel | '';
  coreBusinessAffected: boolean;
  criticalInfrastructureAffected: boolean;
}

export type ValueField = keyof ReportFormValues;
export type FieldName = ValueField | 'attachments';

export const IMPACT_FIELDS = ['confidentiality', 'integrity', 'availability'] as const;

export const EMPTY_VALUES: ReportFormValues = {
  category: '',
  title: '',
  description: '',
  occurredAt: '',
  discoveredAt: '',
  assets: '',
  anonymous: false,
  name: '',
  organisation: '',
  email: '',
  phone: '',
  sourceIps: '',
  destinationIps: '',
  sourcePorts: '',
  destinationPorts: '',
  protocol: '',
  logs: '',
  indicators: '',
  confidentiality: '',
  integrity: '',
  availability: '',
  coreBusinessAffected: false,
  criticalInfrastructureAffected: false,
};

/** Limits mirrored from the API contract. */
export const LIMITS = {
  title: 200,
  description: 20_000,
  logs: 100_000,
  assets: 100,
  listItems: 100, // addresses and ports
  indicators: 500,
  asset: 4096,
  name: 200,
  organisation: 200,
  phone: 50,
  protocol: 30,
  indicator: 2048,
} as const;

/** The DOM id of a field's input, used by the error summary's links. */
export function fieldId(field: FieldName): string {
  return `report-${field}`;
}
