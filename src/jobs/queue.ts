
import type { Dialect } from '../db/connect.js';
import type { Db, Row } from '../db/database.js';
import { uuidv7 } from '../lib/ids.js';
import type { Clock } from '../lib/time.js';

/**
 * A small durable job queue on the `jobs` table, the same on SQLite and PostgreSQL.
 * - Jobs are enqueued inside the caller's transaction (the outbox pattern): a job exists exactly
 *   when the change that asked for it was committed.
 * - A `dedupeKey` makes enqueueing idempotent (a re-run after a crash does not double-send).
 * - Claiming marks the job running with a lease (`locked_until`); a worker that dies loses its lease
 *   and the job runs again, so handlers must be idempotent.
 * - On PostgreSQL claims use FOR UPDATE SKIP LOCKED, so `tocsin worker` processes scale out.
 */
export interface JobDefinition<P> {
  name: string;
  maxAttempts: number;
  /** Milliseconds before retry number `attempt` (1-based). */
  backoffMs: (attempt: number) => number;
  timeoutMs: number;
  handler: (payload: P, ctx: { attempt: number; jobId: string }) => Promise<void>;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

export const exponentialBackoff = (baseMs: number, capMs: number) => (attempt: number) => Math.min(capMs, baseMs * 2 ** (attempt - 1));

export interface EnqueueOptions {
  runAt?: Date;
  dedupeKey?: string;
}

export type JobRow = Row<'jobs'>;

export function createQueue(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  const { db, dialect, clock } = deps;
  const definitions = new Map<string, JobDefinition<never>>();
  const wakers = new Set<() => void>();

  async function claim(names: string[]): Promise<JobRow | undefined> {
    if (names.length === 0) return undefined;
    const now = clock.now();
    const nowIso = now.toISOString();
    return db.transaction().execute(async (trx) => {
      let pick = trx
        .selectFrom('jobs')
        .select(['id', 'name'])
        .where('name', 'in', names)
        .where((eb) => eb.or([eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', nowIso)]), eb.and([eb('state', '=', 'running'), eb('locked_until', '<', nowIso)])]))
        .orderBy('run_at')
        .limit(1);
      if (dialect === 'postgres') pick = pick.forUpdate().skipLocked();
      const found = await pick.executeTakeFirst();
      if (!found) return undefined;
      const def = definitions.get(found.name)!;
      return trx
        .updateTable('jobs')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), locked_until: new Date(now.getTime() + def.timeoutMs).toISOString(), updated_at: nowIso }))
        .where('id', '=', found.id)
        .returningAll()
        .executeTakeFirst();
    });
  }

  async function finish(job: JobRow, error: unknown): Promise<void> {
    const nowIso = clock.now().toISOString();
    if (error === undefined) {
      await db.updateTable('jobs').set({ state: 'done', locked_until: null, last_error: null, updated_at: nowIso }).where('id', '=', job.id).execute();
      return;
    }
    const def = definitions.get(job.name)!;
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const attempts = Number(job.attempts);
    if (attempts >= def.maxAttempts) {
      await db.updateTable('jobs').set({ state: 'failed', locked_until: null, last_error: message, updated_at: nowIso }).where('id', '=', job.id).execute();
    } else {
      const runAt = new Date(clock.now().getTime() + def.backoffMs(attempts)).toISOString();
      await db.updateTable('jobs').set({ state: 'queued', locked_until: null, last_error: message, run_at: runAt, updated_at: nowIso }).where('id', '=', job.id).execute();
    }
  }

  return {
    register<P>(def: JobDefinition<P>): void {
      definitions.set(def.name, def as unknown as JobDefinition<never>);
    },

    /** Adds a job in the caller's transaction; returns false when the dedupe key already exists. */
    async enqueue<P>(trx: Db, def: JobDefinition<P>, payload: P, opts: EnqueueOptions = {}): Promise<boolean> {
      const nowIso = clock.now().toISOString();
      const r = await trx
        .insertInto('jobs')
        .values({ id: uuidv7(), name: def.name, payload: JSON.stringify(payload), state: 'queued', run_at: (opts.runAt ?? clock.now()).toISOString(), max_attempts: def.maxAttempts, dedupe_key: opts.dedupeKey ?? null, created_at: nowIso, updated_at: nowIso })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
      const added = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
      if (added) queueMicrotask(() => wakers.forEach((w) => w()));
      return added;
    },

    /** Runs ready jobs until none is left; returns how many ran. Used by the worker loop and tests. */
    async runReady(limit = Number.POSITIVE_INFINITY): Promise<number> {
      let ran = 0;
      const names = [...definitions.keys()];
      while (ran < limit) {
        const job = await claim(names);
        if (!job) break;
        const def = definitions.get(job.name)!;
        let error: unknown = undefined;
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            def.handler(JSON.parse(job.payload) as never, { attempt: Number(job.attempts), jobId: job.id }),
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${def.timeoutMs} ms`)), def.timeoutMs))),
          ]);
        } catch (err) {
          error = err ?? new Error('failed');
        } finally {
          clearTimeout(timer);
        }
        await finish(job, error);
        ran++;
      }
      return ran;
    },

    /** Polls and runs jobs until stopped; wakes at once when this process enqueues. */
    start(opts: { pollMs?: number; onError?: (err: unknown) => void } = {}): { stop(): Promise<void> } {
      let stopped = false;
      let wake: (() => void) | undefined;
      const waker = () => wake?.();
      wakers.add(waker);
      const loop = (async () => {
        while (!stopped) {
          try {
            await this.runReady();
          } catch (err) {
            opts.onError?.(err);
          }
          if (stopped) break;
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, opts.pollMs ?? 1000);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          wake = undefined;
        }
      })();
      return {
        async stop() {
          stopped = true;
          wake?.();
          wakers.delete(waker);
          await loop;
        },
      };
    },

    async counts(): Promise<Record<string, number>> {
      const rows = await db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },

    async byDedupeKey(key: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
    },

    /** Removes finished jobs older than the cutoff (housekeeping). */
    async purgeDone(before: Date): Promise<void> {
      await db.deleteFrom('jobs').where('state', '=', 'done').where('updated_at', '<', before.toISOString()).execute();
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
