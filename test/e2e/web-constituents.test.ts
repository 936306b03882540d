// Fast checks of the constituent pages' pure logic: where a server problem belongs (field, textarea
// line, contact), what an edit sends, and how a refused CSV line reads, with the real catalogues.
// The browser flow is in constituents.e2e.test.ts.
import { readFileSync } from 'node:fs';
import i18next from 'i18next';
import type { TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { byAddress, draftOf, emptyContact, formErrorsOf, patchOf, submissionOf } from '../../web/src/features/console/directory/formModel.js';
import { describeImportProblem, lineOfScopeProblem, linesToEntries, parseProblemPath } from '../../web/src/features/console/directory/problems.js';
import type { Constituent } from '../../web/src/features/console/types.js';

const catalogue = (language: string): unknown => JSON.parse(readFileSync(new URL(`../../web/src/i18n/directory.${language}.json`, import.meta.url), 'utf8'));
let t: TFunction;
let tZh: TFunction;
const labels = { top: (f: string) => f, contact: (n: number, f: string | null) => `contact ${n}${f ? ` ${f}` : ''}` };

beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: 'en', resources: { en: { translation: { console: { directory: catalogue('en') } } }, 'zh-TW': { translation: { console: { directory: catalogue('zh-TW') } } } }, interpolation: { escapeValue: false } });
  t = i18n.getFixedT('en');
  tZh = i18n.getFixedT('zh-TW');
});

const university: Constituent = {
  id: '019ac000-0000-7000-8000-000000000001',
  name: 'Example University',
  sector: 'education',
  partnerId: null,
  netblocks: ['2001:db8:10::/48', '203.0.113.0/24', '10.2.0.0/16', '10.10.0.0/16'],
  asns: [64500],
  domains: ['univ-example.edu.tw'],
  contacts: [{ id: 'k1', name: 'SOC', role: 'security', email: 'soc@univ-example.edu.tw', pgpKey: null, language: 'en', notifyMode: 'daily', tlpCeiling: 'AMBER', eventTypes: ['phishing'] }],
  contactCount: 1,
  createdAt: '2026-11-28T00:00:00.000Z',
  updatedAt: '2026-11-28T00:00:00.000Z',
};

