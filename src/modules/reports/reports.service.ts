import type { Db } from '../../db/database.js';
import { createGroupCommitter } from '../../db/group-commit.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { formatTrackingNumber, hashSecret, secretToken, uuidv7 } from '../../lib/ids.js';
import { yearInZone, type Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, listScope, type Actor } from '../auth/policy.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { ReportsRepository, ReportRow } from './reports.repository.js';
import { toDetail } from './reports.repository.js';
import type { CreateReportInput, ReportDetail, ReportSummary, TrackingView } from './reports.schemas.js';
import { validateReport } from './reports.validation.js';

/** A file already written to the blob store, to be attached to a report. */
export interface StoredFile {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface CreatedReport {
  id: string;
  trackingNumber: string;
  trackingToken: string;
}

/** Extras for reports filed by other modules (mail intake). */
export interface CreateReportExtras {
  /** OpenPGP status of the message the report came in (stored in reports.pgp). */
  pgp?: unknown;
  /** Runs inside the report's transaction, after it is inserted (e.g. to record the inbound mail and queue the acknowledgement). */
  inTransaction?: (trx: Db, created: CreatedReport) => Promise<void>;
}

/** Incident states as the reporter sees them. */
const TRACKING_FROM_INCIDENT: Record<string, TrackingView['status']> = {
  new: 'received',
  triage: 'received',
  in_progress: 'in_progress',
  waiting: 'waiting_for_you',
  resolved: 'resolved',
  closed: 'closed',
  rejected: 'rejected',
};

export function sanitiseFilename(name: string): string {
  // Keep the name readable but harmless: no paths, no control characters, bounded length.
  const base = name.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  return (clean || 'file').slice(0, 200);
}

export function createReportsService(deps: { db: Db; reports: ReportsRepository; settingsRepo: SettingsRepository; settings: SettingsService; audit: AuditService; clock: Clock; timeZone: string }) {
  const { db, reports, settingsRepo, settings, audit, clock, timeZone } = deps;

  async function incidentState(trx: Db, id: string | null): Promise<string | null> {
    if (!id) return null;
    const r = await trx.selectFrom('incidents').select(['state', 'merged_into_id']).where('id', '=', id).executeTakeFirst();
    return r?.state ?? null;
  }

  async function trackingStatus(trx: Db, r: ReportRow): Promise<TrackingView['status']> {
    if (r.status === 'rejected' || r.status === 'spam') return 'rejected';
    const state = await incidentState(trx, r.incident_id);
    return state ? (TRACKING_FROM_INCIDENT[state] ?? 'in_progress') : 'received';
  }

  async function byToken(token: string): Promise<ReportRow> {
    if (token.length < 20 || token.length > 100) throw new NotFound('not_found');
    const r = await reports.byTokenHash(db, hashSecret(token));
    if (!r) throw new NotFound('not_found');
    return r;
  }

  function readScope(actor: Actor, r: ReportRow): void {
    authorize(actor, 'report:read', { organisationId: r.organisation_id });
  }


  interface IntakeWork {
    actor: Actor;
    input: CreateReportInput;
    files: StoredFile[];
    id: string;
    trackingToken: string;
    organisationId: string | null;
    nowIso: string;
    prefix: string;
    year: number;
    extras: CreateReportExtras;
  }

  // Reports are committed in groups under load: one commit serves a burst (see group-commit.ts).
  const intake = createGroupCommitter<IntakeWork, string>(db, async (trx, w) => {
    const seq = await settingsRepo.nextCounter(trx, `report:${w.prefix}:${w.year}`);
    const number = formatTrackingNumber(w.prefix, w.year, seq);
    await reports.insert(trx, {
      id: w.id,
      tracking_number: number,
      tracking_token_hash: hashSecret(w.trackingToken),
      channel: w.input.channel,
      status: 'new',
      category: w.input.category,
      title: w.input.title?.trim() || null,
      description: w.input.description,
      language: w.input.language ?? 'zh-TW',
      anonymous: w.input.anonymous ? 1 : 0,
      reporter_name: w.input.reporter?.name?.trim() || null,
      reporter_organisation: w.input.reporter?.organisation?.trim() || null,
      reporter_email: w.input.reporter?.email ?? null,
      reporter_phone: w.input.reporter?.phone?.trim() || null,
      occurred_at: w.input.occurredAt ? new Date(w.input.occurredAt).toISOString() : null,
      discovered_at: w.input.discoveredAt ? new Date(w.input.discoveredAt).toISOString() : null,
      assets: JSON.stringify(w.input.assets ?? []),
      technical: w.input.technical ? JSON.stringify(w.input.technical) : null,
      pgp: w.extras.pgp === undefined ? null : JSON.stringify(w.extras.pgp),
      incident_id: null,
      organisation_id: w.organisationId,
      created_by: w.input.channel === 'phone' && w.actor.kind === 'user' ? w.actor.id : null,
      rejection_note: null,
      created_at: w.nowIso,
      updated_at: w.nowIso,
    });
    for (const f of w.files) {
      await reports.insertAttachment(trx, { id: uuidv7(), report_id: w.id, filename: sanitiseFilename(f.filename), content_type: f.contentType, size: f.size, sha256: f.sha256, uploaded_by: 'reporter', created_at: w.nowIso });
    }
    // No personal data in the audit details: ids, channel and counts only.
    await audit.record(trx, w.actor, { action: 'report.create', targetType: 'report', targetId: w.id, details: { trackingNumber: number, channel: w.input.channel, attachments: w.files.length } });
    if (w.extras.inTransaction) await w.extras.inTransaction(trx, { id: w.id, trackingNumber: number, trackingToken: w.trackingToken });
    return number;
  });

  return {
    /** Files a report; the reply goes out only after the transaction has committed. */
    async create(actor: Actor, raw: CreateReportInput, files: StoredFile[] = [], extras: CreateReportExtras = {}): Promise<CreatedReport> {
      authorize(actor, raw.channel === 'phone' ? 'report:create-staff' : 'report:create');
      if (raw.channel === 'email' && actor.kind !== 'system') throw new Invalid('validation_failed', undefined, { details: [{ field: 'channel', code: 'channel_not_allowed' }] });
      if (raw.channel === 'api' && !(actor.kind === 'user' && actor.via === 'token')) throw new Invalid('validation_failed', undefined, { details: [{ field: 'channel', code: 'channel_not_allowed' }] });
      const input = validateReport(raw, { requireContact: raw.channel === 'web-general' || raw.channel === 'web-advanced' });
      const now = clock.now();
      const nowIso = now.toISOString();
      const site = await settings.site();
      const year = yearInZone(now, timeZone);
      const id = uuidv7(now.getTime());
      const trackingToken = secretToken(24);
      const organisationId = actor.kind === 'user' && actor.role === 'constituent' ? actor.organisationId : null;
      const trackingNumber = await intake.submit({ actor, input, files, id, trackingToken, organisationId, nowIso, prefix: site.trackingPrefix, year, extras });
      return { id, trackingNumber, trackingToken };
    },

    async track(token: string): Promise<TrackingView> {
      const r = await byToken(token);
      const [messages, attachments, status] = await Promise.all([reports.messages(db, r.id), reports.attachments(db, r.id), trackingStatus(db, r)]);
      return {
        trackingNumber: r.tracking_number,
        status,
        createdAt: r.created_at,
        category: r.category,
        title: r.title,
        description: r.description,
        assets: JSON.parse(r.assets) as string[],
        messages: messages.map((m) => ({ id: m.id, from: m.author === 'team' ? 'team' : 'reporter', body: m.body, createdAt: m.created_at })),
        attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, size: Number(a.size), createdAt: a.created_at })),
      };
    },

    async addReporterMessage(token: string, body: string, ip: string | null): Promise<{ id: string }> {
      const r = await byToken(token);
      const actor: Actor = { kind: 'reporter', reportId: r.id, ip };
      authorize(actor, 'report:track');
      if (body.trim() === '') throw new Invalid('validation_failed', undefined, { details: [{ field: 'body', code: 'required' }] });
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        await reports.insertMessage(trx, { id, report_id: r.id, author: 'reporter', user_id: null, comment_id: null, body, created_at: clock.now().toISOString() });
        await audit.record(trx, actor, { action: 'report.reporter_message', targetType: 'report', targetId: r.id });
      });
      return { id };
    },

    async addReporterFiles(token: string, files: StoredFile[], ip: string | null): Promise<{ id: string; filename: string; size: number }[]> {
      const r = await byToken(token);
      const actor: Actor = { kind: 'reporter', reportId: r.id, ip };
      authorize(actor, 'report:track');
      const nowIso = clock.now().toISOString();
      const out = files.map((f) => ({ id: uuidv7(), filename: sanitiseFilename(f.filename), size: f.size, f }));
      await db.transaction().execute(async (trx) => {
        for (const o of out) await reports.insertAttachment(trx, { id: o.id, report_id: r.id, filename: o.filename, content_type: o.f.contentType, size: o.size, sha256: o.f.sha256, uploaded_by: 'reporter', created_at: nowIso });
        await audit.record(trx, actor, { action: 'report.reporter_attachments', targetType: 'report', targetId: r.id, details: { count: out.length } });
      });
      return out.map(({ id, filename, size }) => ({ id, filename, size }));
    },

    async list(actor: Actor, filter: { status?: string; channel?: string; q?: string; limit: number; before?: { createdAt: string; id: string } }): Promise<ReportSummary[]> {
      authorize(actor, 'report:list');
      const scope = listScope(actor);
      if ('none' in scope || 'partnerId' in scope) return [];
      return reports.list(db, { ...filter, organisationId: 'organisationId' in scope ? scope.organisationId : undefined });
    },

    /** Full report including the reporter's personal data: every read is audited. */
    async get(actor: Actor, id: string): Promise<ReportDetail> {
      authorize(actor, 'report:list'); // who may read any report at all, before touching the database
      const r = await reports.byId(db, id);
      if (!r) throw new NotFound('not_found');
      readScope(actor, r);
      const [messages, attachments] = await Promise.all([reports.messages(db, id), reports.attachments(db, id)]);
      await audit.recordAlone(actor, { action: 'report.read_personal_data', targetType: 'report', targetId: id });
      return toDetail(r, messages, attachments);
    },

    async attachmentFor(actor: Actor, reportId: string, attachmentId: string) {
      authorize(actor, 'report:list');
      const r = await reports.byId(db, reportId);
      if (!r) throw new NotFound('not_found');
      readScope(actor, r);
      const a = await reports.attachment(db, attachmentId);
      if (!a || a.report_id !== reportId) throw new NotFound('not_found');
      await audit.recordAlone(actor, { action: 'report.attachment_download', targetType: 'report', targetId: reportId, details: { attachmentId, sha256: a.sha256 } });
      return { filename: a.filename, sha256: a.sha256, size: Number(a.size) };
    },

    async reject(actor: Actor, ids: string[], reason: 'rejected' | 'spam', note: string | null): Promise<void> {
      authorize(actor, 'report:triage');
      await db.transaction().execute(async (trx) => {
        const rows = await reports.byIds(trx, ids);
        if (rows.length !== new Set(ids).size) throw new NotFound('not_found');
        const linked = rows.find((r) => r.incident_id !== null);
        if (linked) throw new Conflict('report_already_linked', undefined, { params: { number: linked.tracking_number } });
        await reports.setStatus(trx, ids, { status: reason, incident_id: null, rejection_note: note, updated_at: clock.now().toISOString() });
        for (const r of rows) await audit.record(trx, actor, { action: `report.${reason}`, targetType: 'report', targetId: r.id });
      });
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
