
import type { Dialect } from '../db/connect.js';
import type { ExpressionBuilder } from 'kysely';
import type { Database, Db, Row } from '../db/database.js';
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
 * - Lanes: each definition belongs to a lane (`default` unless it names one, e.g. `bulk` for feed
 *   imports and polls); `start()` runs its own workers per lane, each claiming only its lane's jobs,
 *   so a long bulk job never holds up mail or malware analyses.
 * - Periodic jobs (`every`): one job per time slot, dedupe key `name:slotISO`. The runner makes sure
 *   the next slot's job exists on every tick, so a chain cannot stop for good (a slot whose job failed
 *   is simply followed by the next one) and processes starting together schedule a slot once.
 */
export interface JobDefinition<P> {
  name: string;
  /** The lane whose workers run it (default `default`). */
  lane?: string;
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

export const DEFAULT_LANE = 'default';
export const BULK_LANE = 'bulk';
const DAY_MS = 86_400_000;

export interface EnqueueOptions {
  runAt?: Date;
  dedupeKey?: string;
}

export interface PeriodicOptions<P> {
  /** Slots start at multiples of this since the Unix epoch (UTC): a minute, an hour, a day… */
  periodMs: number;
  /** The payload of the job for the slot starting at `slotStart`. */
  payload: (slotStart: Date) => P;
  /** Done runs older than this are purged by housekeeping even before the general retention. */
  keepDoneMs?: number;
}

export interface StartOptions {
  /** How often idle workers look for due jobs (and the periodic slots are checked), in ms. */
  pollMs?: number;
  onError?: (err: unknown) => void;
  /** Workers (jobs at once) per lane in this process; lanes not named get one. */
  concurrency?: Record<string, number>;
}

export type JobRow = Row<'jobs'>;

interface Periodic {
  def: JobDefinition<never>;
  periodMs: number;
  payload: (slotStart: Date) => unknown;
  keepDoneMs: number | undefined;
  /** The dedupe key this process last made sure of (saves a write per tick). */
  ensured: string | null;
}

const laneOf = (def: { lane?: string | undefined }) => def.lane ?? DEFAULT_LANE;

/** The start of the first slot after `now`. */
export function nextSlot(now: Date, periodMs: number): Date {
  return new Date(Math.floor(now.getTime() / periodMs) * periodMs + periodMs);
}

export function createQueue(deps: { db: Db; dialect: Dialect; clock: Clock }) {
  const { db, dialect, clock } = deps;
  const definitions = new Map<string, JobDefinition<never>>();
  const periodic = new Map<string, Periodic>();
  /** Idle workers per lane, woken when this process enqueues a job due now. */
  const sleepers = new Map<string, Set<() => void>>();
  /** Wake-ups per lane so far: a worker woken while it was still claiming claims again instead of sleeping. */
  const pokes = new Map<string, number>();

  const namesIn = (lane: string) => [...definitions.values()].filter((d) => laneOf(d) === lane).map((d) => d.name);

  function wake(lane: string): void {
    pokes.set(lane, (pokes.get(lane) ?? 0) + 1);
    for (const w of [...(sleepers.get(lane) ?? [])]) w();
  }

  /** Jobs ready to run at `nowIso`: queued and due, or running with a lapsed lease (a dead worker's). */
  const ready = (nowIso: string) => (eb: ExpressionBuilder<Database, 'jobs'>) =>
    eb.or([eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', nowIso)]), eb.and([eb('state', '=', 'running'), eb('locked_until', '<', nowIso)])]);

  async function claim(names: string[]): Promise<JobRow | undefined> {
    if (names.length === 0) return undefined;
    const now = clock.now();
    const nowIso = now.toISOString();
    const take = (trx: Db, id: string, name: string) =>
      trx
        .updateTable('jobs')
        .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), locked_until: new Date(now.getTime() + definitions.get(name)!.timeoutMs).toISOString(), updated_at: nowIso }))
        .where('id', '=', id)
        .where(ready(nowIso))
        .returningAll()
        .executeTakeFirst();
    const pick = (trx: Db) => trx.selectFrom('jobs').select(['id', 'name']).where('name', 'in', names).where(ready(nowIso)).orderBy('run_at').limit(1);
    if (dialect === 'postgres') {
      return db.transaction().execute(async (trx) => {
        const found = await pick(trx).forUpdate().skipLocked().executeTakeFirst();
        return found ? take(trx, found.id, found.name) : undefined;
      });
    }
    // SQLite: two autocommitted statements, the update conditional on the job still being ready, so a
    // second process on the same file (serve beside a worker) loses the race cleanly instead of
    // failing to upgrade a read transaction to a write one.
    for (let tries = 0; tries < 5; tries++) {
      const found = await pick(db).executeTakeFirst();
      if (!found) return undefined;
      const row = await take(db, found.id, found.name);
      if (row) return row;
    }
    return undefined;
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

