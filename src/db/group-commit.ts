import type { Db } from './database.js';

/**
 * Group commit: writes that arrive while a transaction is being committed wait and are then
 * committed together in the next transaction. Every caller still gets its answer only after its
 * own data is durable, but a burst of N writes costs one commit (one fsync, one lock of the audit
 * head) instead of N. If a batch fails, its items are retried one by one, so one bad write never
 * fails its neighbours.
 */
export function createGroupCommitter<T, R>(db: Db, work: (trx: Db, item: T) => Promise<R>, maxBatch = 128) {
  interface Pending {
    item: T;
    resolve: (r: R) => void;
    reject: (e: unknown) => void;
  }
  let queue: Pending[] = [];
  let running = false;

  async function runBatch(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const p = batch[0]!;
      await db.transaction().execute((trx) => work(trx, p.item)).then(p.resolve, p.reject);
      return;
    }
    try {
      const results = await db.transaction().execute(async (trx) => {
        const out: R[] = [];
        for (const p of batch) out.push(await work(trx, p.item));
        return out;
      });
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch {
      for (const p of batch) await db.transaction().execute((trx) => work(trx, p.item)).then(p.resolve, p.reject);
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await runBatch(batch);
      }
    } finally {
      running = false;
    }
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
