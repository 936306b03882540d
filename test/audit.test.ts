import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect.js';
import { as, buildTestApp, createUser, login, reportBody, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { tocsin } from './helpers/process.js';

describe.each(testDialects())('audit log on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await createUser(t, 'analyst', { username: 'ana' });
    const s = await login(t, 'ana');
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() });
    await as(t, s, { method: 'POST', url: '/api/v1/incidents', payload: { title: 'audited' } });
  });
  afterAll(() => t.close());

  it('chains every change, login and personal-data read', async () => {
    const result = await t.c.audit.verify();
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.entries).toBeGreaterThanOrEqual(8);
    const actions = (await t.c.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'auth.login', 'report.create', 'incident.created']));
  });

  it('detects an edited entry', async () => {
    const row = await t.c.db.selectFrom('audit_log').select(['seq', 'details']).where('seq', '=', 3).executeTakeFirstOrThrow();
    await t.c.db.updateTable('audit_log').set({ details: '{"forged":true}' }).where('seq', '=', 3).execute();
    const bad = await t.c.audit.verify();
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContain('entry 3: content does not match its hash (edited)');
    await t.c.db.updateTable('audit_log').set({ details: row.details }).where('seq', '=', 3).execute();
    expect((await t.c.audit.verify()).ok).toBe(true);
  });

  it('detects deleted entries in the middle and at the end', async () => {
    const all = await t.c.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const middle = all[4]!;
    await t.c.db.deleteFrom('audit_log').where('seq', '=', middle.seq).execute();
    const r1 = await t.c.audit.verify();
    expect(r1.ok).toBe(false);
    expect(r1.problems.join('\n')).toMatch(/entry 5 missing/);
    await t.c.db.insertInto('audit_log').values(middle).execute();

    const last = all[all.length - 1]!;
    await t.c.db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
    const r2 = await t.c.audit.verify();
    expect(r2.ok).toBe(false);
    expect(r2.problems.join('\n')).toMatch(/deleted at the end/);
    await t.c.db.insertInto('audit_log').values(last).execute();
    expect((await t.c.audit.verify()).ok).toBe(true);
  });

  it('is readable by auditors, not by analysts', async () => {
    await createUser(t, 'auditor', { username: 'aud' });
    const aud = await login(t, 'aud');
    expect((await as(t, aud, { url: '/api/v1/audit?limit=5' })).json<unknown[]>()).toHaveLength(5);
    expect((await as(t, await login(t, 'ana'), { url: '/api/v1/audit' })).statusCode).toBe(403);
  });
});

describe('tocsin CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-cli-'));
  const env = { TOCSIN_DATA_DIR: dataDir, DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, adds users, resets MFA and verifies the audit chain (exit 1 when tampered)', async () => {
    expect((await tocsin(['migrate'], env)).stdout).toMatch(/Applied: 20261127_001_foundation/);
    expect((await tocsin(['migrate'], env)).stdout).toMatch(/up to date/);
    const add = await tocsin(['user', 'add', '--username', 'alice', '--role', 'coordinator', '--name', 'Alice Chen'], env, 'a long enough password\n');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/Created coordinator alice/);
    const weak = await tocsin(['user', 'add', '--username', 'bob', '--role', 'analyst'], env, 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/weak_password/);
    expect((await tocsin(['user', 'reset-mfa', '--username', 'alice'], env)).code).toBe(0);
    expect((await tocsin(['user', 'add', '--help'], env)).stdout).toMatch(/--username/);

    const ok = await tocsin(['audit', 'verify'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit log intact: 2 entries/);
    const db = connectDatabase({ url: join(dataDir, 'tocsin.sqlite') });
    await db.db.updateTable('audit_log').set({ actor_label: 'someone-else' }).where('seq', '=', 1).execute();
    await db.close();
    const bad = await tocsin(['audit', 'verify'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/TAMPERED/);
  }, 120_000);

  it('stops with one clear message on invalid configuration', async () => {
    const r = await tocsin(['migrate'], { ...env, TOCSIN_PORT: 'eighty', TOCSIN_TIME_ZONE: 'Mars/Olympus' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Invalid configuration:[\s\S]*TOCSIN_PORT[\s\S]*TOCSIN_TIME_ZONE/);
  });
});
