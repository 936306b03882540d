// The incident timeline's sentences (web/src/features/console/incidents/historyText.ts): every
// key they use exists in both console catalogues, and no raw id or JSON reaches the reader.
import { describe, expect, it } from 'vitest';
import en from '../../web/src/i18n/console.en.json' with { type: 'json' };
import zhTW from '../../web/src/i18n/console.zh-TW.json' with { type: 'json' };
import { describeHistoryEntry, referencedIds } from '../../web/src/features/console/incidents/historyText.js';
import type { HistoryLookups, Translate } from '../../web/src/features/console/incidents/historyText.js';
import type { HistoryEntry } from '../../web/src/features/console/types.js';

/** A strict `t` over one catalogue: a missing key throws (unless a defaultValue is given). */
function translator(catalogue: unknown, language: string): Translate {
  const plural = new Intl.PluralRules(language);
  const lookup = (path: string): string | undefined => {
    let node: unknown = { console: catalogue };
    for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  return (key, params = {}) => {
    const count = typeof params.count === 'number' ? params.count : null;
    const text = (count !== null ? lookup(`${key}_${plural.select(count)}`) ?? lookup(`${key}_other`) : undefined) ?? lookup(key) ?? (params.defaultValue as string | undefined);
    if (text === undefined) throw new Error(`missing key ${key} (${language})`);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? `{{${name}}}`));
  };
}

const REPORT_A = '0199aaaa-0000-7000-8000-000000000001';
const REPORT_B = '0199aaaa-0000-7000-8000-000000000002';
const OTHER_INCIDENT = '0199bbbb-0000-7000-8000-000000000003';
const PARTNER = '0199cccc-0000-7000-8000-000000000004';
const HANDOFF = '0199dddd-0000-7000-8000-000000000005';
const TASK = '0199eeee-0000-7000-8000-000000000006';
const USER = '0199ffff-0000-7000-8000-000000000007';
const SAMPLE = '0199ffff-0000-7000-8000-000000000008';

const look: HistoryLookups = {
  reportNumber: (id) => ({ [REPORT_A]: 'TW-2026-000001', [REPORT_B]: 'TW-2026-000002' })[id] ?? null,
  incidentNumber: (id) => (id === OTHER_INCIDENT ? 'IN-2026-000009' : null),
  partnerName: (id) => (id === PARTNER ? 'EC-CERT' : null),
  userName: (id) => (id === USER ? 'Analyst Chen' : 'System'),
  constituentName: () => null,
  taskTitle: (id) => (id === TASK ? 'Call the registrar' : null),
  handoffPartnerId: (id) => (id === HANDOFF ? PARTNER : null),
  rsitClassLabel: (id) => (id === 'fraud' ? 'Fraud' : id),
  rsitTypeLabel: (_c, id) => (id === 'phishing' ? 'Phishing' : id),
  sampleName: (id) => (id === SAMPLE ? 'invoice.docm' : null),
};

const entry = (action: string, changes: Record<string, unknown>): HistoryEntry => ({ id: action, at: '2026-05-01T00:00:00Z', actorId: USER, action, changes });
const ENTRIES: HistoryEntry[] = [
  entry('created', { number: 'IN-2026-000001', title: 'Phishing site', level: null, tlp: 'AMBER' }),
  entry('updated', { state: { from: 'new', to: 'triage' }, level: { from: null, to: 2 }, rsitClass: { from: null, to: 'fraud' }, rsitType: { from: null, to: 'phishing' }, ownerId: { from: null, to: USER }, sector: { from: 'education', to: null } }),
  entry('reports_linked', { reportIds: [REPORT_A, REPORT_B] }),
  entry('report_unlinked', { reportId: REPORT_B }),
  entry('merged_in', { mergeId: 'm1', sourceIncidentId: OTHER_INCIDENT, reportIds: [REPORT_A] }),
  entry('merged_into', { mergeId: 'm1', targetIncidentId: OTHER_INCIDENT }),
  entry('merge_undone', { mergeId: 'm1', sourceIncidentId: OTHER_INCIDENT, reportIds: [REPORT_A, REPORT_B] }),
  entry('unmerged', { mergeId: 'm1', targetIncidentId: OTHER_INCIDENT }),
  entry('commented', { commentId: 'c1', visibility: 'reporter' }),
  entry('task_added', { taskId: TASK, title: 'Call the registrar' }),
  entry('task_updated', { taskId: TASK, done: true }),
  entry('handed_off', { handoffId: HANDOFF, partnerId: PARTNER }),
  entry('handoff_feedback', { handoffId: HANDOFF, feedbackId: 'f1', status: 'done' }),
  entry('sample_linked', { sampleId: SAMPLE, sha256: 'ab'.repeat(32) }),
  entry('indicators_added', { sampleId: SAMPLE, sha256: 'ab'.repeat(32), total: 5, added: 3, commentId: 'c2' }),
];

describe('incident timeline sentences', () => {
  it('name reports, incidents, partners and values in English and Chinese, with no ids or JSON', () => {
    for (const [catalogue, language] of [
      [en, 'en'],
      [zhTW, 'zh-TW'],
    ] as const) {
      const t = translator(catalogue, language);
      const text = ENTRIES.flatMap((e) => describeHistoryEntry(e, t, look)).join('\n');
      for (const id of [REPORT_A, REPORT_B, OTHER_INCIDENT, PARTNER, HANDOFF, TASK, USER, SAMPLE]) expect(text).not.toContain(id);
      expect(text).not.toMatch(/[{}[\]]|reportIds|partnerId|handoffId|undefined|null/);
      expect(text).toContain('TW-2026-000001');
      expect(text).toContain('IN-2026-000009');
      expect(text).toContain('EC-CERT');
      expect(text).toContain('Analyst Chen');
      expect(text).toContain('Phishing');
    }
    const t = translator(en, 'en');
    expect(describeHistoryEntry(ENTRIES[1]!, t, look)).toEqual([
      'State changed from New to Triage',
      'Level set to Level 2',
      'RSIT class set to Fraud',
      'RSIT type set to Phishing',
      'Owner set to Analyst Chen',
      'Sector cleared',
    ]);
    expect(describeHistoryEntry(ENTRIES[2]!, t, look)).toEqual(['2 reports linked: TW-2026-000001, TW-2026-000002']);
    expect(describeHistoryEntry(ENTRIES[12]!, t, look)).toEqual(['EC-CERT answered and set the status to Done']);
    expect(describeHistoryEntry(ENTRIES[14]!, t, look)).toEqual(['3 of 5 indicators from sample “invoice.docm” added']);
  });

  it('collects the report and incident ids to look up', () => {
    expect(referencedIds(ENTRIES)).toEqual({ reports: [REPORT_A, REPORT_B], incidents: [OTHER_INCIDENT], samples: [SAMPLE] });
  });

  it('never shows an id it cannot name', () => {
    const t = translator(en, 'en');
    const unknown = { ...look, reportNumber: () => null };
    expect(describeHistoryEntry(ENTRIES[3]!, t, unknown)).toEqual(['Report (unknown report) unlinked']);
  });
});
