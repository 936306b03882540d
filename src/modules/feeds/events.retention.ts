import type { Db } from '../../db/database.js';
import { BULK_LANE, defineJob, exponentialBackoff, type Queue } from '../../jobs/queue.js';
import { HOUR_MS, type Clock } from '../../lib/time.js';

const DAY_MS = 24 * HOUR_MS;
import type { AuditService } from '../audit/audit.service.js';
import type { FeedsConfig } from './feeds.config.js';

const BATCH = 5_000;

/**
 * Event retention (off unless TOCSIN_EVENT_RETENTION_DAYS is set): a daily `events.purge` run deletes
 * events last seen before the cutoff, with their per-import sightings, a batch per transaction so
 * writers are never held for long. Notices keep their own text, hosts and CSV, so what was sent
 * stays readable; import rows keep their counts.
 */
export function createEventRetention(deps: { db: Db; queue: Queue; clock: Clock; audit: AuditService; config: Pick<FeedsConfig, 'eventRetentionDays'> }) {
  const { db, clock } = deps;

  /** Deletes events last seen before the cutoff; returns how many. */
  async function purge(): Promise<number> {
    if (deps.config.eventRetentionDays === 0) return 0;
    const cutoff = new Date(clock.now().getTime() - deps.config.eventRetentionDays * DAY_MS).toISOString();
    let total = 0;
    for (;;) {
      const n = await db.transaction().execute(async (trx) => {
        const ids = (await trx.selectFrom('events').select('id').where('last_seen', '<', cutoff).orderBy('last_seen').limit(BATCH).execute()).map((r) => r.id);
        if (ids.length === 0) return 0;
        await trx.deleteFrom('event_imports').where('event_id', 'in', ids).execute();
        await trx.deleteFrom('events').where('id', 'in', ids).execute();
        return ids.length;
      });
      total += n;
      if (n < BATCH) break;
    }
    if (total > 0) await deps.audit.recordAlone({ kind: 'system', component: 'events-retention' }, { action: 'events.purge', targetType: 'event', targetId: null, details: { deleted: total, lastSeenBefore: cutoff } });
    return total;
  }

  const job = defineJob<{ day: string }>({
    name: 'events.purge',
    lane: BULK_LANE,
    maxAttempts: 3,
    backoffMs: exponentialBackoff(60_000, 15 * 60_000),
    timeoutMs: 60 * 60_000,
    handler: async () => {
      await purge();
    },
  });
  if (deps.config.eventRetentionDays > 0) deps.queue.every(job, { periodMs: DAY_MS, payload: (slot) => ({ day: slot.toISOString() }) });

  return { purge, job };
}

export type EventRetention = ReturnType<typeof createEventRetention>;