  /** Runs one claimed job to its end (done, retry or failed), with its timeout. */
  async function execute(job: JobRow): Promise<void> {
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
    // A periodic run (whatever its outcome) is followed by the next slot's.
    if (periodic.has(job.name)) await ensurePeriodic(job.name);
  }

  async function enqueue<P>(trx: Db, def: JobDefinition<P>, payload: P, opts: EnqueueOptions = {}): Promise<boolean> {
    const now = clock.now();
    const nowIso = now.toISOString();
    const runAt = opts.runAt ?? now;
    const r = await trx
      .insertInto('jobs')
      .values({ id: uuidv7(), name: def.name, payload: JSON.stringify(payload), state: 'queued', run_at: runAt.toISOString(), max_attempts: def.maxAttempts, dedupe_key: opts.dedupeKey ?? null, created_at: nowIso, updated_at: nowIso })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    const added = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    // Wake only the lane that runs it, and only when it is due (idle workers poll for later ones).
    if (added && runAt.getTime() <= now.getTime()) {
      const lane = laneOf(definitions.get(def.name) ?? def);
      queueMicrotask(() => wake(lane));
      // In the caller's transaction the job is visible only after its commit, which we cannot see:
      // look again shortly after (instead of at the next poll).
      if (trx.isTransaction) for (const ms of [25, 250]) setTimeout(() => wake(lane), ms).unref();
    }
    return added;
  }

  /**
   * Makes sure the next slot's job of every periodic definition (or of the one named) exists;
   * idempotent across processes through the dedupe key. Returns how many jobs it added.
   */
  async function ensurePeriodic(name?: string): Promise<number> {
    let added = 0;
    const now = clock.now();
    for (const p of periodic.values()) {
      if (name !== undefined && p.def.name !== name) continue;
      const slot = nextSlot(now, p.periodMs);
      const key = `${p.def.name}:${slot.toISOString()}`;
      if (p.ensured === key) continue;
      if (await enqueue(db, p.def, p.payload(slot) as never, { runAt: slot, dedupeKey: key })) added++;
      p.ensured = key;
    }
    return added;
  }

  /** Deletes done jobs updated before the cutoff (of one name, or all), a batch at a time; returns how many. */
  async function purgeDone(before: Date, opts: { name?: string; batch?: number } = {}): Promise<number> {
    const cutoff = before.toISOString();
    const batch = opts.batch ?? 1000;
    let total = 0;
    for (;;) {
      // Small batches keep each write transaction short (SQLite has one writer at a time).
      let ids = db.selectFrom('jobs').select('id').where('state', '=', 'done').where('updated_at', '<', cutoff).limit(batch);
      if (opts.name !== undefined) ids = ids.where('name', '=', opts.name);
      const found = (await ids.execute()).map((r) => r.id);
      if (found.length === 0) return total;
      const r = await db.deleteFrom('jobs').where('id', 'in', found).where('state', '=', 'done').executeTakeFirst();
      total += Number(r.numDeletedRows);
      if (found.length < batch) return total;
    }
  }

  function register<P>(def: JobDefinition<P>): void {
    definitions.set(def.name, def as unknown as JobDefinition<never>);
  }

  /**
   * Registers a periodic job: one run per slot of `periodMs`. The runner (each `start()` tick, and
   * after every run of it) makes sure the next slot's job exists; nothing needs to schedule it.
   */
  function every<P>(def: JobDefinition<P>, opts: PeriodicOptions<P>): void {
    if (!(opts.periodMs >= 1000)) throw new Error(`periodic job ${def.name}: periodMs must be at least 1000`);
    register(def);
    periodic.set(def.name, { def: def as unknown as JobDefinition<never>, periodMs: opts.periodMs, payload: opts.payload, keepDoneMs: opts.keepDoneMs, ensured: null });
  }

