import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect.js';
import { reportBody } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { startServer } from './helpers/process.js';

/**
 * A report acknowledged with 201 is committed before the reply: kill the server with SIGKILL in the
 * middle of a burst, restart it, and every acknowledged report is there.
 */
describe.each(testDialects())('durability of acknowledged reports on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-kill-'));
  const schema = `kill_${process.pid}_${Date.now()}`;
  const pgUrl = process.env.TOCSIN_TEST_PG_URL ?? '';
  const databaseUrl = dialect === 'postgres' ? `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` : '';
  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(query);
    await c.end();
  };
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await admin(`drop schema if exists ${schema} cascade`);
  });

  it('keeps every acknowledged report across a SIGKILL', async () => {
    if (dialect === 'postgres') await admin(`create schema ${schema}`);
    const env = { TOCSIN_DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
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

    const db = connectDatabase({ url: dialect === 'postgres' ? databaseUrl : join(dataDir, 'tocsin.sqlite') });
    const stored = new Set((await db.db.selectFrom('reports').select('tracking_number').execute()).map((r) => r.tracking_number));
    const audited = await db.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'report.create').executeTakeFirstOrThrow();
    await db.close();
    const lost = acknowledged.filter((n) => !stored.has(n));
    expect(lost).toEqual([]);
    expect(Number(audited.n)).toBe(stored.size);
  }, 120_000);
});
