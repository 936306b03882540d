import type { Db, Row } from '../../db/database.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { formatTrackingNumber, uuidv7 } from '../../lib/ids.js';
import { yearInZone, type Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, listScope, type Actor } from '../auth/policy.js';
import type { ReportsRepository } from '../reports/reports.repository.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import { computeDeadlines, DEFAULT_DEADLINE_POLICY, nextDeadline, validatePolicy, type DeadlineKind, type DeadlinePolicy } from './deadlines.js';
import type { IncidentFilter, IncidentRow, IncidentsRepository } from './incidents.repository.js';
import type { CreateIncidentInput, IncidentDetail, IncidentSummary, UpdateIncidentInput } from './incidents.schemas.js';
import { isValidRsit, OPEN_STATES, TRANSITIONS, type IncidentState } from './taxonomy.js';

const POLICY_KEY = 'deadline_policy';

type Changes = Record<string, { from: unknown; to: unknown }>;

export function createIncidentsService(deps: {
  db: Db;
  incidents: IncidentsRepository;
  reports: ReportsRepository;
  settingsRepo: SettingsRepository;
  settings: SettingsService;
  audit: AuditService;
  clock: Clock;
  timeZone: string;
  /** Called inside the transaction of a comment visible to the reporter (the mail module mails it). */
  onReporterMessage?: (trx: Db, message: { actor: Actor; incidentId: string; commentId: string; body: string }) => Promise<void>;
}) {
  const { db, incidents, reports, settingsRepo, settings, audit, clock, timeZone } = deps;

  async function policy(trx: Db = db): Promise<DeadlinePolicy> {
    return (await settingsRepo.get<DeadlinePolicy>(trx, POLICY_KEY)) ?? DEFAULT_DEADLINE_POLICY;
  }

  function summary(r: IncidentRow, now: string): IncidentSummary {
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      state: r.state,
      rsitClass: r.rsit_class,
      rsitType: r.rsit_type,
      tlp: r.tlp,
      level: r.level,
      ownerId: r.owner_id,
      constituentId: r.constituent_id,
      sector: r.sector,
      nextDeadline: r.next_deadline_at && r.next_deadline_kind ? { kind: r.next_deadline_kind, dueAt: r.next_deadline_at, overdue: r.next_deadline_at < now } : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** Loads an incident the actor may read (partners: only what was handed to them). */
  async function loadReadable(actor: Actor, id: string, trx: Db = db): Promise<IncidentRow> {
    authorize(actor, 'incident:list'); // who may read any incident at all, before touching the database
    const r = await incidents.byId(trx, id);
    if (!r) throw new NotFound('not_found');
    authorize(actor, 'incident:read', { handedTo: await incidents.handedTo(trx, id) });
    return r;
  }

  async function loadForChange(actor: Actor, trx: Db, id: string, action: 'incident:update' | 'incident:comment' | 'incident:merge' | 'incident:handoff'): Promise<IncidentRow> {
    authorize(actor, action);
    const r = await incidents.byId(trx, id);
    if (!r) throw new NotFound('not_found');
    if (r.merged_into_id) throw new Conflict('incident_merged', undefined, { params: { id: r.merged_into_id } });
    return r;
  }

  /** Recomputes due times (level changes, new reports moving the start earlier) and the next one. */
  async function refreshDeadlines(trx: Db, r: IncidentRow, patch: Partial<Record<DeadlineKind, string | null>> = {}): Promise<{ next_deadline_at: string | null; next_deadline_kind: string | null }> {
    const existing = await incidents.deadlines(trx, r.id);
    const met: Partial<Record<DeadlineKind, string | null>> = Object.fromEntries(existing.map((d) => [d.kind, d.metAt]));
    Object.assign(met, patch);
    const earliest = await trx.selectFrom('reports').select((eb) => eb.fn.min('created_at').as('first')).where('incident_id', '=', r.id).executeTakeFirst();
    const firstReport = earliest?.first as string | null | undefined;
    const start = firstReport && firstReport < r.created_at ? firstReport : r.created_at;
    const list = computeDeadlines(await policy(trx), new Date(start), r.level, met);
    await incidents.replaceDeadlines(trx, r.id, r.level ?? 0, list, uuidv7);
    const terminal = r.state === 'closed' || r.state === 'rejected' || r.merged_into_id !== null;
    // Level review and containment matter only while the incident is open; the report until closing.
    const relevant = terminal ? [] : list.filter((d) => (OPEN_STATES as readonly string[]).includes(r.state) || d.kind === 'improvement_report');
    const next = nextDeadline(relevant);
    return { next_deadline_at: next?.dueAt ?? null, next_deadline_kind: next?.kind ?? null };
  }

  async function record(trx: Db, actor: Actor, incidentId: string, action: string, changes: Changes | Record<string, unknown>): Promise<void> {
    const at = clock.now().toISOString();
    await incidents.addHistory(trx, { id: uuidv7(), incident_id: incidentId, actor_id: actor.kind === 'user' ? actor.id : null, action, changes: JSON.stringify(changes), at });
    await audit.record(trx, actor, { action: `incident.${action}`, targetType: 'incident', targetId: incidentId, details: changes });
  }

  async function linkReports(trx: Db, actor: Actor, target: IncidentRow, reportIds: readonly string[]): Promise<void> {
    if (reportIds.length === 0) return;
    const rows = await reports.byIds(trx, reportIds);
    if (rows.length !== new Set(reportIds).size) throw new NotFound('not_found', undefined, { details: [{ field: 'reportIds', code: 'unknown_report' }] });
    const taken = rows.find((x) => x.incident_id !== null && x.incident_id !== target.id);
    if (taken) throw new Conflict('report_already_linked', undefined, { params: { number: taken.tracking_number } });
    await reports.setStatus(trx, reportIds, { status: 'linked', incident_id: target.id, rejection_note: null, updated_at: clock.now().toISOString() });
    await record(trx, actor, target.id, 'reports_linked', { reportIds: [...reportIds] });
  }

  async function saveUpdate(trx: Db, r: IncidentRow, patch: Partial<IncidentRow>, deadlinePatch?: Partial<Record<DeadlineKind, string | null>>): Promise<IncidentRow> {
    const merged: IncidentRow = { ...r, ...patch, updated_at: clock.now().toISOString() };
    const next = await refreshDeadlines(trx, merged, deadlinePatch);
    const final = { ...merged, ...next };
    const { id: _id, ...rest } = final;
    await incidents.update(trx, r.id, rest);
    return final;
  }

  return {
    async deadlinePolicy(actor: Actor): Promise<DeadlinePolicy> {
      authorize(actor, 'incident:list');
      return policy();
    },

    async setDeadlinePolicy(actor: Actor, p: DeadlinePolicy): Promise<DeadlinePolicy> {
      authorize(actor, 'settings:manage');
      const problems = validatePolicy(p);
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems.map((field) => ({ field, code: 'invalid_hours' })) });
      await db.transaction().execute(async (trx) => {
        await settingsRepo.set(trx, POLICY_KEY, p, clock.now().toISOString());
        await audit.record(trx, actor, { action: 'settings.deadline_policy', targetType: 'settings', details: { policy: p } });
      });
      return p;
    },

    async create(actor: Actor, input: CreateIncidentInput): Promise<IncidentDetail> {
      authorize(actor, 'incident:create');
      if (!isValidRsit(input.rsitClass, input.rsitType)) throw new Invalid('invalid_rsit', undefined, { details: [{ field: input.rsitType ? 'rsitType' : 'rsitClass', code: 'invalid_rsit' }] });
      const now = clock.now();
      const nowIso = now.toISOString();
      const site = await settings.site();
      const id = uuidv7(now.getTime());
      await db.transaction().execute(async (trx) => {
        const year = yearInZone(now, timeZone);
        const seq = await settingsRepo.nextCounter(trx, `incident:${site.incidentPrefix}:${year}`);
        const row: IncidentRow = {
          id,
          number: formatTrackingNumber(site.incidentPrefix, year, seq),
          title: input.title.trim(),
          state: 'new',
          rsit_class: input.rsitClass ?? null,
          rsit_type: input.rsitType ?? null,
          tlp: input.tlp ?? 'AMBER',
          level: input.level ?? null,
          owner_id: input.ownerId ?? (actor.kind === 'user' ? actor.id : null),
          constituent_id: input.constituentId ?? null,
          sector: input.sector ?? null,
          advice: null,
          merged_into_id: null,
          next_deadline_at: null,
          next_deadline_kind: null,
          first_response_at: null,
          resolved_at: null,
          closed_at: null,
          created_by: actor.kind === 'user' ? actor.id : null,
          created_at: nowIso,
          updated_at: nowIso,
        };
        await incidents.insert(trx, row);
        await record(trx, actor, id, 'created', { number: row.number, title: row.title, level: row.level, tlp: row.tlp });
        await linkReports(trx, actor, row, input.reportIds ?? []);
        await saveUpdate(trx, row, {}, input.level ? { level_review: nowIso } : {});
      });
      return this.get(actor, id);
    },

    async get(actor: Actor, id: string): Promise<IncidentDetail> {
      const r = await loadReadable(actor, id);
      const nowIso = clock.now().toISOString();
      const partnerView = actor.kind === 'user' && actor.role === 'partner';
      const [deadlines, linked, comments, tasks, handoffs] = await Promise.all([
        incidents.deadlines(db, id),
        partnerView ? Promise.resolve([]) : reports.forIncident(db, id),
        partnerView ? Promise.resolve([]) : incidents.comments(db, id),
        partnerView ? Promise.resolve([]) : incidents.tasks(db, id),
        incidents.handoffs(db, id),
      ]);
      const visibleHandoffs = partnerView ? handoffs.filter((h) => actor.kind === 'user' && h.partner_id === actor.organisationId) : handoffs;
      const feedback = await incidents.feedback(db, visibleHandoffs.map((h) => h.id));
      return {
        ...summary(r, nowIso),
        advice: r.advice,
        mergedIntoId: r.merged_into_id,
        firstResponseAt: r.first_response_at,
        resolvedAt: r.resolved_at,
        closedAt: r.closed_at,
        deadlines: deadlines.map((d) => ({ ...d, overdue: d.metAt === null ? d.dueAt < nowIso : d.metAt > d.dueAt })),
        reports: linked,
        comments: comments.map((c) => ({ id: c.id, authorId: c.author_id, body: c.body, visibility: c.visibility, createdAt: c.created_at })),
        tasks: tasks.map((t) => ({ id: t.id, title: t.title, dueAt: t.due_at, doneAt: t.done_at, createdAt: t.created_at })),
        handoffs: visibleHandoffs.map((h) => ({
          id: h.id,
          partnerId: h.partner_id,
          note: h.note,
          status: h.status,
          createdAt: h.created_at,
          updatedAt: h.updated_at,
          feedback: feedback.filter((f) => f.handoff_id === h.id).map((f) => ({ id: f.id, authorId: f.author_id, body: f.body, status: f.status, createdAt: f.created_at })),
        })),
      };
    },

    async list(actor: Actor, filter: Omit<IncidentFilter, 'partnerId' | 'overdueAt'> & { overdue?: boolean | undefined }): Promise<IncidentSummary[]> {
      authorize(actor, 'incident:list');
      const scope = listScope(actor);
      if ('none' in scope || 'organisationId' in scope) return [];
      const nowIso = clock.now().toISOString();
      const rows = await incidents.list(db, { ...filter, overdueAt: filter.overdue ? nowIso : undefined, partnerId: 'partnerId' in scope ? scope.partnerId : undefined });
      return rows.map((r) => summary(r, nowIso));
    },

    async update(actor: Actor, id: string, input: UpdateIncidentInput): Promise<IncidentDetail> {
      await db.transaction().execute(async (trx) => {
        const r = await loadForChange(actor, trx, id, 'incident:update');
        const nowIso = clock.now().toISOString();
        const patch: Partial<IncidentRow> = {};
        const deadlinePatch: Partial<Record<DeadlineKind, string | null>> = {};
        const changes: Changes = {};
        const set = <K extends keyof IncidentRow>(key: K, value: IncidentRow[K], label: string) => {
          if (value === r[key]) return;
          patch[key] = value;
          changes[label] = { from: r[key], to: value };
        };
        if (input.title !== undefined) set('title', input.title.trim(), 'title');
        const cls = input.rsitClass !== undefined ? input.rsitClass : r.rsit_class;
        const type = input.rsitType !== undefined ? input.rsitType : input.rsitClass !== undefined && input.rsitClass !== r.rsit_class ? null : r.rsit_type;
        if (!isValidRsit(cls, type)) throw new Invalid('invalid_rsit', undefined, { details: [{ field: input.rsitType !== undefined ? 'rsitType' : 'rsitClass', code: 'invalid_rsit' }] });
        set('rsit_class', cls, 'rsitClass');
        set('rsit_type', type, 'rsitType');
        if (input.tlp !== undefined) set('tlp', input.tlp, 'tlp');
        if (input.level !== undefined) {
          set('level', input.level, 'level');
          // Deciding the level is what the level-review deadline asks for.
          if (input.level !== null && r.level === null) deadlinePatch.level_review = nowIso;
        }
        if (input.ownerId !== undefined) set('owner_id', input.ownerId, 'ownerId');
        if (input.constituentId !== undefined) set('constituent_id', input.constituentId, 'constituentId');
        if (input.sector !== undefined) set('sector', input.sector, 'sector');
        if (input.advice !== undefined) set('advice', input.advice, 'advice');
        if (input.state !== undefined && input.state !== r.state) {
          const from = r.state as IncidentState;
          if (!TRANSITIONS[from].includes(input.state)) throw new Conflict('invalid_transition', undefined, { params: { from, to: input.state } });
          set('state', input.state, 'state');
          if (!r.first_response_at) patch.first_response_at = nowIso;
          if (input.state === 'resolved') {
            patch.resolved_at = nowIso;
            deadlinePatch.containment = nowIso;
          }
          if (input.state === 'closed') {
            patch.closed_at = nowIso;
            deadlinePatch.improvement_report = nowIso;
          }
          if ((from === 'resolved' || from === 'closed') && (OPEN_STATES as readonly string[]).includes(input.state)) {
            // Reopened: the work is not finished after all.
            patch.resolved_at = null;
            patch.closed_at = null;
            deadlinePatch.containment = null;
            deadlinePatch.improvement_report = null;
          }
        }
        if (Object.keys(changes).length === 0) return;
        await saveUpdate(trx, r, patch, deadlinePatch);
        await record(trx, actor, id, 'updated', changes);
      });
      return this.get(actor, id);
    },

    async link(actor: Actor, id: string, reportIds: string[]): Promise<IncidentDetail> {
      await db.transaction().execute(async (trx) => {
        const r = await loadForChange(actor, trx, id, 'incident:update');
        await linkReports(trx, actor, r, reportIds);
        await saveUpdate(trx, r, {});
      });
      return this.get(actor, id);
    },

    async unlink(actor: Actor, id: string, reportId: string): Promise<IncidentDetail> {
      await db.transaction().execute(async (trx) => {
        const r = await loadForChange(actor, trx, id, 'incident:update');
        const report = await reports.byId(trx, reportId);
        if (!report || report.incident_id !== id) throw new Conflict('report_not_linked');
        await reports.setStatus(trx, [reportId], { status: 'new', incident_id: null, updated_at: clock.now().toISOString() });
        await record(trx, actor, id, 'report_unlinked', { reportId });
        await saveUpdate(trx, r, {});
      });
      return this.get(actor, id);
    },

    /** Moves every report of the source into the target; the source stays, marked merged, so it can be undone. */
    async merge(actor: Actor, targetId: string, sourceId: string): Promise<{ mergeId: string }> {
      if (targetId === sourceId) throw new Invalid('merge_self');
      const mergeId = uuidv7();
      await db.transaction().execute(async (trx) => {
        const target = await loadForChange(actor, trx, targetId, 'incident:merge');
        const source = await loadForChange(actor, trx, sourceId, 'incident:merge');
        const moved = (await reports.forIncident(trx, sourceId)).map((x) => x.id);
        const nowIso = clock.now().toISOString();
        await reports.setStatus(trx, moved, { status: 'linked', incident_id: targetId, updated_at: nowIso });
        await incidents.insertMerge(trx, { id: mergeId, target_incident_id: targetId, source_incident_id: sourceId, moved_report_ids: JSON.stringify(moved), source_state: source.state, actor_id: actor.kind === 'user' ? actor.id : 'system', created_at: nowIso, undone_at: null });
        await saveUpdate(trx, source, { merged_into_id: targetId });
        await saveUpdate(trx, target, {});
        await record(trx, actor, targetId, 'merged_in', { mergeId, sourceIncidentId: sourceId, reportIds: moved });
        await record(trx, actor, sourceId, 'merged_into', { mergeId, targetIncidentId: targetId });
      });
      return { mergeId };
    },

    /** Reverses a merge: the reports that moved go back (those still on the target) and the source reopens. */
    async undoMerge(actor: Actor, mergeId: string): Promise<{ sourceIncidentId: string; targetIncidentId: string }> {
      return db.transaction().execute(async (trx) => {
        authorize(actor, 'incident:merge');
        const m = await incidents.merge(trx, mergeId);
        if (!m) throw new NotFound('not_found');
        if (m.undone_at) throw new Conflict('merge_undone');
        const source = await incidents.byId(trx, m.source_incident_id);
        const target = await incidents.byId(trx, m.target_incident_id);
        if (!source || !target) throw new NotFound('not_found');
        const movedIds = JSON.parse(m.moved_report_ids) as string[];
        const stillThere = (await reports.byIds(trx, movedIds)).filter((x) => x.incident_id === target.id).map((x) => x.id);
        const nowIso = clock.now().toISOString();
        await reports.setStatus(trx, stillThere, { status: 'linked', incident_id: source.id, updated_at: nowIso });
        await incidents.markMergeUndone(trx, mergeId, nowIso);
        await saveUpdate(trx, source, { merged_into_id: null, state: m.source_state });
        await saveUpdate(trx, target, {});
        await record(trx, actor, target.id, 'merge_undone', { mergeId, sourceIncidentId: source.id, reportIds: stillThere });
        await record(trx, actor, source.id, 'unmerged', { mergeId, targetIncidentId: target.id });
        return { sourceIncidentId: source.id, targetIncidentId: target.id };
      });
    },

    /** A comment; one visible to the reporter also appears on the tracking page of every linked report. */
    async comment(actor: Actor, id: string, input: { body: string; visibility: 'internal' | 'reporter' }): Promise<{ id: string }> {
      const commentId = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = await loadForChange(actor, trx, id, 'incident:comment');
        const nowIso = clock.now().toISOString();
        await incidents.insertComment(trx, { id: commentId, incident_id: id, author_id: actor.kind === 'user' ? actor.id : 'system', body: input.body, visibility: input.visibility, created_at: nowIso });
        if (input.visibility === 'reporter') {
          const linked = await reports.forIncident(trx, id);
          for (const rep of linked) await reports.insertMessage(trx, { id: uuidv7(), report_id: rep.id, author: 'team', user_id: actor.kind === 'user' ? actor.id : null, comment_id: commentId, body: input.body, created_at: nowIso });
          if (!r.first_response_at) await incidents.update(trx, id, { first_response_at: nowIso });
          if (deps.onReporterMessage) await deps.onReporterMessage(trx, { actor, incidentId: id, commentId, body: input.body });
        }
        await record(trx, actor, id, 'commented', { commentId, visibility: input.visibility });
      });
      return { id: commentId };
    },

    async addTask(actor: Actor, id: string, input: { title: string; dueAt?: string | undefined }): Promise<{ id: string }> {
      const taskId = uuidv7();
      await db.transaction().execute(async (trx) => {
        await loadForChange(actor, trx, id, 'incident:update');
        const nowIso = clock.now().toISOString();
        await incidents.insertTask(trx, { id: taskId, incident_id: id, title: input.title, due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null, done_at: null, created_by: actor.kind === 'user' ? actor.id : 'system', created_at: nowIso, updated_at: nowIso });
        await record(trx, actor, id, 'task_added', { taskId, title: input.title });
      });
      return { id: taskId };
    },

    async updateTask(actor: Actor, taskId: string, input: { title?: string | undefined; dueAt?: string | null | undefined; done?: boolean | undefined }): Promise<void> {
      await db.transaction().execute(async (trx) => {
        authorize(actor, 'incident:update');
        const t = await incidents.task(trx, taskId);
        if (!t) throw new NotFound('not_found');
        await loadForChange(actor, trx, t.incident_id, 'incident:update');
        const nowIso = clock.now().toISOString();
        const patch: Partial<Row<'tasks'>> = { updated_at: nowIso };
        if (input.title !== undefined) patch.title = input.title;
        if (input.dueAt !== undefined) patch.due_at = input.dueAt === null ? null : new Date(input.dueAt).toISOString();
        if (input.done !== undefined) patch.done_at = input.done ? (t.done_at ?? nowIso) : null;
        await incidents.updateTask(trx, taskId, patch);
        await record(trx, actor, t.incident_id, 'task_updated', { taskId, ...input });
      });
    },

    async handoff(actor: Actor, id: string, input: { partnerId: string; note: string }): Promise<{ id: string }> {
      const handoffId = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = await loadForChange(actor, trx, id, 'incident:handoff');
        const partner = await trx.selectFrom('partners').select('id').where('id', '=', input.partnerId).executeTakeFirst();
        if (!partner) throw new Invalid('validation_failed', undefined, { details: [{ field: 'partnerId', code: 'unknown_partner' }] });
        const nowIso = clock.now().toISOString();
        await incidents.insertHandoff(trx, { id: handoffId, incident_id: id, partner_id: input.partnerId, note: input.note, status: 'pending', created_by: actor.kind === 'user' ? actor.id : 'system', created_at: nowIso, updated_at: nowIso });
        if (!r.first_response_at) await incidents.update(trx, id, { first_response_at: nowIso });
        await record(trx, actor, id, 'handed_off', { handoffId, partnerId: input.partnerId });
      });
      return { id: handoffId };
    },

    /** The partner's answer (回報) to a hand-off; staff coordinators may record one on its behalf. */
    async feedback(actor: Actor, handoffId: string, input: { body: string; status?: 'acknowledged' | 'in_progress' | 'done' | 'declined' | undefined }): Promise<{ id: string }> {
      const feedbackId = uuidv7();
      await db.transaction().execute(async (trx) => {
        const h = await incidents.handoff(trx, handoffId);
        if (!h) throw new NotFound('not_found');
        authorize(actor, 'handoff:feedback', { handedTo: [h.partner_id] });
        const nowIso = clock.now().toISOString();
        await incidents.insertFeedback(trx, { id: feedbackId, handoff_id: handoffId, author_id: actor.kind === 'user' ? actor.id : 'system', body: input.body, status: input.status ?? null, created_at: nowIso });
        await incidents.updateHandoff(trx, handoffId, { status: input.status ?? (h.status === 'pending' ? 'acknowledged' : h.status), updated_at: nowIso });
        await record(trx, actor, h.incident_id, 'handoff_feedback', { handoffId, feedbackId, status: input.status ?? null });
      });
      return { id: feedbackId };
    },

    async history(actor: Actor, id: string) {
      const r = await loadReadable(actor, id);
      if (actor.kind === 'user' && actor.role === 'partner') return [];
      const rows = await incidents.history(db, r.id);
      return rows.map((h) => ({ id: h.id, at: h.at, actorId: h.actor_id, action: h.action, changes: JSON.parse(h.changes) as Record<string, unknown> }));
    },
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
