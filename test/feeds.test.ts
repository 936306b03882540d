import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { fixture, SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';

interface Ev { id: string; 'source.ip': string | null; 'source.url': string | null; constituentId: string | null; matchedBy: string | null; matchedOn: string | null; sightings: number; 'classification.identifier': string | null; 'classification.type': string; noticeId: string | null }
interface Notice { id: string; constituentId: string; contactId: string | null; partnerId: string | null; recipient: string; topic: string; eventCount: number; csv: string; state: string; incidentId: string | null; language: string; subject: string }
interface Imp { id: string; status: string; rows: number; accepted: number; rejected: number; matched: number; unmatched: number; events: number; notices: number; errors: { line: number; reason: string }[] }

const contact = (email: string, extra: Record<string, unknown> = {}) => ({ name: email.split('@')[0], role: 'security', email, language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [], ...extra });

describe.each(testDialects())('feeds, events and notices (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let analyst: Session;
  const names = { admin: '', analyst: '' };
  /** Moves the clock; sessions expire after hours, so sign in again. */
  const setClock = async (iso: string) => {
    t.clock.set(iso);
    admin = await login(t, names.admin);
    analyst = await login(t, names.analyst);
  };
  const ids: Record<'gov' | 'sub' | 'isp' | 'shop', string> = { gov: '', sub: '', isp: '', shop: '' };
  let ss = '';
  let phish = '';
  let twncert = '';

  const run = async () => {
    while ((await t.c.queue.runReady()) > 0);
  };
  const events = async (s: Session = admin, qs = 'limit=1000') => (await as(t, s, { method: 'GET', url: `/api/v1/events?${qs}` })).json<{ items: Ev[]; nextCursor: string | null }>();
  // Lists leave out each notice's CSV; the tests read it from the notice's own CSV route.
  const notices = async (s: Session = admin, qs = 'limit=500') =>
    Promise.all(
      (await as(t, s, { method: 'GET', url: `/api/v1/notices?${qs}` })).json<{ items: Omit<Notice, 'csv'>[] }>().items.map(async (n) => {
        expect(n).not.toHaveProperty('csv');
        return { ...n, csv: (await as(t, s, { method: 'GET', url: `/api/v1/notices/${n.id}/csv` })).body } as Notice;
      }),
    );
  /** What the outbox's relay job does on success, then the sweep's delivery sync. */
  const deliverAll = async () => {
    await t.c.db.updateTable('mail_outbox').set({ state: 'sent', sent_at: t.clock.now().toISOString() }).where('state', '=', 'queued').execute();
    await t.c.notifications.syncDelivery();
  };
  const lastImport = async (feed: string) => (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${feed}/imports` })).json<{ items: Imp[] }>().items[0]!;
  const importFile = async (feed: string, name: string, data: Buffer | string) => {
    const res = await upload(t, admin, feed, name, data);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<Imp>().status).toBe('queued');
    await run();
    return lastImport(feed);
  };

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    names.admin = (await createUser(t, 'admin')).username;
    names.analyst = (await createUser(t, 'analyst')).username;
    await setClock('2026-11-20T12:00:00.000Z');
    const partners = (await as(t, admin, { method: 'GET', url: '/api/v1/partners' })).json<{ id: string; shortName: string }[]>();
    twncert = partners.find((p) => p.shortName === 'TWNCERT')!.id;
    await t.c.db.updateTable('partners').set({ email: 'soc@twncert.example.tw' }).where('id', '=', twncert).execute();
    const mk = async (payload: Record<string, unknown>) => {
      const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    ids.gov = await mk({ name: '範例部會', sector: 'government', partnerId: twncert, netblocks: ['198.51.100.0/24'], domains: ['example.gov.tw'], contacts: [contact('soc@example.gov.tw')] });
    ids.sub = await mk({ name: 'Subnet Ltd', sector: 'private', netblocks: ['192.0.2.0/25'], contacts: [contact('it@subnet.example', { language: 'en' }), contact('bots@subnet.example', { eventTypes: ['infected-system'] })] });
    ids.isp = await mk({ name: '範例電信', sector: 'isp', netblocks: ['192.0.2.0/24', '2001:db8::/32'], asns: [64503], contacts: [contact('abuse@isp.example.tw', { notifyMode: 'daily' })] });
    ids.shop = await mk({ name: 'Example Shop', sector: 'e-commerce', domains: ['example.co.uk', 'example.com.tw'], contacts: [contact('web@shop.example', { language: 'en' })] });
    const src = async (payload: Record<string, unknown>) => {
      const res = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    ss = await src({ name: 'Shadowserver', parser: 'shadowserver', provider: 'Shadowserver', defaultTlp: 'AMBER' });
    phish = await src({ name: 'Phishing list', parser: 'phishing', options: { format: 'text' }, defaultTlp: 'GREEN' });
  });
  afterAll(async () => t?.close());

  it('imports Shadowserver reports and matches IPv4 (most specific netblock), IPv6 and ASN', async () => {
    const http = await importFile(ss, '2026-11-20-scan_http-taiwan-geo.csv', fixture('shadowserver/2026-11-20-scan_http-taiwan-geo.csv'));
    expect(http).toMatchObject({ status: 'done', rows: 3, accepted: 3, rejected: 0, matched: 3, events: 3 });
    await importFile(ss, '2026-11-20-scan_ssl-taiwan-geo.csv', fixture('shadowserver/2026-11-20-scan_ssl-taiwan-geo.csv'));
    const rdp = await importFile(ss, '2026-11-20-scan_rdp-taiwan-geo.csv', fixture('shadowserver/2026-11-20-scan_rdp-taiwan-geo.csv'));
    expect(rdp.rejected).toBe(1);
    expect(rdp.errors).toEqual([expect.objectContaining({ line: 4, reason: 'invalid source.ip "999.0.113.7"' })]);
    const byIp = new Map((await events()).items.map((e) => [e['source.ip'], e]));
    expect(byIp.get('192.0.2.10')).toMatchObject({ constituentId: ids.sub, matchedBy: 'ip', matchedOn: '192.0.2.0/25' });
    expect(byIp.get('2001:db8:10::5')).toMatchObject({ constituentId: ids.isp, matchedBy: 'ip', matchedOn: '2001:db8::/32' });
    expect(byIp.get('198.51.100.20')).toMatchObject({ constituentId: ids.gov, matchedBy: 'ip' });
    expect(byIp.get('203.0.113.5')).toMatchObject({ constituentId: ids.isp, matchedBy: 'asn', matchedOn: 'AS64503' });
  });

  it('matches URLs by registered domain (gov.tw, com.tw, co.uk) and counts the unmatched', async () => {
    t.c.config.feeds.sectorRouting = 'both';
    try {
      const list = ['http://login.example.co.uk/verify', 'https://shop.example.com.tw/pay', 'http://phish.example.gov.tw/login', 'http://evil.gov.tw/x', 'not a url at all'].join('\n');
      const imp = await importFile(phish, 'phish.txt', list);
      expect(imp).toMatchObject({ status: 'done', events: 4, matched: 3, unmatched: 1, rejected: 1 });
      expect(imp.errors[0]!.line).toBe(5);
    } finally {
      t.c.config.feeds.sectorRouting = 'organisation';
    }
    const byUrl = new Map((await events()).items.filter((e) => e['source.url']).map((e) => [e['source.url'], e]));
    expect(byUrl.get('http://login.example.co.uk/verify')).toMatchObject({ constituentId: ids.shop, matchedBy: 'domain', matchedOn: 'example.co.uk' });
    expect(byUrl.get('https://shop.example.com.tw/pay')).toMatchObject({ constituentId: ids.shop, matchedBy: 'domain' });
    expect(byUrl.get('http://phish.example.gov.tw/login')).toMatchObject({ constituentId: ids.gov, matchedBy: 'domain', matchedOn: 'example.gov.tw' });
    expect(byUrl.get('http://evil.gov.tw/x')!.constituentId).toBeNull();
    const summary = (await as(t, analyst, { method: 'GET', url: '/api/v1/events/unmatched-summary' })).json<{ total: number }>();
    expect(summary.total).toBe(1);
    // Sector routing 'both': the government's phishing notice went to its contact and to TWNCERT.
    const gov = (await notices()).filter((n) => n.constituentId === ids.gov && n.topic === 'phishing');
    expect(gov.map((n) => n.recipient).sort()).toEqual(['soc@example.gov.tw', 'soc@twncert.example.tw']);
  });

  it('groups notices per contact and type, with the CSV, and queues them in the mail outbox', async () => {
    const all = await notices();
    const sub = all.filter((n) => n.constituentId === ids.sub);
    // The second contact wants only infected-system events: one notice, to the first contact.
    expect(sub).toHaveLength(1);
    expect(sub[0]).toMatchObject({ recipient: 'it@subnet.example', eventCount: 2, state: 'queued', language: 'en' });
    expect(sub[0]!.csv.split('\r\n')[0]).toContain('ip');
    expect(sub[0]!.csv).toContain('192.0.2.10');
    expect(sub[0]!.csv).toContain('192.0.2.11');
    const isp = all.filter((n) => n.constituentId === ids.isp);
    expect(isp.map((n) => n.state).sort()).toEqual(['queued', 'queued']); // daily digest: not yet sent
    const mails = await t.c.db.selectFrom('mail_outbox').select(['kind', 'subject', 'body']).where('kind', '=', 'notice').execute();
    const immediate = all.filter((n) => n.constituentId !== ids.isp);
    expect(mails.length).toBe(immediate.length);
    const subMail = mails.find((m) => m.body.includes('192.0.2.10'))!;
    expect(subMail.body).toContain('/notices/ack/');
    expect(subMail.body).toMatch(/Risk: [\s\S]*風險：/);
    // Delivery: the notice follows its mail (sent by the relay → sent; bounced → bounced).
    const shopMail = await t.c.db.selectFrom('mail_outbox').select('id').where('body', 'like', '%login.example.co.uk%').executeTakeFirstOrThrow();
    await t.c.db.updateTable('mail_outbox').set({ state: 'bounced' }).where('id', '=', shopMail.id).execute();
    await deliverAll();
    const after = await notices();
    expect(after.find((n) => n.constituentId === ids.shop)!.state).toBe('bounced');
    expect(after.find((n) => n.constituentId === ids.sub)!.state).toBe('sent');
    expect(after.filter((n) => n.constituentId === ids.isp).every((n) => n.state === 'queued')).toBe(true);
  });

  it('re-importing the same file adds sightings, never events or notices', async () => {
    const before = { events: (await events()).items.length, notices: (await notices()).length };
    const again = await importFile(ss, '2026-11-20-scan_http-taiwan-geo.csv', fixture('shadowserver/2026-11-20-scan_http-taiwan-geo.csv'));
    expect(again).toMatchObject({ status: 'done', events: 3, notices: 0 });
    const after = await events();
    expect(after.items.length).toBe(before.events);
    expect((await notices()).length).toBe(before.notices);
    expect(after.items.find((e) => e['source.ip'] === '192.0.2.10')!.sightings).toBe(2);
  });

  it('pages events by keyset and filters by constituent and type', async () => {
    const page1 = await events(admin, 'limit=3');
    expect(page1.items).toHaveLength(3);
    const page2 = await events(admin, `limit=3&cursor=${page1.nextCursor}`);
    expect(page2.items.map((e) => e.id)).not.toContain(page1.items[0]!.id);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const p: { items: Ev[]; nextCursor: string | null } = await events(admin, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      for (const e of p.items) seen.add(e.id);
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen.size).toBe((await events()).items.length);
    expect((await events(admin, `constituentId=${ids.isp}&type=potentially-unwanted-accessible`)).items.map((e) => e['source.ip']).sort()).toEqual(['203.0.113.5', '203.0.113.6']);
  });

  it('acknowledges through the signed link without login', async () => {
    const n = (await notices()).find((x) => x.constituentId === ids.sub)!;
    const mail = await t.c.db.selectFrom('mail_outbox').select('body').where('body', 'like', '%192.0.2.10%').executeTakeFirstOrThrow();
    const token = /\/notices\/ack\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    // Opening the link (as a mail scanner would) shows the notice and changes nothing.
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/public/notices/ack/${token}` });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({ state: n.state, subject: n.subject, constituentName: 'Subnet Ltd', acknowledgedAt: null });
    expect((await notices()).find((x) => x.id === n.id)!.state).toBe(n.state);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/public/notices/ack/${token}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ state: string }>().state).toBe('acknowledged');
    expect((await notices()).find((x) => x.id === n.id)!.state).toBe('acknowledged');
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/public/notices/ack/${token.slice(0, -2)}xx` })).statusCode).toBe(404);
  });

  it('resolves a notice when a later import of the feed no longer shows its hosts', async () => {
    await setClock('2026-11-21T12:00:00.000Z');
    const later = [SCAN_HTTP_HEADER, scanHttpRow('2026-11-21 00:00:00', '2001:db8:10::5')].join('\n');
    await importFile(ss, '2026-11-21-scan_http-taiwan-geo.csv', later);
    const all = await notices();
    expect(all.find((n) => n.constituentId === ids.sub)!.state).toBe('resolved'); // 192.0.2.10/.11 gone
    const ispHttp = all.find((n) => n.constituentId === ids.isp && n.csv.includes('2001:db8:10::5'))!;
    expect(ispHttp.state).toBe('queued'); // still seen
    expect(all.find((n) => n.constituentId === ids.gov && n.csv.includes('198.51.100.20'))!.state).toBe('sent'); // another report: untouched
    // The host seen again the next day is a new event (another dedup window), joined to the open notice, not a new notice.
    const sightings = (await events(admin, `constituentId=${ids.isp}&limit=1000`)).items.filter((e) => e['source.ip'] === '2001:db8:10::5' && e['classification.type'] === 'vulnerable-system');
    expect(sightings.length).toBeGreaterThanOrEqual(2);
    expect(sightings.every((e) => e.noticeId === ispHttp.id)).toBe(true);
    expect(all.filter((n) => n.constituentId === ids.isp && n.csv.includes('2001:db8:10::5'))).toHaveLength(1);
  });

  it('sends digests when due and escalates unacknowledged notices into incidents', async () => {
    await setClock('2026-11-22T00:30:00.000Z');
    // The daily digests' mail is queued once their time has come (by the hourly sweep the imports
    // scheduled, or here directly), never twice.
    await t.c.notifications.sendDue();
    expect(await t.c.notifications.sendDue()).toBe(0);
    const ispMails = await t.c.db.selectFrom('mail_outbox').select('id').where('to_addresses', 'like', '%abuse@isp.example.tw%').execute();
    expect(ispMails).toHaveLength(2);
    await deliverAll();
    expect((await notices()).filter((n) => n.constituentId === ids.isp).every((n) => n.state === 'sent')).toBe(true);
    await setClock('2026-11-26T00:00:00.000Z');
    const escalated = await t.c.notifications.escalateDue();
    expect(escalated).toBeGreaterThan(0);
    const esc = (await notices(admin, 'state=escalated')).filter((n) => n.constituentId === ids.isp);
    expect(esc.length).toBe(2);
    const incident = await as(t, admin, { method: 'GET', url: `/api/v1/incidents/${esc[0]!.incidentId}` });
    expect(incident.statusCode).toBe(200);
    expect(incident.json<{ constituentId: string }>().constituentId).toBe(ids.isp);
    expect(await t.c.notifications.escalateDue()).toBe(0); // never twice
    // A crash after the incident was created but before the notice was marked: no second incident.
    await t.c.db.updateTable('notices').set({ state: 'sent', incident_id: null }).where('id', '=', esc[0]!.id).execute();
    expect(await t.c.notifications.escalateDue()).toBe(1);
    expect((await notices(admin, 'state=escalated')).find((n) => n.id === esc[0]!.id)!.incidentId).toBe(esc[0]!.incidentId);
  });

  it('limits constituents and partners to their own events and notices', async () => {
    const cons = await login(t, (await createUser(t, 'constituent', { organisationId: ids.sub })).username);
    const mine = await events(cons);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((e) => e.constituentId === ids.sub)).toBe(true);
    expect((await notices(cons)).every((n) => n.constituentId === ids.sub)).toBe(true);
    const partner = await login(t, (await createUser(t, 'partner', { organisationId: twncert })).username);
    const theirs = await events(partner);
    expect(theirs.items.length).toBeGreaterThan(0);
    expect(theirs.items.every((e) => e.constituentId === ids.gov)).toBe(true);
    expect((await as(t, cons, { method: 'GET', url: '/api/v1/feeds' })).statusCode).toBe(403);
    expect((await upload(t, cons, ss, 'x.csv', 'a')).statusCode).toBe(403);
    expect((await as(t, analyst, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'x', parser: 'drop', defaultTlp: 'CLEAR' } })).statusCode).toBe(403);
  });

  it('refuses bad feed options and uploads to a disabled feed', async () => {
    const bad = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Bad', parser: 'shadowserver', options: { reportType: 'no-such-report' }, defaultTlp: 'AMBER' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { code: string }[] } }>().error.details[0]!.code).toBe('feed_bad_config');
    const off = await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${phish}`, payload: { enabled: false } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ enabled: boolean; lastImport: { status: string } | null }>()).toMatchObject({ enabled: false, lastImport: { status: 'done' } });
    expect((await upload(t, admin, phish, 'x.txt', 'http://a.example.co.uk/\n')).statusCode).toBe(403);
    expect((await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${phish}`, payload: { enabled: true } })).statusCode).toBe(200);
  });

  it('accepts an API push from a partner token with the feeds:write scope', async () => {
    const partner = await login(t, (await createUser(t, 'partner', { organisationId: twncert })).username);
    const tok = (await as(t, partner, { method: 'POST', url: '/api/v1/auth/tokens', payload: { name: 'push', scopes: ['feeds:write'], expiresInDays: 30 } })).json<{ token: string }>().token;
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/feeds/${phish}/import?fileName=push.txt`, headers: { authorization: `Bearer ${tok}`, 'content-type': 'text/plain' }, payload: 'http://pushed.example.co.uk/a\n' });
    expect(res.statusCode, res.body).toBe(202);
    await run();
    const imp = await lastImport(phish);
    expect(imp).toMatchObject({ status: 'done', events: 1, matched: 1 });
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: `Bearer ${tok}` } });
    expect(other.statusCode).toBe(403);
  });

  it('validates how a feed is delivered: URL and interval together, at most every 5 minutes, one source per mail address', async () => {
    const post = (payload: Record<string, unknown>) => as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { parser: 'drop', defaultTlp: 'CLEAR', ...payload } });
    const detail = (res: { json: <T>() => T }) => res.json<{ error: { code: string; details: { field: string; code: string; message?: string }[] } }>().error;
    const noSchedule = await post({ name: 'DROP by URL', pollUrl: 'https://www.spamhaus.example/drop.txt' });
    expect(noSchedule.statusCode).toBe(400);
    expect(detail(noSchedule).details).toEqual([{ field: 'schedule', code: 'required' }]);
    const often = await post({ name: 'DROP by URL', pollUrl: 'https://www.spamhaus.example/drop.txt', schedule: '2m' });
    expect(detail(often).details).toEqual([{ field: 'schedule', code: 'too_frequent' }]);
    expect((await post({ name: 'DROP by URL', pollUrl: 'https://www.spamhaus.example/drop.txt', schedule: 'hourly' })).statusCode).toBe(400);
    expect((await post({ name: 'DROP by URL', pollUrl: 'file:///etc/passwd', schedule: '1h' })).statusCode).toBe(400);
    const ok = await post({ name: 'DROP by URL', pollUrl: 'https://www.spamhaus.example/drop.txt', schedule: '12h', mailAddress: 'Drop-Feed@cert.example.tw', mailSenders: ['Reports@Partner.example', '@shadowserver.example', 'reports@partner.example'] });
    expect(ok.statusCode, ok.body).toBe(201);
    const src = ok.json<{ id: string; mailAddress: string; mailSenders: string[]; poll: { nextAt: string | null; lastAt: string | null; error: string | null } }>();
    // The address and senders are kept in lower case, without repeats; a new URL is due at once.
    expect(src).toMatchObject({ mailAddress: 'drop-feed@cert.example.tw', mailSenders: ['reports@partner.example', '@shadowserver.example'], poll: { nextAt: expect.any(String), lastAt: null, error: null } });
    const taken = await post({ name: 'Another', mailAddress: 'drop-feed@cert.example.tw' });
    expect(taken.statusCode).toBe(409);
    expect(detail(taken)).toMatchObject({ code: 'feed_mail_address_taken', details: [{ field: 'mailAddress', code: 'taken', message: 'DROP by URL' }] });
    expect((await post({ name: 'Bad senders', mailSenders: ['not an address'] })).statusCode).toBe(400);
    // Removing the URL alone leaves an interval without a URL; both go together.
    const half = await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${src.id}`, payload: { pollUrl: null } });
    expect(detail(half).details).toEqual([{ field: 'pollUrl', code: 'required' }]);
    const off = await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${src.id}`, payload: { pollUrl: null, schedule: null } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json<{ poll: { nextAt: string | null } }>().poll.nextAt).toBeNull();
    expect((await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${src.id}` })).json<{ pollUrl: string | null }>().pollUrl).toBeNull();
  });

  it('opens a notice with its hosts and mail, serves its CSV, and records what staff learn by phone', async () => {
    // Escalated by the sweep above: the owner calls back afterwards.
    const n = (await notices()).find((x) => x.constituentId === ids.gov && x.csv.includes('198.51.100.20'))!;
    expect(n.state).toBe('escalated');
    const res = await as(t, admin, { method: 'GET', url: `/api/v1/notices/${n.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<{ constituentName: string; feedName: string; body: string; hostCount: number; hosts: string[]; mail: { state: string; messageId: string } | null }>();
    expect(d).toMatchObject({ constituentName: '範例部會', feedName: 'Shadowserver', hostCount: d.hosts.length, mail: { state: 'sent' } });
    expect(d.hosts).toContain('198.51.100.20');
    expect(d.body).toContain('198.51.100.20');
    const reads = await t.c.db.selectFrom('audit_log').select('action').where('target_id', '=', n.id).where('action', '=', 'notice.read').execute();
    expect(reads).toHaveLength(1);
    const csv = await as(t, admin, { method: 'GET', url: `/api/v1/notices/${n.id}/csv` });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="tocsin-notice-.+\.csv"$/);
    expect(csv.body).toContain('198.51.100.20');
    // An analyst records the acknowledgement given by phone, with a note; a second one is refused.
    const ack = await as(t, analyst, { method: 'POST', url: `/api/v1/notices/${n.id}/acknowledge`, payload: { note: '資訊室電話回覆：已在修補' } });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledgedVia: 'staff', note: '資訊室電話回覆：已在修補' });
    const again = await as(t, analyst, { method: 'POST', url: `/api/v1/notices/${n.id}/acknowledge`, payload: {} });
    expect(again.statusCode).toBe(409);
    const resolved = await as(t, analyst, { method: 'POST', url: `/api/v1/notices/${n.id}/resolve`, payload: { note: 'patched, rescanned' } });
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolvedAt: expect.any(String), note: 'patched, rescanned' });
    const trail = await t.c.db.selectFrom('audit_log').select('action').where('target_id', '=', n.id).orderBy('seq').execute();
    expect(trail.map((r) => r.action)).toEqual(expect.arrayContaining(['notice.acknowledge', 'notice.resolve']));
    // Other constituents do not learn that the notice exists; unknown ids are 404.
    const other = await login(t, (await createUser(t, 'constituent', { organisationId: ids.shop })).username);
    expect((await as(t, other, { method: 'GET', url: `/api/v1/notices/${n.id}` })).statusCode).toBe(404);
    expect((await as(t, admin, { method: 'GET', url: '/api/v1/notices/01900000-0000-7000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('lists events of one import, and only the unmatched ones', async () => {
    const imp = (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${phish}/imports?limit=1` })).json<{ items: Imp[] }>().items[0]!;
    const one = await as(t, admin, { method: 'GET', url: `/api/v1/feed-imports/${imp.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json<Imp>()).toMatchObject({ id: imp.id, status: 'done' });
    const ofImport = await events(admin, `importId=${imp.id}`);
    expect(ofImport.items).toHaveLength(imp.events);
    const unmatched = await events(admin, 'matched=false&limit=1000');
    expect(unmatched.items.length).toBeGreaterThan(0);
    expect(unmatched.items.every((e) => e.constituentId === null)).toBe(true);
    expect((await events(admin, 'matched=true&limit=1000')).items.every((e) => e.constituentId !== null)).toBe(true);
    const n = (await notices()).find((x) => x.eventCount > 1)!;
    const named = await events(admin, `noticeId=${n.id}`);
    expect(named.items).toHaveLength(n.eventCount);
    expect(named.items.every((e) => e.constituentId === n.constituentId)).toBe(true);
  });
});
