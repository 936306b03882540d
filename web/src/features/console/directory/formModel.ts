import type { TFunction } from 'i18next';
import { CONTACT_LANGUAGES, NOTIFY_MODES, TLP_VALUES } from '../types.js';
import type { Constituent, ConstituentContactInput, ConstituentInput } from '../types.js';
import { SCOPE_KINDS, describeProblem, lineOfScopeProblem, linesToEntries, parseProblemPath } from './problems.js';
import type { ContactField, FieldIssue, ScopeEntries, ScopeKind, TopField } from './problems.js';

/** A contact as edited: every field a string, plus a stable key for React and for errors. */
export interface ContactDraft {
  key: string;
  /** The stored contact's id (none for a contact added in this edit). */
  id?: string;
  name: string;
  role: string;
  email: string;
  pgpKey: string;
  language: string;
  notifyMode: string;
  tlpCeiling: string;
  eventTypes: string;
}

export interface ConstituentDraft {
  name: string;
  sector: string;
  partnerId: string;
  netblocks: string;
  asns: string;
  domains: string;
  contacts: ContactDraft[];
}

/** IPv4 blocks in numeric order, then IPv6 blocks as stored: long lists read like a RIR listing. */
export function byAddress(blocks: readonly string[]): string[] {
  const v4 = (b: string) => /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(b);
  const key = (m: RegExpExecArray) => m.slice(1).map((n) => n.padStart(3, '0')).join('.');
  return [...blocks].sort((a, b) => {
    const ma = v4(a);
    const mb = v4(b);
    if (ma && mb) return key(ma) < key(mb) ? -1 : key(ma) > key(mb) ? 1 : 0;
    return ma ? -1 : mb ? 1 : 0;
  });
}

let nextKey = 0;
const newKey = () => `c${++nextKey}`;

export function emptyContact(): ContactDraft {
  return { key: newKey(), name: '', role: 'security', email: '', pgpKey: '', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: '' };
}

export function draftOf(c: Constituent | null): ConstituentDraft {
  if (!c) return { name: '', sector: '', partnerId: '', netblocks: '', asns: '', domains: '', contacts: [] };
  return {
    name: c.name,
    sector: c.sector,
    partnerId: c.partnerId ?? '',
    netblocks: byAddress(c.netblocks).join('\n'),
    asns: c.asns.map((a) => `AS${a}`).join('\n'),
    domains: c.domains.join('\n'),
    contacts: c.contacts.map((k) => ({ key: newKey(), id: k.id, name: k.name, role: k.role, email: k.email, pgpKey: k.pgpKey ?? '', language: k.language, notifyMode: k.notifyMode, tlpCeiling: k.tlpCeiling, eventTypes: k.eventTypes.join(' ') })),
  };
}

function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function contactInput(d: ContactDraft): ConstituentContactInput {
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name.trim(),
    role: d.role.trim(),
    email: d.email.trim(),
    pgpKey: d.pgpKey.trim() === '' ? null : d.pgpKey.trim(),
    language: oneOf(CONTACT_LANGUAGES, d.language, 'zh-TW'),
    notifyMode: oneOf(NOTIFY_MODES, d.notifyMode, 'immediate'),
    tlpCeiling: oneOf(TLP_VALUES, d.tlpCeiling, 'AMBER'),
    eventTypes: d.eventTypes.split(/[\s,;]+/).filter(Boolean),
  };
}

/** What one submission sent: the body, and where each scope entry and contact came from. */
export interface Submission {
  input: ConstituentInput;
  entries: Record<ScopeKind, ScopeEntries>;
  contactKeys: string[];
}

export function submissionOf(d: ConstituentDraft): Submission {
  const entries = { netblocks: linesToEntries(d.netblocks), asns: linesToEntries(d.asns), domains: linesToEntries(d.domains) };
  return {
    input: {
      name: d.name.trim(),
      sector: d.sector,
      partnerId: d.partnerId === '' ? null : d.partnerId,
      netblocks: entries.netblocks.values,
      asns: entries.asns.values,
      domains: entries.domains.values,
      contacts: d.contacts.map(contactInput),
    },
    entries,
    contactKeys: d.contacts.map((c) => c.key),
  };
}

