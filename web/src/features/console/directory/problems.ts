import type { TFunction } from 'i18next';
import type { ConstituentContactInput } from '../types.js';

/** One field problem as the API reports it (lib/api.ts FieldIssue; restated so this file has no DOM dependencies). */
export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export const SCOPE_KINDS = ['netblocks', 'asns', 'domains'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export type ContactField = Exclude<keyof ConstituentContactInput, 'id'>;
export type TopField = 'name' | 'sector' | 'partnerId' | ScopeKind | 'contacts';

/** The non-empty lines of a textarea, each with its 1-based line number (blank lines are skipped). */
export interface ScopeEntries {
  values: string[];
  lines: number[];
}

export function linesToEntries(text: string): ScopeEntries {
  const values: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const value = raw.trim();
    if (value === '') return;
    values.push(value);
    lines.push(i + 1);
  });
  return { values, lines };
}

/** Where the server put a problem: `netblocks[3]`, `netblocks.3`, `contacts.0.email`, `name`, ``. */
export type ProblemPath = { kind: 'top'; field: TopField; index: number | null } | { kind: 'contact'; index: number; field: ContactField | null } | { kind: 'form' };

const TOP: readonly string[] = ['name', 'sector', 'partnerId', 'netblocks', 'asns', 'domains', 'contacts'];
const CONTACT: readonly string[] = ['name', 'role', 'email', 'pgpKey', 'language', 'notifyMode', 'tlpCeiling', 'eventTypes'];

export function parseProblemPath(field: string): ProblemPath {
  const parts = field
    .replace(/^\//, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .filter(Boolean);
  const [head, second, third] = parts;
  if (head === 'contacts' && second !== undefined && /^\d+$/.test(second)) {
    return { kind: 'contact', index: Number(second), field: third !== undefined && CONTACT.includes(third) ? (third as ContactField) : null };
  }
  if (head !== undefined && TOP.includes(head)) return { kind: 'top', field: head as TopField, index: second !== undefined && /^\d+$/.test(second) ? Number(second) : null };
  return { kind: 'form' };
}

/** Loose canonical form for matching a value the server names to what was typed. */
function loose(kind: ScopeKind, value: string): string {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  if (kind === 'asns') return v.replace(/^as/, '');
  if (kind === 'netblocks') return v.replace(/\/(32|128)$/, '');
  return v;
}

/**
 * The textarea line of a scope problem. Format problems (400) index the list as sent; a conflict
 * (409) indexes the server's normalised list and names the value, so it is found by value.
 */
export function lineOfScopeProblem(kind: ScopeKind, entries: ScopeEntries, issue: FieldIssue, index: number | null): number | null {
  if (issue.code === 'held_by_other') {
    const value = heldValue(issue);
    const at = entries.values.findIndex((v) => loose(kind, v) === loose(kind, value));
    if (at >= 0) return entries.lines[at] ?? null;
    return null;
  }
  return index === null ? null : (entries.lines[index] ?? null);
}

/** `203.0.113.0/24 → Holder name (id)` → the value and the holder's name. */
export function heldValue(issue: FieldIssue): string {
  return issue.message.split(' → ')[0]?.trim() ?? '';
}

function heldHolder(issue: FieldIssue): string {
  const after = issue.message.split(' → ')[1] ?? '';
  return after.replace(/\s*\([0-9a-f-]{36}\)\s*$/i, '').trim();
}

const SPECIFIC = new Set([
  'invalid_cidr',
  'cidr_host_bits_set',
  'invalid_asn',
  'invalid_domain',
  'domain_public_suffix',
  'held_by_other',
  'unknown_partner',
  'unknown_sector',
  'invalid_email',
  'invalid_language',
  'invalid_notify_mode',
  'invalid_tlp',
  'duplicate_row',
  'csv_malformed',
  'csv_empty',
  'csv_missing_column',
  'pgp_key_unreadable',
  'pgp_key_not_one',
  'pgp_key_other_address',
  'pgp_key_unusable',
]);
const GENERIC = new Set(['required', 'too_long', 'too_short', 'pattern', 'format', 'not_allowed', 'wrong_type', 'unknown_field']);

type ProblemKey = 'console.directory.problems.invalid';

/** One problem in the UI's language (the server's codes are stable; its messages carry the values). */
export function describeProblem(t: TFunction, issue: FieldIssue, path: ProblemPath = parseProblemPath(issue.field)): string {
  const code = issue.code;
  if (code === 'pattern' && path.kind === 'contact' && path.field === 'pgpKey') return t('console.directory.problems.pgp_pattern');
  if (code === 'pattern' && path.kind === 'contact' && path.field === 'email') return t('console.directory.problems.email_pattern');
  if (code === 'held_by_other') return t('console.directory.problems.held_by_other', { value: heldValue(issue), holder: heldHolder(issue) });
  if (code === 'cidr_host_bits_set') {
    const [value = '', suggestion = ''] = issue.message.split(' → ');
    return t('console.directory.problems.cidr_host_bits_set', { value: value.trim(), suggestion: suggestion.trim() });
  }
  if (SPECIFIC.has(code) || GENERIC.has(code)) return t(`console.directory.problems.${code}` as ProblemKey, { value: issue.message });
  return issue.message && issue.message !== code ? issue.message : t('console.directory.problems.invalid');
}

/** A CSV import problem: `line 3: sector`, `line 3: 203.0.113.0/24`, `line 1`. */
export interface ImportProblem {
  line: number | null;
  text: string;
}

export function describeImportProblem(t: TFunction, issue: FieldIssue): ImportProblem {
  const m = /^line (\d+)(?::\s*(.*))?$/.exec(issue.field);
  const line = m?.[1] ? Number(m[1]) : null;
  const column = m?.[2] ?? '';
  const other = /line (\d+)/.exec(issue.message)?.[1];
  let text: string;
  if (issue.code === 'held_by_other') {
    text = other ? t('console.directory.problems.held_in_file', { value: column, other }) : t('console.directory.problems.held_by_other', { value: column, holder: issue.message.replace(/\s*\([0-9a-f-]{36}\)\s*$/i, '') });
  } else if (issue.code === 'duplicate_row') {
    text = t('console.directory.problems.duplicate_row', { other: other ?? '?' });
  } else {
    const scope = /^(netblocks|asns|domains)\[\d+\]$/.exec(column);
    const described = describeProblem(t, issue, { kind: 'form' });
    text = column && !scope && !SPECIFIC.has(issue.code) ? `${column}: ${described}` : described;
  }
  return { line, text };
}
