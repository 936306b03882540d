import { Readable } from 'node:stream';
import type { Db, Row } from '../../db/database.js';
import type { BlobStore } from '../../lib/blobs.js';
import { Conflict, Forbidden, NotFound } from '../../lib/errors.js';
import { MINUTE_MS, type Clock } from '../../lib/time.js';
import { BULK_LANE, defineJob, exponentialBackoff, type Queue } from '../../jobs/queue.js';
import type { Dialect } from '../../db/connect.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import type { FeedsConfig } from './feeds.config.js';
import { scheduleMinutes, type FeedsService } from './feeds.service.js';
import type { FeedSource } from './feeds.schemas.js';

const DAY_MS = 24 * 60 * MINUTE_MS;
/** Beyond the fetch's own timeout, how long a claimed source stays claimed (storing, committing). */
const CLAIM_MARGIN_MS = 5 * MINUTE_MS;
/** One poll run stops claiming new sources after this long; the rest wait for the next minute. */
const RUN_BUDGET_MS = 5 * MINUTE_MS;
const SYSTEM: Actor = { kind: 'system', component: 'feeds.poll' };

/** A failure with a message fit to show an administrator (stored in `poll_error`). */
export class PollError extends Error {}

export type FetchOutcome =
  | { kind: 'not-modified'; etag: string | null; lastModified: string | null }
  | { kind: 'content'; body: Readable; etag: string | null; lastModified: string | null; fileName: string | null; url: string };

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$|ERR_TLS_CERT_ALTNAME_INVALID$)/;