/** The PATCH body: only what changed (contacts are replaced as a whole, so they are sent only when edited). */
export function patchOf(initial: Constituent, input: ConstituentInput): Partial<ConstituentInput> {
  const before = submissionOf(draftOf(initial)).input;
  const patch: Partial<ConstituentInput> = {};
  if (input.name !== before.name) patch.name = input.name;
  if (input.sector !== before.sector) patch.sector = input.sector;
  if (input.partnerId !== before.partnerId) patch.partnerId = input.partnerId;
  for (const kind of SCOPE_KINDS) if (JSON.stringify(input[kind]) !== JSON.stringify(before[kind])) patch[kind] = input[kind];
  if (JSON.stringify(input.contacts) !== JSON.stringify(before.contacts)) patch.contacts = input.contacts;
  return patch;
}

/** The server's problems, placed at the fields that caused them. */
export interface FormErrors {
  top: Partial<Record<TopField, string[]>>;
  /** By contact key, then field (`_row` for problems about the whole contact). */
  contacts: Record<string, Partial<Record<ContactField | '_row', string[]>>>;
  form: string[];
  /** In display order, for the summary at the top of the form. */
  summary: { target: string | null; field: string; message: string }[];
}

export const fieldId = (field: TopField) => `constituent-${field}`;
export const contactFieldId = (index: number, field: ContactField) => `contact-${index}-${field}`;

function push<K extends string>(map: Partial<Record<K, string[]>>, key: K, message: string): void {
  const list = (map[key] ??= []);
  if (!list.includes(message)) list.push(message);
}

/** `details` are the API error's field problems; `message` stands alone when there are none. */
export function formErrorsOf(t: TFunction, failure: { message: string; details: readonly FieldIssue[] }, sent: Submission, draft: ConstituentDraft, labels: { top: (f: TopField) => string; contact: (n: number, f: ContactField | null) => string }): FormErrors {
  const out: FormErrors = { top: {}, contacts: {}, form: [], summary: [] };
  const { details } = failure;
  if (details.length === 0) {
    const message = failure.message;
    out.form.push(message);
    out.summary.push({ target: null, field: '', message });
    return out;
  }
  for (const issue of details) {
    const path = parseProblemPath(issue.field);
    let message = describeProblem(t, issue, path);
    if (path.kind === 'top') {
      const field = path.field;
      if (field === 'netblocks' || field === 'asns' || field === 'domains') {
        const line = lineOfScopeProblem(field, sent.entries[field], issue, path.index);
        if (line !== null) message = t('console.directory.problems.line', { line, text: message });
      } else if (out.top[field]?.length) {
        continue; // a union's other branches (string or null) add noise: the first problem says it
      } else if (field === 'contacts' && path.index !== null) {
        message = t('console.directory.problems.item', { n: path.index + 1, text: message });
      }
      push(out.top, field, message);
      out.summary.push({ target: fieldId(field), field: labels.top(field), message });
    } else if (path.kind === 'contact') {
      const key = sent.contactKeys[path.index];
      const now = key === undefined ? -1 : draft.contacts.findIndex((c) => c.key === key);
      if (key === undefined || now < 0) {
        out.form.push(message);
        out.summary.push({ target: null, field: labels.contact(path.index + 1, path.field), message });
        continue;
      }
      const row = (out.contacts[key] ??= {});
      if (row[path.field ?? '_row']?.length) continue;
      push(row, path.field ?? '_row', message);
      out.summary.push({ target: path.field ? contactFieldId(now, path.field) : null, field: labels.contact(now + 1, path.field), message });
    } else {
      const text = issue.field ? `${issue.field}: ${message}` : message;
      out.form.push(text);
      out.summary.push({ target: null, field: '', message: text });
    }
  }
  return out;
}
