import type { FieldProblem } from '../../lib/errors.js';
import { Invalid } from '../../lib/errors.js';
import { normaliseIp, parseAsset } from '../../lib/net.js';
import type { CreateReportInput } from './reports.schemas.js';

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value);
}

/**
 * Checks what the JSON schema cannot (syntax of assets and IPs, cross-field rules) and returns the
 * input with every asset and address in canonical form. All problems are reported at once.
 */
export function validateReport(input: CreateReportInput, opts: { requireContact: boolean }): CreateReportInput {
  const problems: FieldProblem[] = [];
  const anonymous = input.anonymous === true;
  const email = input.reporter?.email?.trim();
  if (email && !isEmail(email)) problems.push({ field: 'reporter.email', code: 'invalid_email' });
  if (!anonymous && opts.requireContact && !email && !input.reporter?.phone?.trim()) problems.push({ field: 'reporter.email', code: 'contact_required' });
  if (input.description.trim() === '') problems.push({ field: 'description', code: 'required' });
  if (input.technical && input.channel !== 'web-advanced' && input.channel !== 'api' && input.channel !== 'email') problems.push({ field: 'technical', code: 'advanced_only' });
  for (const [field, value] of [['occurredAt', input.occurredAt], ['discoveredAt', input.discoveredAt]] as const) {
    if (value !== undefined && Number.isNaN(Date.parse(value))) problems.push({ field, code: 'invalid_date' });
  }
  if (input.occurredAt && input.discoveredAt && Date.parse(input.occurredAt) > Date.parse(input.discoveredAt)) problems.push({ field: 'discoveredAt', code: 'before_occurred' });

  const assets: string[] = [];
  (input.assets ?? []).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const a = parseAsset(raw);
    if (!a) problems.push({ field: `assets.${i}`, code: 'invalid_asset' });
    else if (!assets.includes(a.value)) assets.push(a.value);
  });

  const ips = (list: string[] | undefined, field: string): string[] | undefined =>
    list?.map((raw, i) => {
      const ip = normaliseIp(raw) ?? (raw.includes('/') ? parseAsset(raw)?.value : undefined);
      if (!ip) problems.push({ field: `technical.${field}.${i}`, code: 'invalid_ip' });
      return ip ?? raw;
    });
  const technical = input.technical && {
    ...input.technical,
    sourceIps: ips(input.technical.sourceIps, 'sourceIps'),
    destinationIps: ips(input.technical.destinationIps, 'destinationIps'),
  };
  if (technical) {
    for (const k of Object.keys(technical) as (keyof typeof technical)[]) if (technical[k] === undefined) delete technical[k];
  }

  if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
  return {
    ...input,
    reporter: anonymous ? undefined : input.reporter && { ...input.reporter, email: email || undefined },
    assets,
    ...(technical ? { technical } : {}),
  };
}