  return {
    register,
    every,

    /** Adds a job in the caller's transaction; returns false when the dedupe key already exists. */
    enqueue,

    ensurePeriodic,

    /** The lane a job name runs in (undefined when not registered). */
    laneOf(name: string): string | undefined {
      const def = definitions.get(name);
      return def ? laneOf(def) : undefined;
    },

    /** Runs ready jobs of every lane, one after another, until none is left; returns how many ran. Used by tests. */
    async runReady(limit = Number.POSITIVE_INFINITY): Promise<number> {
      let ran = 0;
      const names = [...definitions.keys()];
      while (ran < limit) {
        const job = await claim(names);
        if (!job) break;
        await execute(job);
        ran++;
      }
      return ran;
    },

    /**
     * Runs jobs until stopped: per lane, `concurrency[lane]` workers (default: 2 for `default`, 1 for
     * `bulk` and any other lane), each claiming only that lane's jobs; idle workers wake at once when
     * this process enqueues a due job of their lane, else every `pollMs`. A ticker makes sure the
     * periodic jobs' next slots exist every `pollMs`.
     */
    start(opts: StartOptions = {}): { stop(): Promise<void> } {
      const pollMs = opts.pollMs ?? 1000;
      const concurrency: Record<string, number> = { [DEFAULT_LANE]: 2, [BULK_LANE]: 1, ...opts.concurrency };
      const lanes = new Set([...Object.keys(concurrency), ...[...definitions.values()].map(laneOf)]);
      let stopped = false;
      const mine = new Set<() => void>();
      const report = (err: unknown) => {
        try {
          opts.onError?.(err);
        } catch {
          // a failing logger must not stop the runner
        }
      };
      /** Waits `pollMs`, or less when woken (a job for `lane`, or stop). */
      const idle = (lane: string | null) =>
        new Promise<void>((resolve) => {
          const set = lane === null ? null : (sleepers.get(lane) ?? sleepers.set(lane, new Set()).get(lane)!);
          const done = () => {
            clearTimeout(timer);
            set?.delete(done);
            mine.delete(done);
            resolve();
          };
          const timer = setTimeout(done, pollMs);
          set?.add(done);
          mine.add(done);
        });

      const worker = async (lane: string) => {
        while (!stopped) {
          const poked = pokes.get(lane) ?? 0;
          let job: JobRow | undefined;
          try {
            job = await claim(namesIn(lane));
          } catch (err) {
            report(err);
          }
          if (job) {
            try {
              await execute(job);
            } catch (err) {
              report(err); // the job keeps its lease and runs again when it lapses
            }
            continue;
          }
          if (!stopped && (pokes.get(lane) ?? 0) === poked) await idle(lane);
        }
      };
      const ticker = async () => {
        while (!stopped) {
          try {
            await ensurePeriodic();
          } catch (err) {
            report(err); // database away: the next tick tries again
          }
          if (!stopped) await idle(null);
        }
      };

      const loops: Promise<void>[] = [ticker()];
      for (const lane of lanes) {
        const n = Math.max(1, Math.floor(concurrency[lane] ?? 1));
        for (let i = 0; i < n; i++) loops.push(worker(lane));
      }
      return {
        async stop() {
          stopped = true;
          for (const w of [...mine]) w();
          await Promise.all(loops);
        },
      };
    },

    /**
     * Registers the daily housekeeping job `jobs.purge` (bulk lane): deletes done jobs older than
     * `retentionDays`, and done runs of periodic jobs older than their `keepDoneMs`. Failed jobs stay
     * for operators to look at.
     */
    housekeeping(opts: { retentionDays: number }): JobDefinition<{ day: string }> {
      const job = defineJob<{ day: string }>({
        name: 'jobs.purge',
        lane: BULK_LANE,
        maxAttempts: 3,
        backoffMs: exponentialBackoff(60_000, 15 * 60_000),
        timeoutMs: 30 * 60_000,
        handler: async () => {
          const now = clock.now().getTime();
          await purgeDone(new Date(now - opts.retentionDays * DAY_MS));
          for (const p of periodic.values()) {
            if (p.keepDoneMs !== undefined) await purgeDone(new Date(now - p.keepDoneMs), { name: p.def.name });
          }
        },
      });
      every(job, { periodMs: DAY_MS, payload: (slot) => ({ day: slot.toISOString() }) });
      return job;
    },

    async counts(): Promise<Record<string, number>> {
      const rows = await db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },

    async byDedupeKey(key: string): Promise<JobRow | undefined> {
      return db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
    },

    /** Removes finished jobs older than the cutoff (housekeeping); returns how many. */
    purgeDone,
  };
}

export type Queue = ReturnType<typeof createQueue>;
