import { parse } from 'csv-parse/sync';
import type { FieldProblem } from '../../lib/errors.js';
import { csvCell } from '../feeds/engine/index.js';
import type { Constituent, ContactInput } from './constituents.schemas.js';

/**
 * The constituents CSV: one row per constituent, or one row per contact — rows with the same name are
 * one constituent (their scope lists are merged; sector and partner may be left empty after the first
 * row). Netblocks, ASNs and domains are lists separated by spaces or semicolons. Export writes the scope
 * on a constituent's first row and one row per contact, so it imports back unchanged.
 */
export const CSV_HEADERS = ['name', 'sector', 'partner', 'netblocks', 'asns', 'domains', 'contact_name', 'contact_role', 'contact_email', 'contact_language', 'notify_mode', 'tlp_ceiling', 'event_types'] as const;

export interface CsvRow {
  line: number;
  name: string;
  sector: string;
  partner: string;
  netblocks: string[];
  asns: string[];
  domains: string[];
  contact: Partial<Record<'name' | 'role' | 'email' | 'language' | 'notifyMode' | 'tlpCeiling', string>> & { eventTypes: string[] };
}

const list = (v: string | undefined) => (v ?? '').split(/[\s;]+/).map((s) => s.trim()).filter(Boolean);

export function parseConstituentsCsv(text: string, problems: FieldProblem[]): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    problems.push({ field: `line ${line}`, code: 'csv_malformed', message: err instanceof Error ? err.message : String(err) });
    return [];
  }
  const header = records.shift();
  if (!header) {
    problems.push({ field: 'line 1', code: 'csv_empty' });
    return [];
  }
  const cols = header.record.map((h) => h.toLowerCase());
  for (const required of ['name', 'sector']) if (!cols.includes(required)) problems.push({ field: 'line 1', code: 'csv_missing_column', message: required });
  if (problems.length) return [];
  return records.map(({ record, info }) => {
    const get = (k: string) => {
      const i = cols.indexOf(k);
      return i < 0 ? '' : (record[i] ?? '').trim();
    };
    return {
      line: info.lines,
      name: get('name'),
      sector: get('sector'),
      partner: get('partner'),
      netblocks: list(get('netblocks')),
      asns: list(get('asns')),
      domains: list(get('domains')),
      contact: { name: get('contact_name'), role: get('contact_role'), email: get('contact_email'), language: get('contact_language'), notifyMode: get('notify_mode'), tlpCeiling: get('tlp_ceiling'), eventTypes: list(get('event_types')) },
    };
  });
}

/** A contact from CSV columns, with defaults, or null when the row names none. */
export function contactOfRow(row: CsvRow): Partial<ContactInput> | null {
  const c = row.contact;
  if (!c.email && !c.name) return null;
  return {
    name: c.name || c.email || '',
    role: c.role || 'security',
    email: c.email ?? '',
    language: (c.language || 'zh-TW') as ContactInput['language'],
    notifyMode: (c.notifyMode || 'immediate') as ContactInput['notifyMode'],
    tlpCeiling: (c.tlpCeiling || 'AMBER') as ContactInput['tlpCeiling'],
    eventTypes: c.eventTypes,
  };
}

export function renderConstituentsCsv(items: Constituent[], partnerName: (id: string | null) => string): string {
  const lines = [CSV_HEADERS.join(',')];
  for (const c of items) {
    const contacts = c.contacts.length ? c.contacts : [null];
    contacts.forEach((k, i) => {
      const scope = i === 0 ? [c.netblocks.join(' '), c.asns.join(' '), c.domains.join(' ')] : ['', '', ''];
      const cells = [c.name, c.sector, partnerName(c.partnerId), ...scope, k?.name ?? '', k?.role ?? '', k?.email ?? '', k?.language ?? '', k?.notifyMode ?? '', k?.tlpCeiling ?? '', (k?.eventTypes ?? []).join(' ')];
      lines.push(cells.map((v) => csvCell(v)).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}
