import type { TFunction } from 'i18next';
import type { FieldIssue } from './api.js';

const KNOWN = new Set([
  'required',
  'wrong_type',
  'too_long',
  'too_short',
  'not_allowed',
  'unknown_field',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'invalid_email',
  'contact_required',
  'advanced_only',
  'invalid_date',
  'before_occurred',
  'invalid_asset',
  'invalid_ip',
]);

/**
 * Text for one field problem from the API, in the UI's language: our own wording for the codes
 * we know, else the server's message, else a generic sentence. List items get their position.
 */
export function describeIssue(t: TFunction, issue: FieldIssue): string {
  const match = /\.(\d+)$/.exec(issue.field);
  const text = KNOWN.has(issue.code)
    ? t(`serverCodes.${issue.code}` as 'serverCodes.invalid')
    : issue.message && issue.message !== issue.code
      ? issue.message
      : t('serverCodes.invalid');
  return match ? t('serverCodes.item', { n: Number(match[1]) + 1, text }) : text;
}