describe('constituent form logic', () => {
  it('reads the paths the API uses for problems', () => {
    expect(parseProblemPath('netblocks[3]')).toEqual({ kind: 'top', field: 'netblocks', index: 3 });
    expect(parseProblemPath('netblocks.3')).toEqual({ kind: 'top', field: 'netblocks', index: 3 });
    expect(parseProblemPath('contacts.1.email')).toEqual({ kind: 'contact', index: 1, field: 'email' });
    expect(parseProblemPath('contacts[0].pgpKey')).toEqual({ kind: 'contact', index: 0, field: 'pgpKey' });
    expect(parseProblemPath('contacts')).toEqual({ kind: 'top', field: 'contacts', index: null });
    expect(parseProblemPath('sector')).toEqual({ kind: 'top', field: 'sector', index: null });
    expect(parseProblemPath('body')).toEqual({ kind: 'form' });
  });

  it('puts a scope problem on its textarea line: by position for syntax, by value for a holder', () => {
    const entries = linesToEntries('\n198.51.100.0/24\n\n  10.0.0.1/8 \n2001:DB8:10::/48\n');
    expect(entries).toEqual({ values: ['198.51.100.0/24', '10.0.0.1/8', '2001:DB8:10::/48'], lines: [2, 4, 5] });
    expect(lineOfScopeProblem('netblocks', entries, { field: 'netblocks[1]', code: 'cidr_host_bits_set', message: '10.0.0.1/8 → 10.0.0.0/8' }, 1)).toBe(4);
    // The 409 indexes the server's normalised list; the value it names finds the line.
    expect(lineOfScopeProblem('netblocks', entries, { field: 'netblocks[0]', code: 'held_by_other', message: '2001:db8:10::/48 → Other (019ac000-0000-7000-8000-000000000009)' }, 0)).toBe(5);
    const asns = linesToEntries('AS64500\n64501');
    expect(lineOfScopeProblem('asns', asns, { field: 'asns[1]', code: 'held_by_other', message: '64501 → Other (019ac000-0000-7000-8000-000000000009)' }, 1)).toBe(2);
  });

  it('shows problems at the field in words, with the line, the holder and the suggestion', () => {
    const draft = { ...draftOf(null), name: 'Hospital', sector: 'healthcare', netblocks: '198.51.100.0/24\n\n203.0.113.0/24', contacts: [emptyContact()] };
    const sent = submissionOf(draft);
    const errors = formErrorsOf(
      t,
      {
        message: 'refused',
        details: [
          { field: 'netblocks[1]', code: 'held_by_other', message: '203.0.113.0/24 → Example University (019ac000-0000-7000-8000-000000000001)' },
          { field: 'contacts.0.pgpKey', code: 'pattern', message: 'must match pattern' },
          { field: 'contacts.0.pgpKey', code: 'wrong_type', message: 'must be null' },
          { field: 'contacts[0].email', code: 'pattern', message: 'must match pattern' },
        ],
      },
      sent,
      draft,
      labels,
    );
    expect(errors.top.netblocks).toEqual(['Line 3: 203.0.113.0/24 already belongs to "Example University".']);
    const key = draft.contacts[0]!.key;
    expect(errors.contacts[key]).toEqual({ pgpKey: [expect.stringContaining('ASCII-armoured PGP public key')], email: ['Not a valid e-mail address.'] });
    expect(errors.summary.map((s) => s.target)).toEqual(['constituent-netblocks', 'contact-0-pgpKey', 'contact-0-email']);
    const hostBits = formErrorsOf(tZh, { message: '', details: [{ field: 'netblocks[0]', code: 'cidr_host_bits_set', message: '198.51.100.1/24 → 198.51.100.0/24' }] }, sent, draft, labels);
    expect(hostBits.top.netblocks).toEqual(['第 1 行：「198.51.100.1/24」的主機位元不為零；是指 198.51.100.0/24 嗎？']);
    expect(formErrorsOf(t, { message: 'Network error', details: [] }, sent, draft, labels).form).toEqual(['Network error']);
  });

  it('sends only what changed (contacts are replaced as a whole, so only when edited)', () => {
    const draft = draftOf(university);
    expect(draft.netblocks).toBe('10.2.0.0/16\n10.10.0.0/16\n203.0.113.0/24\n2001:db8:10::/48');
    expect(patchOf(university, submissionOf(draft).input)).toEqual({});
    const edited = { ...draft, name: ' Example University (main campus) ', domains: 'univ-example.edu.tw\nlib.univ-example.edu.tw\n' };
    expect(patchOf(university, submissionOf(edited).input)).toEqual({ name: 'Example University (main campus)', domains: ['univ-example.edu.tw', 'lib.univ-example.edu.tw'] });
    const contacts = draft.contacts.map((c) => ({ ...c, eventTypes: 'phishing, scanner' }));
    expect(patchOf(university, submissionOf({ ...draft, contacts }).input).contacts?.[0]?.eventTypes).toEqual(['phishing', 'scanner']);
    expect(byAddress(['10.10.0.0/16', '2001:db8::/32', '9.0.0.0/8', '10.2.0.0/16'])).toEqual(['9.0.0.0/8', '10.2.0.0/16', '10.10.0.0/16', '2001:db8::/32']);
  });

  it('reads refused CSV lines', () => {
    expect(describeImportProblem(tZh, { field: 'line 3: sector', code: 'unknown_sector', message: 'banking' })).toEqual({ line: 3, text: '未知的領域：「banking」' });
    expect(describeImportProblem(t, { field: 'line 4: netblocks[0]', code: 'invalid_cidr', message: '300.1.2.0/24' })).toEqual({ line: 4, text: '"300.1.2.0/24" is not a valid IPv4/IPv6 CIDR netblock.' });
    expect(describeImportProblem(t, { field: 'line 5: 192.0.2.0/26', code: 'held_by_other', message: 'line 2' })).toEqual({ line: 5, text: '192.0.2.0/26 is already listed on line 2.' });
    expect(describeImportProblem(t, { field: 'line 6: 192.0.2.0/26', code: 'held_by_other', message: 'Example University (019ac000-0000-7000-8000-000000000001)' })).toEqual({ line: 6, text: '192.0.2.0/26 already belongs to "Example University".' });
    expect(describeImportProblem(t, { field: 'line 7: name', code: 'duplicate_row', message: 'line 2' })).toEqual({ line: 7, text: 'Same name as line 2.' });
    expect(describeImportProblem(t, { field: 'line 8: name', code: 'required', message: '' })).toEqual({ line: 8, text: 'name: This field is required.' });
    expect(describeImportProblem(t, { field: 'line 1', code: 'csv_missing_column', message: 'sector' })).toEqual({ line: 1, text: 'The required column "sector" is missing.' });
  });
});
