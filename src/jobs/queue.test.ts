import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../../test/helpers/app.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/db.js';
import { createQueue, defineJob, exponentialBackoff } from './queue.js';

describe.each(testDialects())('durable job queue on %s', (dialect) => {
  let tdb: TestDatabase;
  const clock = new TestClock();
  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
  });
  afterAll(() => tdb.dispose());

  it('runs a job enqueued in a committed transaction, and none from a rolled-back one', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const seen: string[] = [];
    const job = defineJob<{ text: string }>({ name: 'test.echo', maxAttempts: 3, backoffMs: exponentialBackoff(1000, 60_000), timeoutMs: 5000, handler: async (p) => void seen.push(p.text) });
    queue.register(job);
    await tdb.handle.db.transaction().execute((trx) => queue.enqueue(trx, job, { text: 'committed' }));
    await expect(
      tdb.handle.db.transaction().execute(async (trx) => {
        await queue.enqueue(trx, job, { text: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await queue.runReady()).toBe(1);
    expect(seen).toEqual(['committed']);
    expect((await queue.counts()).done).toBe(1);
  });

  it('retries with backoff, then fails with the reason', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    let calls = 0;
    const job = defineJob<Record<string, never>>({ name: 'test.flaky', maxAttempts: 2, backoffMs: () => 60_000, timeoutMs: 5000, handler: async () => {
      calls++;
      throw new Error(`relay refused (${calls})`);
    } });
    queue.register(job);
    await queue.enqueue(tdb.handle.db, job, {}, { dedupeKey: 'flaky-1' });
    expect(await queue.runReady()).toBe(1);
    expect(await queue.runReady()).toBe(0); // waiting for its backoff
    clock.advance(61_000);
    expect(await queue.runReady()).toBe(1);
    const row = await queue.byDedupeKey('flaky-1');
    expect(row).toMatchObject({ state: 'failed', attempts: 2, last_error: 'relay refused (2)' });
  });

  it('enqueues a dedupe key once, and re-runs a job whose worker died', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    let runs = 0;
    const job = defineJob<Record<string, never>>({ name: 'test.once', maxAttempts: 5, backoffMs: () => 1000, timeoutMs: 10_000, handler: async () => void runs++ });
    queue.register(job);
    expect(await queue.enqueue(tdb.handle.db, job, {}, { dedupeKey: 'notice-42' })).toBe(true);
    expect(await queue.enqueue(tdb.handle.db, job, {}, { dedupeKey: 'notice-42' })).toBe(false);
    // Simulate a worker that claimed the job and died: running, with an expired lease.
    await tdb.handle.db.updateTable('jobs').set({ state: 'running', locked_until: new Date(clock.now().getTime() - 1).toISOString() }).where('dedupe_key', '=', 'notice-42').execute();
    expect(await queue.runReady()).toBe(1);
    expect(runs).toBe(1);
    expect((await queue.byDedupeKey('notice-42'))!.state).toBe('done');
  });

  it('times out a handler that hangs', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const job = defineJob<Record<string, never>>({ name: 'test.hang', maxAttempts: 1, backoffMs: () => 0, timeoutMs: 50, handler: () => new Promise(() => undefined) });
    queue.register(job);
    await queue.enqueue(tdb.handle.db, job, {}, { dedupeKey: 'hang' });
    await queue.runReady();
    expect(await queue.byDedupeKey('hang')).toMatchObject({ state: 'failed', last_error: 'timed out after 50 ms' });
  });

  it('wakes a running worker when a job is enqueued', async () => {
    const queue = createQueue({ db: tdb.handle.db, dialect, clock });
    const done = new Promise<string>((resolve) => {
      queue.register(defineJob<{ v: string }>({ name: 'test.wake', maxAttempts: 1, backoffMs: () => 0, timeoutMs: 5000, handler: async (p) => resolve(p.v) }));
    });
    const worker = queue.start({ pollMs: 60_000 });
    await queue.enqueue(tdb.handle.db, { name: 'test.wake', maxAttempts: 1, backoffMs: () => 0, timeoutMs: 5000, handler: async () => undefined }, { v: 'woken' });
    expect(await done).toBe('woken');
    await worker.stop();
  });
});