/** Turns what fetch throws into one line an administrator can act on. */
export function describeFetchError(err: unknown, url: URL): string {
  if (err instanceof PollError) return err.message;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const detail = typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.message : String(err);
  const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `DNS lookup of ${url.hostname} failed (${code})`;
  if (code === 'ECONNREFUSED') return `connection to ${where} refused`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection to ${where} closed unexpectedly`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connecting to ${where} timed out`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where} is unreachable (${code})`;
  if (TLS_CODES.test(code)) return `TLS error with ${where}: ${code} ${detail.split('\n')[0]!.slice(0, 300)}`.trim();
  return `fetching ${url.origin} failed: ${(code ? `${code} ` : '') + detail.split('\n')[0]!.slice(0, 300)}`;
}

/** The file name a response gives (Content-Disposition), else the URL's last path segment. */
export function fileNameOf(contentDisposition: string | null, url: URL): string | null {
  let name: string | null = null;
  if (contentDisposition) {
    const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(contentDisposition);
    const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentDisposition);
    try {
      if (star) name = decodeURIComponent(star[2]!.trim());
    } catch {
      name = null;
    }
    if (!name && plain) name = (plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1');
  }
  if (!name) {
    const last = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
    try {
      name = decodeURIComponent(last);
    } catch {
      name = last;
    }
  }
  // Only the base name, without control characters, at most 300 characters (as for uploads).
  const clean = [...(name.split(/[/\\]/).at(-1) ?? '')].filter((ch) => ch.charCodeAt(0) >= 32 && ch.charCodeAt(0) !== 127).join('').trim().slice(0, 300);
  return clean === '' ? null : clean;
}

/**
 * Fetches a feed URL: http and https only (each redirect hop too), at most `maxRedirects` hops,
 * conditional on the stored validators, gzip/deflate/br accepted (undici decodes), the response
 * headers within `connectTimeoutMs`, the whole transfer within `timeoutMs`, and the decoded body
 * cut off (the connection aborted) as soon as it passes `maxBytes`. The body is a stream: the
 * caller stores it while it arrives and must call `done()` afterwards (timers, connection).
 */
export async function fetchFeed(
  rawUrl: string,
  opts: { etag: string | null; lastModified: string | null; timeoutMs: number; connectTimeoutMs: number; maxRedirects: number; maxBytes: number },
): Promise<{ outcome: FetchOutcome; done: () => void }> {
  const total = new AbortController();
  const totalTimer = setTimeout(() => total.abort(new PollError(`timed out after ${Math.round(opts.timeoutMs / 1000)} s (TOCSIN_FEED_POLL_TIMEOUT_SECONDS)`)), opts.timeoutMs);
  // Clears the timer and releases the connection if the body was not read to the end.
  const done = () => {
    clearTimeout(totalTimer);
    if (!total.signal.aborted) total.abort(new PollError('the fetch was abandoned'));
  };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    done();
    throw new PollError('the feed URL is not a valid URL');
  }
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PollError(`refused: only http and https URLs are fetched (got ${url.protocol})`);
      if (url.username || url.password) throw new PollError('refused: user names and passwords in feed URLs are not supported');
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'Tocsin feed poller', accept: '*/*' };
      if (opts.etag) headers['if-none-match'] = opts.etag;
      if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
      // Headers must arrive within the connect timeout; the total timeout keeps running.
      const hopCtl = new AbortController();
      const hopTimer = setTimeout(() => hopCtl.abort(new PollError(`no response from ${url.host} within ${Math.round(opts.connectTimeoutMs / 1000)} s (TOCSIN_FEED_POLL_CONNECT_TIMEOUT_SECONDS)`)), opts.connectTimeoutMs);
      const signal = AbortSignal.any([total.signal, hopCtl.signal]);
      let res: Response;
      try {
        res = await fetch(url, { redirect: 'manual', signal, headers });
      } catch (err) {
        if (signal.aborted) throw signal.reason instanceof PollError ? signal.reason : new PollError('the fetch was aborted');
        throw new PollError(describeFetchError(err, url));
      } finally {
        clearTimeout(hopTimer);
      }
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        if (!location) throw new PollError(`HTTP ${res.status} without a Location header`);
        if (hop + 1 > opts.maxRedirects) throw new PollError(`more than ${opts.maxRedirects} redirects (TOCSIN_FEED_POLL_MAX_REDIRECTS)`);
        try {
          url = new URL(location, url);
        } catch {
          throw new PollError(`HTTP ${res.status} to an invalid Location`);
        }
        continue;
      }
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined);
        done();
        return { outcome: { kind: 'not-modified', etag, lastModified }, done };
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => undefined);
        throw new PollError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url.host}`);
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      const encoded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
      if (!encoded && Number.isFinite(declared) && declared > opts.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw new PollError(`the feed is larger than ${opts.maxBytes} bytes (TOCSIN_FEED_MAX_BYTES): ${declared} bytes announced`);
      }
      const fileName = fileNameOf(res.headers.get('content-disposition'), url);
      const source = res.body;
      const finalUrl = url.href;
      // The decoded bytes are counted (a small gzip bomb cannot fill the disk); past the limit the
      // transfer is aborted at once.
      async function* limited(): AsyncGenerator<Buffer> {
        if (!source) return;
        let size = 0;
        try {
          for await (const chunk of source) {
            size += chunk.byteLength;
            if (size > opts.maxBytes) {
              total.abort(new PollError(`the feed is larger than ${opts.maxBytes} bytes (TOCSIN_FEED_MAX_BYTES)`));
              throw total.signal.reason as PollError;
            }
            yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          }
        } catch (err) {
          if (total.signal.aborted && total.signal.reason instanceof PollError) throw total.signal.reason;
          if (err instanceof PollError) throw err;
          throw new PollError(`reading the feed from ${new URL(finalUrl).host} failed: ${describeFetchError(err, new URL(finalUrl))}`);
        }
      }
      return { outcome: { kind: 'content', body: Readable.from(limited()), etag, lastModified, fileName, url: finalUrl }, done };
    }
  } catch (err) {
    done();
    throw err;
  }
}

/**
 * Feeds fetched from an HTTP(S) URL on their schedule. A `feeds.poll` job runs every minute (a
 * periodic job of the queue: one per minute slot, scheduled by the job runner): it claims each due source
 * by moving its `poll_next_at` forward by a lease (a conditional update, so two workers never fetch
 * the same source), fetches it, and in one transaction — under a lock on the source — queues the
 * import unless the content equals the last poll's (SHA-256), stores the validators and the next
 * time. A process that dies mid-poll leaves only the lease: the source is due again when it ends,
 * and nothing was imported, so nothing is lost or doubled. Failures back off: the interval doubles
 * per consecutive failure, up to a day (or the schedule, when that is longer).
 */
