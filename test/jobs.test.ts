import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { connectDatabase, type DatabaseHandle } from '../src/db/connect.js';
import { BULK_LANE, createQueue, defineJob, nextSlot, type JobDefinition, type Queue } from '../src/jobs/queue.js';
import { ANALYSIS_LANE } from '../src/modules/malware/analysis-runner.js';
import { TestClock, buildTestApp } from './helpers/app.js';
import { createTestDatabase, testDialects, type TestDatabase } from './helpers/db.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A promise with its resolver, to wait for events instead of time. */
function signal<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const job = <P>(name: string, handler: JobDefinition<P>['handler'], extra: Partial<JobDefinition<P>> = {}): JobDefinition<P> =>
  defineJob<P>({ name, maxAttempts: 1, backoffMs: () => 1000, timeoutMs: 30_000, handler, ...extra });

describe('job runner settings', () => {
  it('defaults to two default-lane workers, one bulk worker and 14 days of done jobs', () => {
    expect(loadConfig({}).jobs).toEqual({ concurrency: 2, bulkConcurrency: 1, retentionDays: 14 });
    expect(loadConfig({ TOCSIN_JOB_CONCURRENCY: '4', TOCSIN_JOB_BULK_CONCURRENCY: '2', TOCSIN_JOB_RETENTION_DAYS: '30' }).jobs).toEqual({ concurrency: 4, bulkConcurrency: 2, retentionDays: 30 });
  });
  it('refuses no workers and no retention, naming the setting', () => {
    expect(() => loadConfig({ TOCSIN_JOB_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ TOCSIN_JOB_CONCURRENCY: '0', TOCSIN_JOB_BULK_CONCURRENCY: 'two', TOCSIN_JOB_RETENTION_DAYS: '0' })).toThrow(/TOCSIN_JOB_CONCURRENCY[\s\S]*TOCSIN_JOB_BULK_CONCURRENCY[\s\S]*TOCSIN_JOB_RETENTION_DAYS/);
  });
});

