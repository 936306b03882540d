import { createHash } from 'node:crypto';
import type { Db, Row } from '../../db/database.js';
import type { Dialect } from '../../db/connect.js';
import { precompiled } from '../../db/precompiled.js';

export interface AuditInput {
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash covers every field of the entry and the previous hash, so any edit breaks the chain. */
export function entryHash(e: Omit<AuditEntry, 'hash' | 'details'> & { details: string }): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actorId, e.actorLabel, e.action, e.targetType, e.targetId, e.details, e.ip, e.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

function toEntry(r: Row<'audit_log'>): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    ip: r.ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const AUDIT_COLUMNS = ['seq', 'at', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'details', 'ip', 'prev_hash', 'hash'] as const;

export function createAuditRepository(dialect: Dialect) {
  // Every audited change runs these three: compiled once (see precompiled.ts).
  const readHead = precompiled(
    (db) => {
      const q = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
      return dialect === 'postgres' ? q.forUpdate() : q;
    },
    () => [1],
  );
  const insertEntry = precompiled(
    (db) => db.insertInto('audit_log').values(Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, ''])) as never),
    (row: Record<(typeof AUDIT_COLUMNS)[number], unknown>) => AUDIT_COLUMNS.map((c) => row[c]),
  );
  const writeHead = precompiled(
    (db) => db.updateTable('audit_head').set({ seq: 0, hash: '' }).where('id', '=', 1),
    (seq: number, hash: string) => [seq, hash, 1],
  );
  return {
    /**
     * Appends one entry. Must run inside the transaction of the change it records: the head row is
     * locked (PostgreSQL: FOR UPDATE; SQLite: the single writer), so the chain stays linear even with
     * many server and worker processes.
     */
    async append(trx: Db, input: AuditInput, at: string): Promise<AuditEntry> {
      const [head] = await readHead<{ seq: number; hash: string }>(trx);
      if (!head) throw new Error('audit_head row missing');
      const seq = Number(head.seq) + 1;
      const details = JSON.stringify(input.details ?? {});
      const base = {
        seq,
        at,
        actorId: input.actorId,
        actorLabel: input.actorLabel,
        action: input.action,
        targetType: input.targetType ?? null,
        targetId: input.targetId ?? null,
        ip: input.ip ?? null,
        prevHash: head.hash,
      };
      const hash = entryHash({ ...base, details });
      await insertEntry(trx, { seq, at, actor_id: base.actorId, actor_label: base.actorLabel, action: base.action, target_type: base.targetType, target_id: base.targetId, details, ip: base.ip, prev_hash: base.prevHash, hash });
      await writeHead(trx, seq, hash);
      return { ...base, details: input.details ?? {}, hash };
    },

    async list(db: Db, opts: { limit: number; beforeSeq?: number; targetType?: string; targetId?: string }): Promise<AuditEntry[]> {
      let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(opts.limit);
      if (opts.beforeSeq !== undefined) q = q.where('seq', '<', opts.beforeSeq);
      if (opts.targetType) q = q.where('target_type', '=', opts.targetType);
      if (opts.targetId) q = q.where('target_id', '=', opts.targetId);
      return (await q.execute()).map(toEntry);
    },

    async head(db: Db): Promise<{ seq: number; hash: string }> {
      const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { seq: Number(h.seq), hash: h.hash };
    },

    /** Streams the whole log in order, in pages, for verification. */
    async *all(db: Db, pageSize = 5000): AsyncGenerator<Row<'audit_log'>> {
      let after = 0;
      for (;;) {
        const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
        if (rows.length === 0) return;
        for (const r of rows) yield r;
        after = Number(rows[rows.length - 1]!.seq);
      }
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
