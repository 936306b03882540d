import type { Db, NewRow, Row } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { ReportDetail, ReportSummary } from './reports.schemas.js';

export type ReportRow = Row<'reports'>;

export function toSummary(r: Pick<ReportRow, 'id' | 'tracking_number' | 'channel' | 'status' | 'category' | 'title' | 'description' | 'assets' | 'incident_id' | 'organisation_id' | 'created_at'>): ReportSummary {
  return {
    id: r.id,
    trackingNumber: r.tracking_number,
    channel: r.channel,
    status: r.status,
    category: r.category,
    title: r.title,
    excerpt: r.description.slice(0, 200),
    assets: JSON.parse(r.assets) as string[],
    incidentId: r.incident_id,
    organisationId: r.organisation_id,
    createdAt: r.created_at,
  };
}

const SUMMARY_COLUMNS = ['id', 'tracking_number', 'channel', 'status', 'category', 'title', 'description', 'assets', 'incident_id', 'organisation_id', 'created_at'] as const;

export interface ReportFilter {
  status?: string | undefined;
  channel?: string | undefined;
  q?: string | undefined;
  incidentId?: string | undefined;
  organisationId?: string | undefined;
  /** Keyset paging: rows created before this (created_at, id). */
  before?: { createdAt: string; id: string } | undefined;
  limit: number;
}

const REPORT_COLUMNS = [
  'id', 'tracking_number', 'tracking_token_hash', 'channel', 'status', 'category', 'title', 'description', 'language', 'anonymous',
  'reporter_name', 'reporter_organisation', 'reporter_email', 'reporter_phone', 'occurred_at', 'discovered_at', 'assets', 'technical',
  'pgp', 'incident_id', 'organisation_id', 'created_by', 'rejection_note', 'created_at', 'updated_at',
] as const satisfies readonly (keyof NewRow<'reports'>)[];

export function createReportsRepository() {
  // The intake hot path: compiled once, every column always bound (missing ones as NULL).
  const insertReport = precompiled(
    (db) => db.insertInto('reports').values(Object.fromEntries(REPORT_COLUMNS.map((c) => [c, ''])) as never),
    (row: NewRow<'reports'>) => REPORT_COLUMNS.map((c) => row[c] ?? null),
  );
  return {
    async insert(db: Db, row: NewRow<'reports'>): Promise<void> {
      await insertReport(db, row);
    },
    async byId(db: Db, id: string): Promise<ReportRow | undefined> {
      return db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async byIds(db: Db, ids: readonly string[]): Promise<ReportRow[]> {
      if (ids.length === 0) return [];
      return db.selectFrom('reports').selectAll().where('id', 'in', ids).execute();
    },
    async byTokenHash(db: Db, hash: string): Promise<ReportRow | undefined> {
      return db.selectFrom('reports').selectAll().where('tracking_token_hash', '=', hash).executeTakeFirst();
    },
    async byTrackingNumber(db: Db, number: string): Promise<ReportRow | undefined> {
      return db.selectFrom('reports').selectAll().where('tracking_number', '=', number).executeTakeFirst();
    },
    async list(db: Db, f: ReportFilter): Promise<ReportSummary[]> {
      let q = db.selectFrom('reports').select(SUMMARY_COLUMNS).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.channel) q = q.where('channel', '=', f.channel);
      if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
      if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
      if (f.q) {
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) => eb.or([eb('tracking_number', 'like', like), eb('title', 'like', like), eb('description', 'like', like)]));
      }
      if (f.before) {
        const b = f.before;
        q = q.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]));
      }
      return (await q.execute()).map(toSummary);
    },
    async forIncident(db: Db, incidentId: string): Promise<ReportSummary[]> {
      return (await db.selectFrom('reports').select(SUMMARY_COLUMNS).where('incident_id', '=', incidentId).orderBy('created_at').execute()).map(toSummary);
    },
    async setStatus(db: Db, ids: readonly string[], patch: { status: string; incident_id: string | null; rejection_note?: string | null; updated_at: string }): Promise<void> {
      if (ids.length === 0) return;
      await db.updateTable('reports').set(patch).where('id', 'in', ids).execute();
    },
    async insertMessage(db: Db, row: NewRow<'report_messages'>): Promise<void> {
      await db.insertInto('report_messages').values(row).execute();
    },
    async messages(db: Db, reportId: string): Promise<Row<'report_messages'>[]> {
      return db.selectFrom('report_messages').selectAll().where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute();
    },
    async insertAttachment(db: Db, row: NewRow<'attachments'>): Promise<void> {
      await db.insertInto('attachments').values(row).execute();
    },
    async attachments(db: Db, reportId: string): Promise<Row<'attachments'>[]> {
      return db.selectFrom('attachments').selectAll().where('report_id', '=', reportId).orderBy('created_at').execute();
    },
    async attachment(db: Db, id: string): Promise<Row<'attachments'> | undefined> {
      return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;

export function toDetail(r: ReportRow, messages: Row<'report_messages'>[], attachments: Row<'attachments'>[]): ReportDetail {
  return {
    ...toSummary(r),
    description: r.description,
    language: r.language,
    anonymous: r.anonymous === 1,
    reporter: { name: r.reporter_name, organisation: r.reporter_organisation, email: r.reporter_email, phone: r.reporter_phone },
    occurredAt: r.occurred_at,
    discoveredAt: r.discovered_at,
    technical: r.technical ? (JSON.parse(r.technical) as ReportDetail['technical']) : null,
    pgp: r.pgp ? (JSON.parse(r.pgp) as Record<string, unknown>) : null,
    rejectionNote: r.rejection_note,
    messages: messages.map((m) => ({ id: m.id, from: m.author, body: m.body, createdAt: m.created_at })),
    attachments: attachments.map((a) => ({ id: a.id, filename: a.filename, size: Number(a.size), contentType: a.content_type, sha256: a.sha256, createdAt: a.created_at })),
    updatedAt: r.updated_at,
  };
}
