import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, reportBody, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

function multipart(fields: Record<string, string>, files: { name: string; filename: string; content: Buffer; type?: string }[]) {
  const boundary = `----tocsin${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), f.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(testDialects())('reports on %s', (dialect) => {
  let t: TestApp;
  let analyst: Session;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { env: { TOCSIN_MAX_ATTACHMENT_BYTES: '1024' } });
    await createUser(t, 'analyst', { username: 'ana' });
    analyst = await login(t, 'ana');
  });
  afterAll(() => t.close());

  it('files a general report and gives a tracking number and private link', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; trackingNumber: string; trackingToken: string; trackingUrl: string }>();
    expect(body.trackingNumber).toMatch(/^TC-2026-\d{6}$/);
    expect(body.trackingUrl).toBe(`/track/${body.trackingToken}`);

    const track = await t.app.inject({ url: `/api/v1/track/${body.trackingToken}` });
    expect(track.statusCode).toBe(200);
    expect(track.json()).toMatchObject({ trackingNumber: body.trackingNumber, status: 'received', category: 'phishing', assets: ['https://bank-login.example.com/login', '203.0.113.10'], messages: [] });
    // The tracking view never shows the reporter's contact details.
    expect(track.body).not.toContain('ming@example.com.tw');

    const stored = await t.c.db.selectFrom('reports').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(stored.tracking_token_hash).not.toBe(body.trackingToken);
    expect(stored.reporter_email).toBe('ming@example.com.tw');
  });

  it('numbers reports in sequence with the configured prefix', async () => {
    const admin = await createUser(t, 'admin');
    const s = await login(t, admin.username);
    expect((await as(t, s, { method: 'PUT', url: '/api/v1/settings', payload: { trackingPrefix: 'TWCERT' } })).statusCode).toBe(200);
    const a = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ trackingNumber: string }>();
    const b = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ trackingNumber: string }>();
    expect(a.trackingNumber).toBe('TWCERT-2026-000001');
    expect(b.trackingNumber).toBe('TWCERT-2026-000002');
    await as(t, s, { method: 'PUT', url: '/api/v1/settings', payload: { trackingPrefix: 'TC' } });
  });

  it('accepts an advanced report with technical details, normalised', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      headers: { 'accept-language': 'en' },
      payload: reportBody({
        channel: 'web-advanced',
        language: 'en',
        technical: { sourceIps: ['2001:DB8:0:0::1'], destinationIps: ['198.51.100.7'], sourcePorts: [4444], destinationPorts: [443], protocol: 'tcp', logs: 'GET /wp-login.php', indicators: ['evil.example.net'], impact: { confidentiality: 'high', integrity: 'low', availability: 'none' }, coreBusinessAffected: true, criticalInfrastructureAffected: false },
      }),
    });
    expect(res.statusCode).toBe(201);
    const detail = await as(t, analyst, { url: `/api/v1/reports/${res.json<{ id: string }>().id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ channel: 'web-advanced', technical: { sourceIps: ['2001:db8::1'], coreBusinessAffected: true }, reporter: { email: 'ming@example.com.tw' } });
  });

  it('lets an anonymous reporter file without contact details, but asks others for one', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody({ anonymous: true, reporter: undefined }) });
    expect(anon.statusCode).toBe(201);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'accept-language': 'en' }, payload: reportBody({ reporter: { name: 'x' } }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'reporter.email', code: 'contact_required' }] } });
  });

  it('stores attachments content-addressed and serves them only as downloads to staff', async () => {
    const mp = multipart({ report: JSON.stringify(reportBody()) }, [{ name: 'attachments', filename: '../../evil.html', content: Buffer.from('<script>alert(1)</script>'), type: 'text/html' }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', ...mp });
    expect(res.statusCode).toBe(201);
    const { id, trackingToken } = res.json<{ id: string; trackingToken: string }>();
    const detail = (await as(t, analyst, { url: `/api/v1/reports/${id}` })).json<{ attachments: { id: string; filename: string; sha256: string; size: number }[] }>();
    expect(detail.attachments).toHaveLength(1);
    expect(detail.attachments[0]).toMatchObject({ filename: 'evil.html', size: 25, sha256: createHash('sha256').update('<script>alert(1)</script>').digest('hex') });
    const dl = await as(t, analyst, { url: `/api/v1/reports/${id}/attachments/${detail.attachments[0]!.id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.body).toBe('<script>alert(1)</script>');
    expect((await t.app.inject({ url: `/api/v1/reports/${id}/attachments/${detail.attachments[0]!.id}` })).statusCode).toBe(401);

    const more = multipart({}, [{ name: 'attachments', filename: 'log.txt', content: Buffer.from('more evidence') }]);
    const added = await t.app.inject({ method: 'POST', url: `/api/v1/track/${trackingToken}/attachments`, ...more });
    expect(added.statusCode).toBe(201);
    expect((await t.app.inject({ url: `/api/v1/track/${trackingToken}` })).json<{ attachments: unknown[] }>().attachments).toHaveLength(2);
  });

  it('refuses an attachment over the limit and stores no report', async () => {
    const before = await t.c.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const mp = multipart({ report: JSON.stringify(reportBody()) }, [{ name: 'attachments', filename: 'big.bin', content: Buffer.alloc(2048, 1) }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', ...mp });
    expect(res.statusCode).toBe(413);
    const after = await t.c.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('lets the reporter add information, which the team sees', async () => {
    const { id, trackingToken } = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ id: string; trackingToken: string }>();
    const msg = await t.app.inject({ method: 'POST', url: `/api/v1/track/${trackingToken}/messages`, payload: { body: '補充：另一個網址 https://x.example.org' } });
    expect(msg.statusCode).toBe(201);
    const detail = (await as(t, analyst, { url: `/api/v1/reports/${id}` })).json<{ messages: { from: string; body: string }[] }>();
    expect(detail.messages).toEqual([expect.objectContaining({ from: 'reporter', body: '補充：另一個網址 https://x.example.org' })]);
    expect((await t.app.inject({ url: '/api/v1/track/not-a-real-token-but-long-enough' })).statusCode).toBe(404);
  });

  it('audits every read of personal data', async () => {
    const { id } = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ id: string }>();
    await as(t, analyst, { url: `/api/v1/reports/${id}` });
    const entries = await t.c.db.selectFrom('audit_log').selectAll().where('target_id', '=', id).orderBy('seq').execute();
    expect(entries.map((e) => e.action)).toEqual(['report.create', 'report.read_personal_data']);
    expect(entries[1]!.actor_label).toBe('user:ana');
    expect(entries[0]!.details).not.toContain('ming@example.com.tw');
  });

  it('lists reports with filters and keyset paging', async () => {
    const page1 = await as(t, analyst, { url: '/api/v1/reports?limit=2&status=new' });
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json<{ items: { id: string }[]; nextCursor: string | null }>();
    expect(p1.items).toHaveLength(2);
    const p2 = (await as(t, analyst, { url: `/api/v1/reports?limit=2&status=new&cursor=${p1.nextCursor}` })).json<{ items: { id: string }[] }>();
    expect(p2.items.length).toBeGreaterThan(0);
    expect(p2.items.map((i) => i.id)).not.toContain(p1.items[0]!.id);
    expect(p2.items[0]!.id < p1.items[1]!.id).toBe(true);
  });

  it('refuses U+0000, which PostgreSQL text cannot hold, on every database', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody({ description: 'before\u0000after' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_utf8' } });
  });

  it('rejects reports as spam and shows that to the reporter', async () => {
    const { id, trackingToken } = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ id: string; trackingToken: string }>();
    expect((await as(t, analyst, { method: 'POST', url: `/api/v1/reports/${id}/reject`, payload: { reason: 'spam' } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/track/${trackingToken}` })).json()).toMatchObject({ status: 'rejected' });
  });
});
