import { sql } from 'kysely';
import type { Db, NewRow, Row, RowUpdate } from '../../db/database.js';

export type InboundRow = Row<'mail_inbound'>;
export type OutboxRow = Row<'mail_outbox'>;

/** All SQL of the mail module's ledger: inbound messages and the outbox. */
export function createMailRepository() {
  return {
    async inboundBySha(db: Db, rawSha256: string): Promise<InboundRow | undefined> {
      return db.selectFrom('mail_inbound').selectAll().where('raw_sha256', '=', rawSha256).executeTakeFirst();
    },
    async insertInbound(db: Db, row: NewRow<'mail_inbound'>): Promise<void> {
      await db.insertInto('mail_inbound').values(row).execute();
    },
    async inboundForReport(db: Db, reportId: string): Promise<InboundRow[]> {
      return db.selectFrom('mail_inbound').selectAll().where('report_id', '=', reportId).orderBy('received_at').orderBy('id').execute();
    },

    /** The report a message replies to: one of our messages or one of the reporter's among its ids. */
    async reportForMessageIds(db: Db, ids: readonly string[]): Promise<string | null> {
      const bare = [...new Set(ids.map((i) => i.trim().replace(/^<|>$/g, '')).filter(Boolean))].slice(0, 50);
      if (bare.length === 0) return null;
      const ours = await db
        .selectFrom('mail_outbox')
        .select('report_id')
        .where('message_id', 'in', bare.map((b) => `<${b}>`))
        .where('report_id', 'is not', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      if (ours?.report_id) return ours.report_id;
      const theirs = await db.selectFrom('mail_inbound').select('report_id').where('message_id', 'in', bare).orderBy('created_at', 'desc').executeTakeFirst();
      return theirs?.report_id ?? null;
    },

    /** Our messages among these Message-IDs (with or without angle brackets). */
    async outboxByMessageIds(db: Db, ids: readonly string[]): Promise<OutboxRow[]> {
      const wanted = [...new Set(ids.map((i) => `<${i.trim().replace(/^<|>$/g, '')}>`))].slice(0, 50);
      if (wanted.length === 0) return [];
      return db.selectFrom('mail_outbox').selectAll().where('message_id', 'in', wanted).execute();
    },
    /**
     * How many messages of this kind went to this address (any recipient, case-insensitive) since
     * `since`. Outbox ids are UUIDv7 minted from the same clock as `created_at`, so the id bound lets
     * the primary key narrow the scan to the window before the recipients are matched.
     */
    async countOutboxTo(db: Db, kind: string, address: string, since: Date): Promise<number> {
      const hex = since.getTime().toString(16).padStart(12, '0');
      const idFloor = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
      // to_addresses is a JSON array of { name?, address }: match the address member exactly (its
      // closing quote stops a@b.co from matching a@b.com), with LIKE's wildcards escaped.
      const pattern = `%${`"address":${JSON.stringify(address.toLowerCase())}`.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const r = await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('id', '>=', idFloor)
        .where('created_at', '>=', since.toISOString())
        .where('kind', '=', kind)
        .where(sql<boolean>`lower(to_addresses) like ${pattern} escape '\\'`)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insertOutbox(db: Db, row: NewRow<'mail_outbox'>): Promise<void> {
      await db.insertInto('mail_outbox').values(row).execute();
    },
    async outbox(db: Db, id: string): Promise<OutboxRow | undefined> {
      return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async updateOutbox(db: Db, id: string, patch: RowUpdate<'mail_outbox'>): Promise<void> {
      await db.updateTable('mail_outbox').set(patch).where('id', '=', id).execute();
    },
    async outboxForReport(db: Db, reportId: string): Promise<OutboxRow[]> {
      return db.selectFrom('mail_outbox').selectAll().where('report_id', '=', reportId).orderBy('created_at').orderBy('id').execute();
    },
    async listOutbox(db: Db, f: { state?: string | undefined; reportId?: string | undefined; limit: number; before?: { createdAt: string; id: string } | undefined }): Promise<OutboxRow[]> {
      let q = db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit);
      if (f.state) q = q.where('state', '=', f.state);
      if (f.reportId) q = q.where('report_id', '=', f.reportId);
      if (f.before) {
        const b = f.before;
        q = q.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]));
      }
      return q.execute();
    },
    async outboxCounts(db: Db): Promise<Record<string, number>> {
      const rows = await db.selectFrom('mail_outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
  };
}

export type MailRepository = ReturnType<typeof createMailRepository>;
