import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';

const ROOT = resolve(import.meta.dirname, '..');
const HOSTS = 3000;

/** Every host twice (two sightings each, same day): a third in each constituent's half of 100.64.0.0/16, a third unowned. */
function bigFile(): string {
  const lines = [SCAN_HTTP_HEADER];
  for (const hour of ['01', '02']) {
    for (let i = 0; i < HOSTS; i++) {
      const ip = i % 3 === 0 ? `203.0.${(i >> 8) & 255}.${i & 255}` : `100.64.${(i % 3 === 1 ? 0 : 128) + ((i >> 8) & 127)}.${i & 255}`;
      lines.push(scanHttpRow(`2026-11-20 ${hour}:00:00`, ip));
    }
  }
  return lines.join('\n');
}

describe.each(testDialects())('feed import killed with SIGKILL half way (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let feed = '';

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    t.clock.set('2026-11-20T12:00:00.000Z');
    admin = await login(t, (await createUser(t, 'admin')).username);
    const contact = { name: 'NOC', role: 'security', email: 'noc@cgnat.example.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'RED', eventTypes: [] };
    for (const [name, block] of [['甲電信', '100.64.0.0/17'], ['乙電信', '100.64.128.0/17']] as const) {
      const r = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name, sector: 'isp', netblocks: [block], contacts: [contact] } });
      expect(r.statusCode, r.body).toBe(201);
    }
    feed = (await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' } })).json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  const count = async (table: 'events' | 'notices' | 'mail_outbox') => Number((await t.c.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('yields no duplicate events, sightings or notices when run again', async () => {
    const res = await upload(t, admin, feed, '2026-11-20-scan_http-taiwan-geo.csv', bigFile());
    expect(res.statusCode, res.body).toBe(202);
    const importId = res.json<{ id: string }>().id;

    const child = spawn(process.execPath, ['--import', 'tsx', 'test/feeds.kill-child.ts'], {
      cwd: ROOT,
      env: { ...process.env, KILL_DB_URL: t.db.url, KILL_DB_SCHEMA: t.db.schema ?? '', KILL_DATA_DIR: t.db.dataDir, KILL_IMPORT_ID: importId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    // Kill once some, but not all, events are stored.
    let stored = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null) {
      stored = await count('events');
      if (stored > 0) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGKILL');
    expect(await exited, output).toBe('SIGKILL');
    stored = await count('events');
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(HOSTS);
    expect(await count('notices')).toBe(0);

    // The job (never claimed by the killed run) runs the import again, from the start.
    while ((await t.c.queue.runReady()) > 0);
    const imp = (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${feed}/imports` })).json<{ items: { id: string; status: string; events: number; matched: number; notices: number }[] }>().items[0]!;
    expect(imp).toMatchObject({ id: importId, status: 'done', events: HOSTS, matched: HOSTS - HOSTS / 3, notices: 2 });
    expect(await count('events')).toBe(HOSTS);
    const sightings = await t.c.db.selectFrom('events').select('sightings').distinct().execute();
    expect(sightings.map((s) => Number(s.sightings))).toEqual([2]);
    expect(await count('notices')).toBe(2);
    expect(await count('mail_outbox')).toBe(2);

    // A crash after the last write but before the job was marked done: running it again changes nothing.
    await t.c.db.updateTable('feed_imports').set({ status: 'running' }).where('id', '=', importId).execute();
    await t.c.feedImports.runImport(importId);
    expect(await count('events')).toBe(HOSTS);
    expect((await t.c.db.selectFrom('events').select('sightings').distinct().execute()).map((s) => Number(s.sightings))).toEqual([2]);
    expect(await count('notices')).toBe(2);
    expect(await count('mail_outbox')).toBe(2);
  }, 120_000);
});
