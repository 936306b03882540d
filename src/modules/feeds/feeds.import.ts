import type { Db, NewRow, Row } from '../../db/database.js';
import type { BlobStore } from '../../lib/blobs.js';
import { HOUR_MS, type Clock } from '../../lib/time.js';
import { BULK_LANE, defineJob, exponentialBackoff } from '../../jobs/queue.js';
import type { ConstituentsService } from '../constituents/constituents.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { buildConstituentMatcher, FeedConfigError, FeedFormatError, runFeedPipeline } from './engine/index.js';
import { createEventsRepository, eventRow, type EventsRepository } from './events.repository.js';
import type { FeedsConfig } from './feeds.config.js';
import { parserFor } from './feed-parsers.js';

/** Events per write: each batch is one transaction of two statements (see events.repository.ts), so bigger
 *  batches mean fewer commits; the pipeline hands them over between 1 MB input chunks (a few thousand rows). */
const BATCH = 2000;

/**
 * Runs one feed import: the stored file through the engine's pipeline, events stored in batches as
 * they come (insert-or-ignore on the dedup key), sightings per import as absolute counts, then the
 * notices and the resolution of older notices. Everything is idempotent: a run killed at any point
 * and run again (the job's lease expires) ends in the same rows as one clean run.
 */
export function createFeedImportRunner(deps: {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  config: FeedsConfig;
  constituents: ConstituentsService;
  notifications: Pick<NotificationsService, 'fromDrafts' | 'resolveAfterImport' | 'scheduleSweep'>;
  /** The event store; bench/feeds/import.ts passes one that times its calls. */
  events?: EventsRepository;
}) {
  const { db, blobs, clock } = deps;
  const events = deps.events ?? createEventsRepository();

  async function finish(importId: string, set: Partial<NewRow<'feed_imports'>>): Promise<void> {
    await db.updateTable('feed_imports').set({ ...set, finished_at: clock.now().toISOString() }).where('id', '=', importId).execute();
  }

  async function runImport(importId: string): Promise<void> {
    const imp = await db.selectFrom('feed_imports').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!imp || imp.status === 'done' || imp.status === 'failed') return;
    const source = await db.selectFrom('feed_sources').selectAll().where('id', '=', imp.source_id).executeTakeFirstOrThrow();
    await db.updateTable('feed_imports').set({ status: 'running', started_at: clock.now().toISOString() }).where('id', '=', importId).execute();
    const { matcher } = buildConstituentMatcher(await deps.constituents.scopes());
    const now = clock.now().toISOString();
    let batch: NewRow<'events'>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      await events.storeBatch(db, rows, importId);
    };
    let result;
    try {
      result = await runFeedPipeline({
        parser: parserFor(source.parser, JSON.parse(source.options) as Record<string, unknown>),
        source: blobs.open(imp.blob_sha256),
        parse: { feedName: source.name, observedAt: imp.observed_at, ...(imp.file_name ? { fileName: imp.file_name } : {}), ...(source.provider ? { provider: source.provider } : {}) },
        matcher,
        dedup: { windowMs: deps.config.dedupWindowHours * HOUR_MS },
        onEvent: (d) => batch.push(eventRow(d, { sourceId: source.id, importId, tlp: source.default_tlp, now })),
        drain: async () => {
          if (batch.length >= BATCH) await flush();
        },
      });
      await flush();
    } catch (err) {
      // The input is not what the source expects: record it; retrying would not help.
      if (err instanceof FeedFormatError || err instanceof FeedConfigError || (err as { code?: string }).code === 'validation_failed') {
        await finish(importId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
        return;
      }
      throw err;
    }
    await events.finishSightings(db, importId, result.sightingBatches(5000));
    const s = result.stats;
    const notices = await deps.notifications.fromDrafts({ id: importId, sourceId: source.id, feedName: source.name, tlp: source.default_tlp }, result.notices);
    await deps.notifications.resolveAfterImport(source.id, importId);
    // Imported notices need the hourly sweep (delivery states, digests, escalation); it re-schedules itself.
    await deps.notifications.scheduleSweep();
    await finish(importId, { status: 'done', rows: s.rows, accepted: s.parsed, rejected: s.rejected, matched: s.matched, unmatched: s.unmatched.events, events: s.events, notices, errors: JSON.stringify(s.rejectedRows) });
  }

  const job = defineJob<{ importId: string }>({
    name: 'feeds.import',
    // A big feed takes minutes: its own lane, so mail and analyses never wait behind it.
    lane: BULK_LANE,
    maxAttempts: 5,
    backoffMs: exponentialBackoff(5_000, 10 * 60_000),
    timeoutMs: 60 * 60_000,
    handler: async ({ importId }) => runImport(importId),
  });

  return { job, runImport };
}

export type FeedImportRunner = ReturnType<typeof createFeedImportRunner>;
export type FeedImportRow = Row<'feed_imports'>;
