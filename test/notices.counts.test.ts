import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';

// GET /api/v1/notices/counts: notices per state for the console's filter chips, with the list's
// scope (a constituent counts only its own) and filters (constituent, feed, import). And the lists
// of notices and events carry their constituent's name (not everyone may list the directory).
const contact = (email: string) => ({ name: email.split('@')[0], role: 'security', email, language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] });
type Counts = { total: number; byState: Record<string, number> };

describe.each(testDialects())('notice counts by state (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let owner: Session;
  const ids = { a: '', b: '', feed: '', first: '', second: '' };
  const counts = async (s: Session | null, qs = '') => {
    const res = await as(t, s, { method: 'GET', url: `/api/v1/notices/counts${qs}` });
    return { status: res.statusCode, body: res.json<Counts>() };
  };

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await login(t, (await createUser(t, 'admin')).username);
    const mk = async (payload: Record<string, unknown>) => {
      const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    ids.a = await mk({ name: 'Alpha Net', sector: 'private', netblocks: ['192.0.2.0/24'], contacts: [contact('soc@alpha.example')] });
    ids.b = await mk({ name: 'Beta Net', sector: 'private', netblocks: ['198.51.100.0/24'], contacts: [contact('soc@beta.example')] });
    owner = await login(t, (await createUser(t, 'constituent', { organisationId: ids.a })).username);
    const feed = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' } });
    expect(feed.statusCode, feed.body).toBe(201);
    ids.feed = feed.json<{ id: string }>().id;
    const importOf = async (rows: string[]) => {
      const res = await upload(t, admin, ids.feed, '2026-11-20-scan_http-taiwan-geo.csv', [SCAN_HTTP_HEADER, ...rows].join('\n'));
      expect(res.statusCode, res.body).toBe(202);
      while ((await t.c.queue.runReady()) > 0);
      return res.json<{ id: string }>().id;
    };
    ids.first = await importOf([scanHttpRow('2026-11-20 00:00:01', '192.0.2.1'), scanHttpRow('2026-11-20 00:00:02', '198.51.100.1')]);
    ids.second = await importOf([scanHttpRow('2026-11-20 00:00:03', '192.0.2.2'), scanHttpRow('2026-11-20 00:00:04', '192.0.2.3', 8080)]);
  });
  afterAll(async () => t?.close());

  it('counts every state, with the filters of the list', async () => {
    const all = await counts(admin);
    expect(all.status).toBe(200);
    expect(Object.keys(all.body.byState).sort()).toEqual(['acknowledged', 'bounced', 'delivered', 'escalated', 'queued', 'resolved', 'sent']);
    // The first import made one notice per constituent; the second shows none of their hosts any
    // more, so both are resolved, and its own new hosts make one more notice for Alpha.
    expect(all.body).toEqual({ total: 3, byState: expect.objectContaining({ queued: 1, resolved: 2, acknowledged: 0 }) });

    const open = (await as(t, admin, { method: 'GET', url: `/api/v1/notices?state=queued` })).json<{ items: { id: string }[] }>().items;
    expect(open).toHaveLength(1);
    const ack = await as(t, admin, { method: 'POST', url: `/api/v1/notices/${open[0]!.id}/acknowledge`, payload: { note: 'by phone' } });
    expect(ack.statusCode, ack.body).toBe(200);

    expect((await counts(admin, `?constituentId=${ids.a}`)).body).toEqual({ total: 2, byState: expect.objectContaining({ queued: 0, acknowledged: 1, resolved: 1 }) });
    expect((await counts(admin, `?constituentId=${ids.b}`)).body).toEqual({ total: 1, byState: expect.objectContaining({ resolved: 1, acknowledged: 0 }) });
    expect((await counts(admin, `?importId=${ids.first}`)).body.total).toBe(2);
    expect((await counts(admin, `?importId=${ids.second}&feedSourceId=${ids.feed}`)).body.total).toBe(1);
  });

  it("lists notices and events with their constituent's name", async () => {
    const notices = (await as(t, admin, { method: 'GET', url: '/api/v1/notices' })).json<{ items: { constituentId: string; constituentName: string | null }[] }>().items;
    expect(notices.map((n) => [n.constituentId, n.constituentName]).sort()).toEqual([[ids.a, 'Alpha Net'], [ids.a, 'Alpha Net'], [ids.b, 'Beta Net']].sort());
    const events = (await as(t, owner, { method: 'GET', url: '/api/v1/events' })).json<{ items: { constituentId: string | null; constituentName: string | null }[] }>().items;
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.constituentName))).toEqual(new Set(['Alpha Net']));
    await upload(t, admin, ids.feed, '2026-11-20-scan_http-taiwan-geo.csv', [SCAN_HTTP_HEADER, scanHttpRow('2026-11-20 00:00:05', '203.0.113.9')].join('\n'));
    while ((await t.c.queue.runReady()) > 0);
    const unmatched = (await as(t, admin, { method: 'GET', url: '/api/v1/events?matched=false' })).json<{ items: { constituentId: string | null; constituentName: string | null }[] }>().items;
    expect(unmatched.map((e) => [e.constituentId, e.constituentName])).toEqual([[null, null]]);
  });

  it("gives a constituent only its own notices' counts, and refuses bad filters and strangers", async () => {
    const own = await counts(owner);
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(2);
    // Asking for another constituent's counts gives nothing of theirs.
    expect((await counts(owner, `?constituentId=${ids.b}`)).body.total).toBe(0);
    expect((await counts(admin, '?importId=not-a-uuid')).status).toBe(400);
    expect((await counts(null)).status).toBe(401);
  });
});
