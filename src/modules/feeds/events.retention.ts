import type { Db } from '../../db/database.js';
import type { BlobStore } from '../../lib/blobs.js';
import { BULK_LANE, defineJob, exponentialBackoff, type Queue } from '../../jobs/queue.js';
import { HOUR_MS, type Clock } from '../../lib/time.js';

const DAY_MS = 24 * HOUR_MS;
import type { AuditService } from '../audit/audit.service.js';
import type { FeedsConfig } from './feeds.config.js';

const BATCH = 5_000;

/**
 * Retention of feed data, each off unless set; a daily `events.purge` run does both:
 * - events (TOCSIN_EVENT_RETENTION_DAYS): events last seen before the cutoff are deleted with their
 *   per-import sightings, a batch per transaction so writers are never held for long. Notices keep
 *   their own text, hosts and CSV, so what was sent stays readable; import rows keep their counts;
 * - feed files (TOCSIN_FEED_FILE_RETENTION_DAYS): the stored file of an import finished before the
 *   cutoff is deleted from the blob store unless something else still needs the same bytes (a newer
 *   or unfinished import, a report's attachment, a mail not yet composed). A daily Shadowserver
 *   delivery is hundreds of megabytes; the events hold what was learnt from it.
 */
export function createEventRetention(deps: { db: Db; blobs: BlobStore; queue: Queue; clock: Clock; audit: AuditService; config: Pick<FeedsConfig, 'eventRetentionDays' | 'fileRetentionDays'> }) {
  const { db, clock } = deps;
  const system = { kind: 'system', component: 'feed-retention' } as const;

  /** Deletes the stored files of imports finished before the cutoff that nothing else needs; returns how many. */
  async function purgeFiles(): Promise<number> {
    if (deps.config.fileRetentionDays === 0) return 0;
    const cutoff = new Date(clock.now().getTime() - deps.config.fileRetentionDays * DAY_MS);
    const cutoffIso = cutoff.toISOString();
    const old = await db.selectFrom('feed_imports').select(['id', 'blob_sha256']).where('status', 'in', ['done', 'failed']).where('finished_at', '<', cutoffIso).execute();
    const removed: string[] = [];
    for (const sha of new Set(old.map((r) => r.blob_sha256))) {
      const newer = await db
        .selectFrom('feed_imports')
        .select('id')
        .where('blob_sha256', '=', sha)
        .where((eb) => eb.or([eb('status', 'not in', ['done', 'failed']), eb('finished_at', 'is', null), eb('finished_at', '>=', cutoffIso)]))
        .executeTakeFirst();
      const attached = await db.selectFrom('attachments').select('id').where('sha256', '=', sha).executeTakeFirst();
      // Composed mail carries its bytes in `raw`; only mail still to be composed reads attachments from the store.
      const unsent = await db.selectFrom('mail_outbox').select('id').where('raw', 'is', null).where('attachments', 'like', `%${sha}%`).executeTakeFirst();
      if (newer || attached || unsent) continue;
      // Only a file written before the cutoff: the same bytes uploaded again since are a new reference.
      if (await deps.blobs.removeIfOlder(sha, cutoff)) removed.push(sha);
    }
    if (removed.length) await deps.audit.recordAlone(system, { action: 'feed.files_purge', targetType: 'feed_import', targetId: null, details: { files: removed.length, finishedBefore: cutoffIso } });
    return removed.length;
  }

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
    if (total > 0) await deps.audit.recordAlone(system, { action: 'events.purge', targetType: 'event', targetId: null, details: { deleted: total, lastSeenBefore: cutoff } });
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
      await purgeFiles();
    },
  });
  if (deps.config.eventRetentionDays > 0 || deps.config.fileRetentionDays > 0) deps.queue.every(job, { periodMs: DAY_MS, payload: (slot) => ({ day: slot.toISOString() }) });

  return { purge, purgeFiles, job };
}

export type EventRetention = ReturnType<typeof createEventRetention>;
