// The incident timeline as sentences: the server records each change as an action plus the ids it
// touched (`reportIds`, `handoffId`, `mergeId`, `{ from, to }` pairs); people read tracking numbers,
// incident numbers, partner and user names, and translated values instead.

import type { HistoryEntry } from '../types.js';

/** i18next's `t`, narrowed to what this file needs (keys are checked by the web-logic test). */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** Names for the ids the history holds; null when the name is not (yet) known. */
export interface HistoryLookups {
  reportNumber: (id: string) => string | null;
  incidentNumber: (id: string) => string | null;
  partnerName: (id: string) => string | null;
  userName: (id: string | null) => string;
  constituentName: (id: string) => string | null;
  taskTitle: (id: string) => string | null;
  handoffPartnerId: (id: string) => string | null;
  rsitClassLabel: (id: string) => string;
  rsitTypeLabel: (classId: string | null, typeId: string) => string;
  /** A sample's file name, when known. */
  sampleName: (id: string) => string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Report and incident ids the lookups need, so the panel can fetch the ones it does not hold. */
export function referencedIds(entries: readonly HistoryEntry[]): { reports: string[]; incidents: string[]; samples: string[] } {
  const reports = new Set<string>();
  const incidents = new Set<string>();
  const samples = new Set<string>();
  for (const e of entries) {
    for (const id of ids(e.changes.reportIds)) reports.add(id);
    const one = str(e.changes.reportId);
    if (one) reports.add(one);
    for (const key of ['sourceIncidentId', 'targetIncidentId']) {
      const id = str(e.changes[key]);
      if (id) incidents.add(id);
    }
    const sample = str(e.changes.sampleId);
    if (sample) samples.add(sample);
  }
  return { reports: [...reports], incidents: [...incidents], samples: [...samples] };
}

const quoteLimit = 80;
function quoted(t: Translate, text: string): string {
  const short = text.length > quoteLimit ? `${text.slice(0, quoteLimit)}…` : text;
  return t('console.timeline.quoted', { text: short });
}

/** One changed field's value in words. */
function fieldValue(t: Translate, look: HistoryLookups, field: string, value: unknown, entry: HistoryEntry): string {
  if (value === null || value === undefined || value === '') return t('console.timeline.empty');
  const s = String(value);
  switch (field) {
    case 'state':
      return t(`console.states.${s}`, { defaultValue: s });
    case 'level':
      return t('console.incident.levelN', { level: s });
    case 'tlp':
      return `TLP:${s}`;
    case 'rsitClass':
      return look.rsitClassLabel(s);
    case 'rsitType': {
      const cls = entry.changes.rsitClass as { to?: unknown } | undefined;
      return look.rsitTypeLabel(str(cls?.to), s);
    }
    case 'ownerId':
      return look.userName(s);
    case 'constituentId':
      return look.constituentName(s) ?? t('console.timeline.unknownConstituent');
    case 'sector':
      return t(`console.sectors.${s}`, { defaultValue: s });
    case 'title':
    case 'advice':
      return quoted(t, s);
    default:
      return s;
  }
}

const FIELD_LABELS: Record<string, string> = {
  title: 'console.incident.title',
  state: 'console.incident.state',
  level: 'console.incident.level',
  tlp: 'console.timeline.fields.tlp',
  rsitClass: 'console.incident.rsitClass',
  rsitType: 'console.incident.rsitType',
  ownerId: 'console.incident.owner',
  constituentId: 'console.filters.constituent',
  sector: 'console.filters.sector',
  advice: 'console.timeline.fields.advice',
};

function fieldChange(t: Translate, look: HistoryLookups, entry: HistoryEntry, field: string, change: unknown): string {
  const label = FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field;
  if (change && typeof change === 'object' && 'to' in change) {
    const { from, to } = change as { from?: unknown; to?: unknown };
    if (to === null || to === undefined || to === '') return t('console.timeline.cleared', { field: label });
    if (from === null || from === undefined || from === '') return t('console.timeline.set', { field: label, to: fieldValue(t, look, field, to, entry) });
    return t('console.timeline.changed', { field: label, from: fieldValue(t, look, field, from, entry), to: fieldValue(t, look, field, to, entry) });
  }
  return t('console.timeline.set', { field: label, to: fieldValue(t, look, field, change, entry) });
}

function reportList(t: Translate, look: HistoryLookups, list: readonly string[]): string {
  const names = list.map((id) => look.reportNumber(id) ?? t('console.timeline.aReport'));
  return names.join(t('console.timeline.listSeparator'));
}

function incidentName(t: Translate, look: HistoryLookups, id: string | null): string {
  return (id && look.incidentNumber(id)) ?? t('console.timeline.anIncident');
}

function partner(t: Translate, look: HistoryLookups, id: string | null): string {
  return (id && look.partnerName(id)) ?? t('console.timeline.aPartner');
}

function sample(t: Translate, look: HistoryLookups, c: Record<string, unknown>): string {
  const name = look.sampleName(str(c.sampleId) ?? '');
  if (name) return t('console.timeline.quoted', { text: name });
  const sha = str(c.sha256);
  return sha ? t('console.timeline.quoted', { text: `SHA-256 ${sha.slice(0, 12)}…` }) : t('console.timeline.aSample');
}

/** The readable sentence(s) for one timeline entry (without time and actor, which the panel shows). */
export function describeHistoryEntry(entry: HistoryEntry, t: Translate, look: HistoryLookups): string[] {
  const c = entry.changes;
  switch (entry.action) {
    case 'created':
      return [t('console.timeline.created', { number: str(c.number) ?? '', title: quoted(t, str(c.title) ?? '') })];
    case 'updated':
      return Object.entries(c).map(([field, change]) => fieldChange(t, look, entry, field, change));
    case 'reports_linked': {
      const list = ids(c.reportIds);
      return [t('console.timeline.reportsLinked', { count: list.length, reports: reportList(t, look, list) })];
    }
    case 'report_unlinked':
      return [t('console.timeline.reportUnlinked', { report: reportList(t, look, ids([c.reportId])) })];
    case 'merged_in': {
      const list = ids(c.reportIds);
      return [t('console.timeline.mergedIn', { incident: incidentName(t, look, str(c.sourceIncidentId)), count: list.length, reports: reportList(t, look, list) })];
    }
    case 'merged_into':
      return [t('console.timeline.mergedInto', { incident: incidentName(t, look, str(c.targetIncidentId)) })];
    case 'merge_undone': {
      const list = ids(c.reportIds);
      return [t('console.timeline.mergeUndone', { incident: incidentName(t, look, str(c.sourceIncidentId)), count: list.length, reports: reportList(t, look, list) })];
    }
    case 'unmerged':
      return [t('console.timeline.unmerged', { incident: incidentName(t, look, str(c.targetIncidentId)) })];
    case 'commented':
      return [t(c.visibility === 'reporter' ? 'console.timeline.messageToReporter' : 'console.timeline.internalNote')];
    case 'task_added':
      return [t('console.timeline.taskAdded', { title: quoted(t, str(c.title) ?? look.taskTitle(str(c.taskId) ?? '') ?? '') })];
    case 'task_updated': {
      const title = quoted(t, look.taskTitle(str(c.taskId) ?? '') ?? str(c.title) ?? '');
      if (c.done === true) return [t('console.timeline.taskDone', { title })];
      if (c.done === false) return [t('console.timeline.taskReopened', { title })];
      if (typeof c.title === 'string') return [t('console.timeline.taskRenamed', { title: quoted(t, c.title) })];
      return [t('console.timeline.taskChanged', { title })];
    }
    case 'handed_off':
      return [t('console.timeline.handedOff', { partner: partner(t, look, str(c.partnerId)) })];
    case 'handoff_feedback': {
      const who = partner(t, look, look.handoffPartnerId(str(c.handoffId) ?? ''));
      const status = str(c.status);
      return [
        status
          ? t('console.timeline.feedbackWithStatus', { partner: who, status: t(`console.handoffs.status.${status}`, { defaultValue: status }) })
          : t('console.timeline.feedback', { partner: who }),
      ];
    }
    case 'sample_linked':
      return [t('console.timeline.sampleLinked', { sample: sample(t, look, c) })];
    case 'indicators_added':
      return [t('console.timeline.indicatorsAdded', { sample: sample(t, look, c), added: Number(c.added ?? 0), total: Number(c.total ?? 0) })];
    default:
      // An action this console does not know yet: its name, translated when possible, and nothing raw.
      return [];
  }
}