describe.each(testDialects())('job lanes, periodic jobs and housekeeping on %s', (dialect) => {
  let tdb: TestDatabase;
  let seq = 0;
  /** A name of its own per test, so tests sharing the database never claim each other's jobs. */
  const fresh = (base: string) => `${base}.${++seq}`;
  const rows = (name: string) => tdb.handle.db.selectFrom('jobs').select(['dedupe_key', 'state', 'run_at', 'attempts']).where('name', '=', name).orderBy('run_at').execute();

  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
  });
  afterAll(() => tdb.dispose());

  it('the real job definitions: feed imports and polls in the bulk lane, analyses in their own, mail and the sweep in the default lane', async () => {
    const t = await buildTestApp(dialect);
    try {
      expect(['feeds.import', 'feeds.poll'].map((n) => t.c.queue.laneOf(n))).toEqual([BULK_LANE, BULK_LANE]);
      expect(['mail.send', 'notices.sweep'].map((n) => t.c.queue.laneOf(n) ?? `${n} not registered`)).toEqual(['default', 'default']);
      expect(t.c.queue.laneOf('malware.analyse')).toBe(ANALYSIS_LANE);
    } finally {
      await t.close();
    }
  });

  it('a long bulk job does not hold up a default-lane job enqueued after it', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock: new TestClock() });
    const bulkStarted = signal();
    const releaseBulk = signal();
    const mailRan = signal<string>();
    const bulk = job<Record<string, never>>(fresh('test.import'), async () => {
      bulkStarted.resolve();
      await releaseBulk.promise;
    }, { lane: BULK_LANE });
    const mail = job<{ to: string }>(fresh('test.mail'), async (p) => mailRan.resolve(p.to));
    queue.register(bulk);
    queue.register(mail);
    // Long polls: only the wake-up on enqueue can start these jobs in time.
    const runner = queue.start({ pollMs: 60_000, concurrency: { default: 1, bulk: 1 } });
    try {
      await queue.enqueue(tdb.handle.db, bulk, {}, { dedupeKey: `${bulk.name}:1` });
      await bulkStarted.promise;
      await queue.enqueue(tdb.handle.db, mail, { to: 'owner@example.net' }, { dedupeKey: `${mail.name}:1` });
      expect(await mailRan.promise).toBe('owner@example.net');
      // The mail job finished while the import is still running.
      await expect.poll(async () => (await queue.byDedupeKey(`${mail.name}:1`))?.state).toBe('done');
      expect((await queue.byDedupeKey(`${bulk.name}:1`))?.state).toBe('running');
    } finally {
      releaseBulk.resolve();
      await runner.stop();
    }
    expect((await queue.byDedupeKey(`${bulk.name}:1`))?.state).toBe('done');
  });

  it('runs at most the configured number of jobs of a lane at once', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock: new TestClock() });
    let running = 0;
    let most = 0;
    const gates: (() => void)[] = [];
    const twoRunning = signal();
    const allDone = signal();
    let finished = 0;
    const slow = job<{ n: number }>(fresh('test.slow'), async () => {
      running++;
      most = Math.max(most, running);
      if (running === 2) twoRunning.resolve();
      await new Promise<void>((r) => gates.push(r));
      running--;
      if (++finished === 5) allDone.resolve();
    });
    queue.register(slow);
    for (let n = 0; n < 5; n++) await queue.enqueue(tdb.handle.db, slow, { n });
    const runner = queue.start({ pollMs: 5, concurrency: { default: 2 } });
    try {
      await twoRunning.promise;
      // Idle polls every 5 ms: a third worker, if there were one, would have claimed a job by now.
      await new Promise((r) => setTimeout(r, 100));
      expect(running).toBe(2);
      expect((await rows(slow.name)).filter((r) => r.state === 'running')).toHaveLength(2);
      // Each finished job lets the next one start, never more than two at a time.
      while (finished < 5) {
        await expect.poll(() => gates.length, { interval: 2 }).toBeGreaterThan(0);
        gates.shift()!();
        await new Promise((r) => setImmediate(r));
      }
      await allDone.promise;
    } finally {
      gates.forEach((g) => g());
      await runner.stop();
    }
    expect(most).toBe(2);
    expect((await rows(slow.name)).map((r) => r.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });

  it('a periodic job goes on after a run failed for good: the next slot is queued all the same', async () => {
    const clock = new TestClock();
    clock.set('2026-11-20T10:00:30.000Z');
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    let failing = true;
    const ran = new Map<string, { promise: Promise<void>; resolve: () => void }>();
    const ranFor = (slot: string) => ran.get(slot) ?? ran.set(slot, signal()).get(slot)!;
    const sweep = job<{ hour: string }>(fresh('test.sweep'), async (p) => {
      ranFor(p.hour).resolve();
      if (failing) throw new Error('database unavailable');
    }, { maxAttempts: 2, backoffMs: () => 60_000 });
    queue.every(sweep, { periodMs: HOUR, payload: (slot) => ({ hour: slot.toISOString() }) });
    const runner = queue.start({ pollMs: 5 });
    try {
      // The runner queues the next slot by itself.
      await expect.poll(async () => (await queue.byDedupeKey(`${sweep.name}:2026-11-20T11:00:00.000Z`))?.state).toBe('queued');
      clock.set('2026-11-20T11:00:00.000Z');
      await ranFor('2026-11-20T11:00:00.000Z').promise;
      await expect.poll(async () => await queue.byDedupeKey(`${sweep.name}:2026-11-20T11:00:00.000Z`)).toMatchObject({ state: 'queued', attempts: 1 });
      clock.advance(61_000); // past the backoff: the second and last attempt fails too
      await expect.poll(async () => (await queue.byDedupeKey(`${sweep.name}:2026-11-20T11:00:00.000Z`))?.state).toBe('failed');
      // The chain did not stop: the 12:00 run exists and runs (successfully now).
      await expect.poll(async () => (await queue.byDedupeKey(`${sweep.name}:2026-11-20T12:00:00.000Z`))?.state).toBe('queued');
      failing = false;
      clock.set('2026-11-20T12:00:00.000Z');
      await ranFor('2026-11-20T12:00:00.000Z').promise;
      await expect.poll(async () => (await queue.byDedupeKey(`${sweep.name}:2026-11-20T12:00:00.000Z`))?.state).toBe('done');
      await expect.poll(async () => (await queue.byDedupeKey(`${sweep.name}:2026-11-20T13:00:00.000Z`))?.state).toBe('queued');
    } finally {
      await runner.stop();
    }
    expect((await queue.byDedupeKey(`${sweep.name}:2026-11-20T11:00:00.000Z`))).toMatchObject({ state: 'failed', attempts: 2, last_error: 'database unavailable' });
  });

  it('a runner that was down does not replay missed slots: one run, then the next slot', async () => {
    const clock = new TestClock();
    clock.set('2026-11-20T10:00:30.000Z');
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const slots: string[] = [];
    const poll = job<{ slot: string }>(fresh('test.poll'), async (p) => void slots.push(p.slot));
    queue.every(poll, { periodMs: 60_000, payload: (slot) => ({ slot: slot.toISOString() }) });
    expect(await queue.ensurePeriodic()).toBe(1);
    expect(await queue.ensurePeriodic()).toBe(0);
    clock.set('2026-11-20T13:07:10.000Z'); // three hours without a runner
    expect(await queue.runReady()).toBe(1);
    expect(slots).toEqual(['2026-11-20T10:01:00.000Z']);
    expect((await rows(poll.name)).map((r) => [r.dedupe_key, r.state])).toEqual([
      [`${poll.name}:2026-11-20T10:01:00.000Z`, 'done'],
      [`${poll.name}:2026-11-20T13:08:00.000Z`, 'queued'],
    ]);
  });

  describe('two processes on the same database', () => {
    let other: DatabaseHandle;
    beforeAll(() => {
      // A second connection (pool), as a second `tocsin worker` or `serve` process would have.
      other = dialect === 'postgres' ? connectDatabase({ url: tdb.url, schema: tdb.schema!, poolSize: 3 }) : connectDatabase({ url: tdb.url, sqliteSynchronous: 'NORMAL' });
    });
    afterAll(() => other.close());

    it('schedule each slot once and run it once', async () => {
      const clock = new TestClock();
      clock.set('2026-11-20T10:59:59.000Z');
      const name = fresh('test.hourly');
      const runs: string[] = [];
      const make = (db: DatabaseHandle, who: string): Queue => {
        const q = createQueue({ db: db.db, dialect, clock });
        q.every(job<{ hour: string }>(name, async (p) => void runs.push(`${who} ${p.hour}`)), { periodMs: HOUR, payload: (slot) => ({ hour: slot.toISOString() }) });
        return q;
      };
      const a = make(tdb.handle, 'a');
      const b = make(other, 'b');
      // Both start at the same moment.
      const added = await Promise.all([a.ensurePeriodic(), b.ensurePeriodic(), a.ensurePeriodic(), b.ensurePeriodic()]);
      expect(added.reduce((x, y) => x + y, 0)).toBe(1);
      expect((await rows(name)).map((r) => r.dedupe_key)).toEqual([`${name}:2026-11-20T11:00:00.000Z`]);

      // Both runners tick and poll every few ms; the slot comes; it runs once, and the next is queued once.
      const ra = a.start({ pollMs: 3 });
      const rb = b.start({ pollMs: 3 });
      try {
        clock.set('2026-11-20T11:00:00.000Z');
        await expect.poll(() => runs.length).toBe(1);
        await expect.poll(async () => (await rows(name)).map((r) => [r.dedupe_key, r.state])).toEqual([
          [`${name}:2026-11-20T11:00:00.000Z`, 'done'],
          [`${name}:2026-11-20T12:00:00.000Z`, 'queued'],
        ]);
        // A few more ticks of both change nothing.
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        await Promise.all([ra.stop(), rb.stop()]);
      }
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatch(/^[ab] 2026-11-20T11:00:00\.000Z$/);
      expect(await rows(name)).toHaveLength(2);
    });

    it('share the ready jobs: each of many jobs runs exactly once', async () => {
      const clock = new TestClock();
      const name = fresh('test.shared');
      const seen: number[] = [];
      const make = (db: DatabaseHandle): Queue => {
        const q = createQueue({ db: db.db, dialect, clock });
        q.register(job<{ n: number }>(name, async (p) => void seen.push(p.n)));
        return q;
      };
      const a = make(tdb.handle);
      const b = make(other);
      const def = job<{ n: number }>(name, async () => undefined);
      for (let n = 0; n < 40; n++) await a.enqueue(tdb.handle.db, def, { n });
      const errors: unknown[] = [];
      const ra = a.start({ pollMs: 3, onError: (e) => errors.push(e) });
      const rb = b.start({ pollMs: 3, onError: (e) => errors.push(e) });
      try {
        await expect.poll(() => seen.length).toBe(40);
      } finally {
        await Promise.all([ra.stop(), rb.stop()]);
      }
      expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, n) => n));
      expect(errors).toEqual([]);
    });
  });

  it('housekeeping deletes done jobs past the retention (and periodic runs past their own), keeps failed and recent ones', async () => {
    const clock = new TestClock();
    clock.set('2026-11-20T00:00:10.000Z');
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const name = fresh('test.old');
    const minutely = fresh('test.minutely');
    const ok = job<{ n: number }>(name, async () => undefined);
    const bad = job<{ n: number }>(`${name}.bad`, async () => {
      throw new Error('relay refused');
    });
    const tick = job<{ slot: string }>(minutely, async () => undefined);
    queue.register(ok);
    queue.register(bad);
    queue.every(tick, { periodMs: 60_000, payload: (slot) => ({ slot: slot.toISOString() }), keepDoneMs: DAY });
    const purge = queue.housekeeping({ retentionDays: 14 });
    expect(queue.laneOf(purge.name)).toBe(BULK_LANE);
    // 20 days ago: two done, one failed, one still queued (its time has not come).
    clock.set('2026-10-31T12:00:00.000Z');
    await queue.enqueue(tdb.handle.db, ok, { n: 1 }, { dedupeKey: `${name}:old-1` });
    await queue.enqueue(tdb.handle.db, ok, { n: 2 }, { dedupeKey: `${name}:old-2` });
    await queue.enqueue(tdb.handle.db, bad, { n: 3 }, { dedupeKey: `${name}:old-failed` });
    await queue.enqueue(tdb.handle.db, ok, { n: 4 }, { dedupeKey: `${name}:later`, runAt: new Date('2026-12-01T00:00:00.000Z') });
    const before = await queue.runReady();
    expect(before).toBe(3);
    // 10 days ago: done, within the retention.
    clock.set('2026-11-10T12:00:00.000Z');
    await queue.enqueue(tdb.handle.db, ok, { n: 5 }, { dedupeKey: `${name}:recent` });
    expect(await queue.runReady()).toBe(1);
    // The minutely job (a day of done runs kept): one run two days ago, one 23 hours before the purge.
    clock.set('2026-11-18T23:00:00.000Z');
    expect(await queue.ensurePeriodic(minutely)).toBe(1);
    clock.set('2026-11-18T23:01:00.000Z');
    expect(await queue.runReady()).toBe(1);
    clock.set('2026-11-20T01:00:00.000Z');
    expect(await queue.runReady()).toBe(1); // the 23:02 slot, late (no runner ticked meanwhile)

    // The housekeeping run is a periodic job at midnight UTC.
    await queue.ensurePeriodic();
    expect((await queue.byDedupeKey('jobs.purge:2026-11-21T00:00:00.000Z'))?.state).toBe('queued');
    clock.set('2026-11-21T00:00:00.000Z');
    expect(await queue.runReady()).toBe(2); // the minutely 01:01 slot, then the purge

    const left = await tdb.handle.db.selectFrom('jobs').select(['dedupe_key', 'state']).where('name', 'in', [name, bad.name, minutely]).execute();
    expect(left.map((r) => `${r.dedupe_key} ${r.state}`).sort()).toEqual([
      `${name}:later queued`,
      `${name}:old-failed failed`,
      `${name}:recent done`,
      `${minutely}:2026-11-18T23:02:00.000Z done`, // done at 01:00 yesterday, within its day
      `${minutely}:2026-11-20T01:01:00.000Z done`,
      `${minutely}:2026-11-21T00:01:00.000Z queued`,
    ].sort());
    expect((await queue.byDedupeKey('jobs.purge:2026-11-21T00:00:00.000Z'))?.state).toBe('done');
    expect((await queue.byDedupeKey('jobs.purge:2026-11-22T00:00:00.000Z'))?.state).toBe('queued');
  });

  it('purges in batches until nothing old is left', async () => {
    const clock = new TestClock();
    clock.set('2026-01-01T00:00:00.000Z');
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const name = fresh('test.many');
    const def = job<{ n: number }>(name, async () => undefined);
    queue.register(def);
    for (let n = 0; n < 25; n++) await queue.enqueue(tdb.handle.db, def, { n });
    expect(await queue.runReady()).toBe(25);
    expect(await queue.purgeDone(new Date('2026-01-02T00:00:00.000Z'), { name, batch: 7 })).toBe(25);
    expect(await rows(name)).toEqual([]);
  });

  it('nextSlot is the start of the following period in UTC', () => {
    expect(nextSlot(new Date('2026-11-20T10:00:00.000Z'), HOUR).toISOString()).toBe('2026-11-20T11:00:00.000Z');
    expect(nextSlot(new Date('2026-11-20T10:59:59.999Z'), HOUR).toISOString()).toBe('2026-11-20T11:00:00.000Z');
    expect(nextSlot(new Date('2026-11-20T10:59:59.999Z'), DAY).toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });
});
