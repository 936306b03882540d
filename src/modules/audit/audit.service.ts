import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/time.js';
import { authorize, type Actor } from '../auth/policy.js';
import { entryHash, GENESIS_HASH, type AuditEntry, type AuditInput, type AuditRepository } from './audit.repository.js';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  headHash: string;
  problems: string[];
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.username}`;
    case 'reporter':
      return `reporter:${actor.reportId}`;
    case 'system':
      return `system:${actor.component}`;
    default:
      return 'anonymous';
  }
}

export function createAuditService(deps: { db: Db; audit: AuditRepository; clock: Clock }) {
  const { db, audit, clock } = deps;
  return {
    /** Records an action by an actor inside the caller's transaction. */
    record(trx: Db, actor: Actor, input: Omit<AuditInput, 'actorId' | 'actorLabel'>): Promise<AuditEntry> {
      return audit.append(trx, { ...input, actorId: actor.kind === 'user' ? actor.id : null, actorLabel: actorLabel(actor), ip: input.ip ?? actor.ip ?? null }, clock.now().toISOString());
    },

    /** Records outside any other change (logins, reads of personal data). */
    recordAlone(actor: Actor, input: Omit<AuditInput, 'actorId' | 'actorLabel'>): Promise<AuditEntry> {
      return db.transaction().execute((trx) => this.record(trx, actor, input));
    },

    async list(actor: Actor, opts: { limit: number; beforeSeq?: number; targetType?: string; targetId?: string }): Promise<AuditEntry[]> {
      authorize(actor, 'audit:read');
      return audit.list(db, opts);
    },

    /** Recomputes the whole chain: any edited, inserted or deleted entry is reported. */
    async verify(): Promise<VerifyResult> {
      const problems: string[] = [];
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      let count = 0;
      for await (const r of audit.all(db)) {
        const seq = Number(r.seq);
        count++;
        if (seq !== expectedSeq) problems.push(`entry ${expectedSeq}${seq > expectedSeq + 1 ? `–${seq - 1}` : ''} missing (next found is ${seq})`);
        if (r.prev_hash !== prev) problems.push(`entry ${seq}: previous-hash link broken`);
        const recomputed = entryHash({ seq, at: r.at, actorId: r.actor_id, actorLabel: r.actor_label, action: r.action, targetType: r.target_type, targetId: r.target_id, details: r.details, ip: r.ip, prevHash: r.prev_hash });
        if (recomputed !== r.hash) problems.push(`entry ${seq}: content does not match its hash (edited)`);
        prev = r.hash;
        expectedSeq = seq + 1;
        if (problems.length > 100) break;
      }
      const head = await audit.head(db);
      if (head.seq !== expectedSeq - 1) problems.push(`log ends at entry ${expectedSeq - 1} but the head records ${head.seq} (entries deleted at the end)`);
      else if (head.hash !== prev) problems.push('the head hash does not match the last entry');
      return { ok: problems.length === 0, entries: count, headHash: head.hash, problems };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
