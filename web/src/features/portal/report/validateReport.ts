import { isAsset, isEmail, isIpOrCidr, isPort, splitLines, splitList } from '../../../lib/validation.js';
import { IMPACT_FIELDS, LIMITS } from './formValues.js';
import type { FieldName, FormVariant, ReportFormValues } from './formValues.js';

export type IssueCode =
  | 'required'
  | 'tooLong'
  | 'tooMany'
  | 'invalidEmail'
  | 'invalidAsset'
  | 'invalidIp'
  | 'invalidPort'
  | 'invalidDate'
  | 'impactIncomplete'
  | 'contactRequired'
  | 'invalidPhone'
  | 'invalidProtocol'
  | 'beforeOccurred'
  | 'fileTooLarge'
  | 'tooManyFiles';

export interface ClientIssue {
  code: IssueCode;
  params?: Record<string, string | number>;
}

export type ClientErrors = Partial<Record<FieldName, ClientIssue[]>>;

function push(errors: ClientErrors, field: FieldName, issue: ClientIssue): void {
  (errors[field] ??= []).push(issue);
}

function checkLength(errors: ClientErrors, field: FieldName, value: string, max: number): void {
  if (value.length > max) push(errors, field, { code: 'tooLong', params: { max, count: value.length } });
}

function checkItems(
  errors: ClientErrors,
  field: FieldName,
  items: string[],
  valid: (item: string) => boolean,
  code: IssueCode,
  max: number = LIMITS.listItems,
): void {
  if (items.length > max) push(errors, field, { code: 'tooMany', params: { max } });
  // One message per bad item, at most five, so a pasted log does not flood the page.
  for (const item of items.filter((i) => !valid(i)).slice(0, 5)) push(errors, field, { code, params: { item } });
}

function checkDate(errors: ClientErrors, field: FieldName, value: string): void {
  if (value !== '' && Number.isNaN(new Date(value).getTime())) push(errors, field, { code: 'invalidDate' });
}

export interface FileRules {
  maxBytes: number;
  maxFiles: number;
}

export function validateFiles(files: readonly File[], rules: FileRules): ClientIssue[] {
  const issues: ClientIssue[] = [];
  if (files.length > rules.maxFiles) issues.push({ code: 'tooManyFiles', params: { max: rules.maxFiles } });
  for (const file of files) {
    if (file.size > rules.maxBytes) issues.push({ code: 'fileTooLarge', params: { item: file.name } });
  }
  return issues;
}

/** Client rules; the same limits and syntaxes the server applies (API.md § POST /reports). */
export function validateReport(
  values: ReportFormValues,
  variant: FormVariant,
  files: readonly File[],
  rules: FileRules | null,
): ClientErrors {
  const errors: ClientErrors = {};
  if (values.category === '') push(errors, 'category', { code: 'required' });
  checkLength(errors, 'title', values.title.trim(), LIMITS.title);
  if (values.description.trim() === '') push(errors, 'description', { code: 'required' });
  checkLength(errors, 'description', values.description, LIMITS.description);
  checkDate(errors, 'occurredAt', values.occurredAt);
  checkItems(errors, 'assets', splitLines(values.assets), isAsset, 'invalidAsset', LIMITS.assets);

  if (!values.anonymous) {
    // The server needs a way back to the reporter: an e-mail address or a phone number.
    const email = values.email.trim();
    const phone = values.phone.trim();
    if (email === '' && phone === '') push(errors, 'email', { code: 'contactRequired' });
    else if (email !== '' && !isEmail(email)) push(errors, 'email', { code: 'invalidEmail' });
    checkLength(errors, 'name', values.name.trim(), LIMITS.name);
    checkLength(errors, 'organisation', values.organisation.trim(), LIMITS.organisation);
    checkLength(errors, 'phone', phone, LIMITS.phone);
    if (!/^[0-9+()#*\-. ]*$/.test(phone)) push(errors, 'phone', { code: 'invalidPhone' });
  }

  if (variant === 'advanced') {
    checkDate(errors, 'discoveredAt', values.discoveredAt);
    if (values.occurredAt && values.discoveredAt && new Date(values.discoveredAt) < new Date(values.occurredAt)) {
      push(errors, 'discoveredAt', { code: 'beforeOccurred' });
    }
    checkItems(errors, 'sourceIps', splitList(values.sourceIps), isIpOrCidr, 'invalidIp');
    checkItems(errors, 'destinationIps', splitList(values.destinationIps), isIpOrCidr, 'invalidIp');
    checkItems(errors, 'sourcePorts', splitList(values.sourcePorts), isPort, 'invalidPort');
    checkItems(errors, 'destinationPorts', splitList(values.destinationPorts), isPort, 'invalidPort');
    checkLength(errors, 'protocol', values.protocol.trim(), LIMITS.protocol);
    if (!/^[A-Za-z0-9_./+-]*$/.test(values.protocol.trim())) push(errors, 'protocol', { code: 'invalidProtocol' });
    checkLength(errors, 'logs', values.logs, LIMITS.logs);
    const indicators = splitLines(values.indicators);
    if (indicators.length > LIMITS.indicators) push(errors, 'indicators', { code: 'tooMany', params: { max: LIMITS.indicators } });
    for (const indicator of indicators) {
      if (indicator.length > LIMITS.indicator) push(errors, 'indicators', { code: 'tooLong', params: { max: LIMITS.indicator } });
    }
    // The API takes all three impact ratings or none.
    const chosen = IMPACT_FIELDS.filter((f) => values[f] !== '');
    if (chosen.length > 0 && chosen.length < IMPACT_FIELDS.length) {
      for (const field of IMPACT_FIELDS) if (values[field] === '') push(errors, field, { code: 'impactIncomplete' });
    }
  }

  if (rules) {
    const fileIssues = validateFiles(files, rules);
    if (fileIssues.length > 0) errors.attachments = fileIssues;
  }
  return errors;
}

export function hasErrors(errors: ClientErrors): boolean {
  return Object.values(errors).some((list) => list !== undefined && list.length > 0);
}
