import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, PASSWORD, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const codeAt = (secret: string, t: TestApp, offsetS = 0) => generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + offsetS });

describe.each(testDialects())('accounts and access on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(() => t.close());

  it('creates the first administrator only with the one-time setup token', async () => {
    expect((await t.app.inject({ url: '/api/v1/setup/status' })).json()).toEqual({ needed: true });
    const token = await t.c.auth.issueSetupToken();
    expect(token).toBeTruthy();
    const body = { username: 'root', displayName: 'First Admin', password: PASSWORD };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token: 'wrong-token-000000' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token: token!, password: 'short' } })).statusCode).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, token: token! } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ role: 'admin', username: 'root' });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...body, username: 'again', token: token! } })).statusCode).toBe(409);
    expect(await t.c.auth.issueSetupToken()).toBeNull();
  });

  it('signs in with a password into an HttpOnly, SameSite session and signs out', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const raw = String(res.headers['set-cookie']);
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Strict/);
    expect(raw).not.toMatch(/Secure/); // plain HTTP in tests; Secure under TLS
    const s = await login(t, 'root');
    expect((await as(t, s, { url: '/api/v1/auth/session' })).json()).toMatchObject({ user: { username: 'root', role: 'admin' } });
    expect((await as(t, s, { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await as(t, s, { url: '/api/v1/auth/session' })).statusCode).toBe(401);
    const stored = await t.c.db.selectFrom('users').select('password_hash').where('username', '=', 'root').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const s = await login(t, 'root');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie: s.cookie }, payload: { title: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: { title: 'x' } });
    expect(wrong.statusCode).toBe(403);
    expect((await as(t, s, { method: 'POST', url: '/api/v1/incidents', payload: { title: 'x' } })).statusCode).toBe(201);
  });

  it('locks an account after repeated failures, with a clear message', async () => {
    await createUser(t, 'analyst', { username: 'victim' });
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: 'guess-guess-guess' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'accept-language': 'en' }, payload: { username: 'victim', password: PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'account_locked', message: expect.stringContaining('15 minutes') });
    expect(locked.headers['retry-after']).toBe('900');
    t.clock.advance(16 * 60_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: PASSWORD } })).statusCode).toBe(200);
    const failures = await t.c.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login_failed').execute();
    expect(failures.length).toBeGreaterThanOrEqual(5);
  });

  it('throttles sign-in attempts per client address', async () => {
    let last = 0;
    for (let i = 0; i < 32; i++) {
      last = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.99', payload: { username: `nobody${i}`, password: 'x' } })).statusCode;
    }
    expect(last).toBe(429);
    // Other addresses are unaffected.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.100', payload: { username: 'root', password: PASSWORD } })).statusCode).toBe(200);
  });

  it('enrols TOTP with recovery codes, requires the code, refuses replays', async () => {
    await createUser(t, 'coordinator', { username: 'mfa-user' });
    const s = await login(t, 'mfa-user');
    const setup = (await as(t, s, { method: 'POST', url: '/api/v1/auth/mfa/setup' })).json<{ secret: string; otpauthUrl: string; qrSvg: string }>();
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.qrSvg).toMatch(/^<svg/);
    expect((await as(t, s, { method: 'POST', url: '/api/v1/auth/mfa/confirm', payload: { code: '000000' } })).statusCode).toBe(400);
    const confirm = await as(t, s, { method: 'POST', url: '/api/v1/auth/mfa/confirm', payload: { code: codeAt(setup.secret, t) } });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);

    const noCode = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD } });
    expect(noCode.json()).toMatchObject({ error: { code: 'mfa_required' } });
    t.clock.advance(60_000);
    const code = codeAt(setup.secret, t);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD, totp: code } })).statusCode).toBe(200);
    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD, totp: code } });
    expect(replay.json()).toMatchObject({ error: { code: 'mfa_invalid' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD, recoveryCode: recoveryCodes[0] } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD, recoveryCode: recoveryCodes[0] } })).statusCode).toBe(401);

    // An administrator can reset it (CLI `tocsin user reset-mfa`).
    await t.c.auth.resetMfa({ kind: 'system', component: 'test' }, 'mfa-user');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'mfa-user', password: PASSWORD } })).statusCode).toBe(200);
  });

  it('makes staff without MFA enrol first when an administrator requires it', async () => {
    const admin = await login(t, 'root');
    expect((await as(t, admin, { method: 'PUT', url: '/api/v1/settings', payload: { requireMfa: true } })).statusCode).toBe(200);
    await createUser(t, 'analyst', { username: 'no-mfa' });
    const s = await login(t, 'no-mfa');
    expect((await as(t, s, { url: '/api/v1/auth/session' })).json()).toMatchObject({ user: { mfaRequired: true } });
    const blocked = await as(t, s, { url: '/api/v1/incidents' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'mfa_enrolment_required' } });
    const setup = (await as(t, s, { method: 'POST', url: '/api/v1/auth/mfa/setup' })).json<{ secret: string }>();
    expect((await as(t, s, { method: 'POST', url: '/api/v1/auth/mfa/confirm', payload: { code: codeAt(setup.secret, t) } })).statusCode).toBe(200);
    expect((await as(t, s, { url: '/api/v1/incidents' })).statusCode).toBe(200);
    // The administrator without MFA is now held at enrolment too.
    expect((await as(t, admin, { method: 'PUT', url: '/api/v1/settings', payload: { requireMfa: false } })).statusCode).toBe(403);
    await t.c.settings.update({ kind: 'system', component: 'test' }, { requireMfa: false });
  });

  it('issues scoped, expiring API tokens shown once and stored hashed', async () => {
    await createUser(t, 'analyst', { username: 'script' });
    const s = await login(t, 'script');
    const created = await as(t, s, { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'ISAC feed', scopes: ['reports:write'], expiresInDays: 1 } });
    expect(created.statusCode, created.body).toBe(201);
    const { token, record } = created.json<{ token: string; record: { id: string } }>();
    const rows = await t.c.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(JSON.stringify(await as(t, s, { url: '/api/v1/auth/tokens' }))).not.toContain(token);

    const bearer = { authorization: `Bearer ${token}` };
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer, payload: { channel: 'api', category: 'malware', description: 'C2 seen by ISAC sensor', assets: ['192.0.2.55'] } });
    expect(filed.statusCode).toBe(201);
    expect((await t.app.inject({ url: '/api/v1/incidents', headers: bearer })).json()).toMatchObject({ error: { code: 'token_scope' } });
    // Tokens cannot mint tokens or manage MFA.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: bearer, payload: { name: 'x', scopes: ['reports:write'], expiresInDays: 1 } })).statusCode).toBe(403);

    t.clock.advance(25 * 3600_000);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer, payload: { channel: 'api', category: 'malware', description: 'late' } })).statusCode).toBe(401);
    const s2 = await login(t, 'script');
    const second = (await as(t, s2, { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'again', scopes: ['reports:write'], expiresInDays: 30 } })).json<{ token: string; record: { id: string } }>();
    expect((await as(t, s2, { method: 'DELETE', url: `/api/v1/auth/tokens/${second.record.id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: `Bearer ${second.token}` }, payload: { channel: 'api', category: 'malware', description: 'revoked' } })).statusCode).toBe(401);
    expect(record.id).toBeTruthy();
  });

  it('serves the OpenAPI document, health and readiness', async () => {
    const doc = await t.app.inject({ url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/reports', '/api/v1/incidents/{id}', '/api/v1/handoffs/{id}/feedback']));
    expect((await t.app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/api/ready' })).json()).toEqual({ status: 'ready' });
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('tocsin_http_requests_total');
  });
});
