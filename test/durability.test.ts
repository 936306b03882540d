import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect.js';
import { reportBody } from './helpers/app.js';
import { startServer } from './helpers/process.js';

/**
 * A report acknowledged with 201 is committed before the reply: kill the server with SIGKILL in the
 * middle of a burst, restart it, and every acknowledged report is there.
 */
describe('durability of acknowledged reports', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged report across a SIGKILL', async () => {
    const env = { TOCSIN_DATA_DIR: dataDir, DATABASE_URL: '' };
    const first = await startServer(env);
    const acknowledged: string[] = [];
    const payload = JSON.stringify(reportBody());
    let stop = false;
    // 16 concurrent clients post until the server dies; the kill lands while requests are in flight.
    const clients = Array.from({ length: 16 }, async () => {
      while (!stop) {
        try {
          const res = await fetch(`${first.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
          if (res.status === 201) acknowledged.push(((await res.json()) as { trackingNumber: string }).trackingNumber);
        } catch {
          // refused or reset by the dying server: not acknowledged, so not counted
          if (stop) break;
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);

    // Restart on the same data folder: it recovers (WAL replay) and serves again.
    const second = await startServer(env);
    const health = await fetch(`${second.url}/api/ready`);
    expect(await health.json()).toEqual({ status: 'ready' });
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    const db = connectDatabase({ url: join(dataDir, 'tocsin.sqlite') });
    const stored = new Set((await db.db.selectFrom('reports').select('tracking_number').execute()).map((r) => r.tracking_number));
    const audited = await db.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'report.create').executeTakeFirstOrThrow();
    await db.close();
    const lost = acknowledged.filter((n) => !stored.has(n));
    expect(lost).toEqual([]);
    expect(Number(audited.n)).toBe(stored.size);
  }, 120_000);
});