export function createFeedPoller(deps: { db: Db; dialect: Dialect; blobs: BlobStore; queue: Queue; audit: AuditService; clock: Clock; config: FeedsConfig; feeds: FeedsService }) {
  const { db, clock, config } = deps;

  /** The interval after this poll: the schedule, or — after a failure — double the last one, capped. */
  function nextInterval(row: Row<'feed_sources'>, failed: boolean): number {
    const base = scheduleMinutes(row.schedule ?? '1d') * MINUTE_MS;
    if (!failed) return base;
    const cap = Math.max(DAY_MS, base);
    // After an earlier failure the gap between the last poll and the time it set is the current backoff.
    const previous = row.poll_error !== null && row.poll_last_at !== null && row.poll_next_at !== null ? Date.parse(row.poll_next_at) - Date.parse(row.poll_last_at) : base;
    return Math.min(cap, Math.max(base, previous) * 2);
  }

  /** Claims a due source for this run: moves its next time by the lease, only if nobody else did. */
  async function claim(row: Row<'feed_sources'>, now: Date): Promise<boolean> {
    const lease = new Date(now.getTime() + config.pollTimeoutMs + CLAIM_MARGIN_MS).toISOString();
    const r = await db.updateTable('feed_sources').set({ poll_next_at: lease }).where('id', '=', row.id).where('poll_next_at', '=', row.poll_next_at).where('enabled', '=', 1).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Writes the result of one poll, unless the source's URL changed or it was disabled meanwhile. */
  async function settle(trx: Db, row: Row<'feed_sources'>, set: { error: string | null; etag?: string | null; lastModified?: string | null }, started: Date): Promise<void> {
    const interval = nextInterval(row, set.error !== null);
    await trx
      .updateTable('feed_sources')
      .set({
        poll_last_at: started.toISOString(),
        poll_next_at: new Date(started.getTime() + interval).toISOString(),
        poll_error: set.error,
        ...(set.etag !== undefined ? { poll_etag: set.etag?.slice(0, 500) ?? null } : {}),
        ...(set.lastModified !== undefined ? { poll_last_modified: set.lastModified?.slice(0, 100) ?? null } : {}),
        updated_at: clock.now().toISOString(),
      })
      .where('id', '=', row.id)
      .where('poll_url', '=', row.poll_url)
      .execute();
  }

  /** Locks the source row for the rest of the transaction (SQLite transactions are serialised already). */
  async function lockSource(trx: Db, id: string): Promise<Row<'feed_sources'> | undefined> {
    let q = trx.selectFrom('feed_sources').selectAll().where('id', '=', id);
    if (deps.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /** Polls one claimed source; never throws (failures are stored on the source). */
  async function pollSource(row: Row<'feed_sources'>, started: Date): Promise<'imported' | 'unchanged' | 'not-modified' | 'failed'> {
    const url = row.poll_url!;
    let fetched: Awaited<ReturnType<typeof fetchFeed>> | undefined;
    try {
      fetched = await fetchFeed(url, { etag: row.poll_etag, lastModified: row.poll_last_modified, timeoutMs: config.pollTimeoutMs, connectTimeoutMs: config.pollConnectTimeoutMs, maxRedirects: config.pollMaxRedirects, maxBytes: config.maxFeedBytes });
      const outcome = fetched.outcome;
      if (outcome.kind === 'not-modified') {
        await settle(db, row, { error: null, ...(outcome.etag ? { etag: outcome.etag } : {}), ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}) }, started);
        return 'not-modified';
      }
      // Stored while it arrives (content-addressed: the same bytes are one file).
      const blob = await deps.blobs.put(outcome.body, { maxBytes: config.maxFeedBytes, ...(outcome.fileName ? { name: outcome.fileName } : {}) });
      fetched.done();
      return await db.transaction().execute(async (trx) => {
        const current = await lockSource(trx, row.id);
        // Changed while we fetched: the change reset the polling state; this result is stale.
        if (!current || current.poll_url !== url || Number(current.enabled) !== 1) return 'unchanged';
        const last = await trx.selectFrom('feed_imports').select('blob_sha256').where('source_id', '=', row.id).where('method', '=', 'poll').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
        const fresh = last?.blob_sha256 !== blob.sha256;
        if (fresh) await deps.feeds.queueStoredImport(trx, SYSTEM, row.id, { blob, fileName: outcome.fileName, method: 'poll' });
        await settle(trx, row, { error: null, etag: outcome.etag, lastModified: outcome.lastModified }, started);
        return fresh ? 'imported' : 'unchanged';
      });
    } catch (err) {
      fetched?.done();
      const message = err instanceof PollError ? err.message : (err as { code?: string }).code === 'attachment_too_large' ? `the feed is larger than ${config.maxFeedBytes} bytes (TOCSIN_FEED_MAX_BYTES)` : `polling failed: ${err instanceof Error ? err.message : String(err)}`;
      await settle(db, row, { error: message.slice(0, 2000) }, started);
      return 'failed';
    }
  }

  /** Polls every due source (a few at once), claiming each first; returns what happened per source. */
  async function pollDue(): Promise<Record<string, string>> {
    const results: Record<string, string> = {};
    const began = Date.now();
    const seen = new Set<string>();
    const lanes = Array.from({ length: config.pollConcurrency }, async () => {
      while (Date.now() - began < RUN_BUDGET_MS) {
        const now = clock.now();
        let q = db.selectFrom('feed_sources').selectAll().where('enabled', '=', 1).where('poll_url', 'is not', null).where('poll_next_at', '<=', now.toISOString()).orderBy('poll_next_at').orderBy('id').limit(1);
        if (seen.size) q = q.where('id', 'not in', [...seen]);
        const row = await q.executeTakeFirst();
        if (!row) return;
        seen.add(row.id);
        if (!(await claim(row, now))) continue;
        results[row.id] = await pollSource(row, now);
      }
    });
    await Promise.all(lanes);
    return results;
  }

  const job = defineJob<{ slot: string }>({
    name: 'feeds.poll',
    // Fetches can take minutes: beside imports, never in front of mail or analyses.
    lane: BULK_LANE,
    // The next minute's run is queued by the runner whatever happens to this one; a short retry is enough.
    maxAttempts: 3,
    backoffMs: exponentialBackoff(10_000, 60_000),
    timeoutMs: RUN_BUDGET_MS + config.pollTimeoutMs + CLAIM_MARGIN_MS,
    handler: async () => void (await pollDue()),
  });
  // One run per minute slot; one finished run per minute adds up, so housekeeping keeps a day of them.
  deps.queue.every(job, { periodMs: MINUTE_MS, payload: (slot) => ({ slot: slot.toISOString() }), keepDoneMs: DAY_MS });

  /** Makes sure the next minute's poll run exists (the job runner does this on every tick). */
  async function scheduleNext(): Promise<void> {
    await deps.queue.ensurePeriodic(job.name);
  }

  return {
    job,
    pollDue,
    scheduleNext,

    /** "Poll now": the source is due at once and a poll run is queued (202; the result shows on the source). */
    async pollNow(actor: Actor, id: string): Promise<FeedSource> {
      authorize(actor, 'feed:manage');
      const row = await db.selectFrom('feed_sources').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFound('not_found');
      if (!row.poll_url) throw new Conflict('feed_not_polled');
      if (Number(row.enabled) !== 1) throw new Forbidden('feed_disabled');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        // A source being fetched right now (claimed: next time in the future) is made due again too;
        // the content check under the lock keeps a second fetch of the same bytes from importing twice.
        await trx.updateTable('feed_sources').set({ poll_next_at: now.toISOString() }).where('id', '=', id).execute();
        await deps.queue.enqueue(trx, job, { slot: now.toISOString() }, { runAt: now, dedupeKey: `feeds.poll:now:${id}:${now.toISOString()}` });
        await deps.audit.record(trx, actor, { action: 'feed.poll', targetType: 'feed_source', targetId: id, details: { url: row.poll_url } });
      });
      return deps.feeds.getSource(actor, id);
    },
  };
}

export type FeedPoller = ReturnType<typeof createFeedPoller>;
