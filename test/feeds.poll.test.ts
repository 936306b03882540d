import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFetchError, fileNameOf } from '../src/modules/feeds/feeds.poll.js';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { fixture, SCAN_HTTP_HEADER, scanHttpRow } from './feeds.helpers.js';

interface Source { id: string; pollUrl: string | null; schedule: string | null; poll: { nextAt: string | null; lastAt: string | null; error: string | null } }
interface Imp { id: string; method: string; fileName: string | null; status: string; rows: number; events: number; size: number }

const MINUTE = 60_000;
const MAX_BYTES = 100_000;
const REPORT = '2026-11-20-scan_http-taiwan-geo.csv';

/**
 * A real feed server on 127.0.0.1: a Shadowserver report with ETag and Last-Modified (answering
 * conditional requests with 304), a failing URL, an endless stream, a hanging body, redirects,
 * gzip and Content-Disposition. It records what it was asked.
 */
function feedServer() {
  const state = {
    body: fixture(`shadowserver/${REPORT}`) as Buffer,
    validators: true,
    lastModified: 'Fri, 20 Nov 2026 06:00:00 GMT',
    brokenStatus: 500,
    requests: [] as { url: string; headers: IncomingMessage['headers'] }[],
    bigSent: 0,
    /** Resolves when the endless response's connection closes: true if it closed before the end. */
    bigClosed: undefined as Promise<boolean> | undefined,
  };
  const etag = () => `"${createHash('sha256').update(state.body).digest('hex').slice(0, 16)}"`;
  const serveReport = (req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}) => {
    if (state.validators && (req.headers['if-none-match'] === etag() || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === state.lastModified))) {
      res.writeHead(304, { etag: etag(), 'last-modified': state.lastModified }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(state.body.length), ...(state.validators ? { etag: etag(), 'last-modified': state.lastModified } : {}), ...headers }).end(state.body);
  };
  const server: Server = createServer((req, res) => {
    state.requests.push({ url: req.url!, headers: req.headers });
    const url = new URL(req.url!, 'http://x');
    const hops = /^\/redirect\/(\d+)$/.exec(url.pathname);
    if (url.pathname === `/reports/${REPORT}`) return serveReport(req, res);
    if (url.pathname === '/download') return serveReport(req, res, { 'content-disposition': `attachment; filename="${REPORT}"` });
    if (url.pathname === `/gzip/${REPORT}`) {
      const gz = gzipSync(state.body);
      return res.writeHead(200, { 'content-type': 'text/csv', 'content-encoding': 'gzip', 'content-length': String(gz.length) }).end(gz);
    }
    if (url.pathname === `/broken/${REPORT}`) {
      if (state.brokenStatus === 200) return serveReport(req, res);
      return res.writeHead(state.brokenStatus, { 'content-type': 'text/plain' }).end('internal error');
    }
    if (hops) {
      const n = Number(hops[1]);
      return res.writeHead(302, { location: n > 1 ? `/redirect/${n - 1}` : `/reports/${REPORT}` }).end();
    }
    if (url.pathname === '/to-ftp') return res.writeHead(301, { location: 'ftp://127.0.0.1/feed.csv' }).end();
    if (url.pathname === '/big.csv') {
      // Up to 64 MiB, chunked (no length announced), written as fast as the client reads.
      res.writeHead(200, { 'content-type': 'text/csv' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      state.bigClosed = new Promise((resolve) => res.on('close', () => resolve(!res.writableFinished)));
      const pump = () => {
        while (state.bigSent < 64 * 1024 * 1024) {
          state.bigSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      return pump();
    }
    if (url.pathname === '/hang-body.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      return void res.write(`${SCAN_HTTP_HEADER}\n`); // and never ends
    }
    if (url.pathname === '/hang-headers.csv') return; // accepts, never answers
    res.writeHead(404).end();
  });
  return {
    state,
    etag,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Every file under a folder (the blob store), tmp files included. */
function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat(p);
  }
  return out;
}

describe('feed poll messages', () => {
  it('name DNS, connection and TLS failures', () => {
    const u = new URL('https://feeds.example:8443/x.csv');
    const failed = (code: string, message = code) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
    expect(describeFetchError(failed('ENOTFOUND'), u)).toBe('DNS lookup of feeds.example failed (ENOTFOUND)');
    expect(describeFetchError(failed('ECONNREFUSED'), u)).toBe('connection to feeds.example:8443 refused');
    expect(describeFetchError(failed('UND_ERR_CONNECT_TIMEOUT'), u)).toBe('connecting to feeds.example:8443 timed out');
    expect(describeFetchError(failed('CERT_HAS_EXPIRED', 'certificate has expired'), u)).toBe('TLS error with feeds.example:8443: CERT_HAS_EXPIRED certificate has expired');
    expect(describeFetchError(failed('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), u)).toBe('TLS error with feeds.example:8443: DEPTH_ZERO_SELF_SIGNED_CERT self-signed certificate');
  });
});

describe('feed file names', () => {
  it('come from Content-Disposition (also RFC 5987), else the URL, as a base name', () => {
    const u = new URL('https://feeds.example/dl/2026-11-20-scan_ssl-taiwan-geo.csv?key=abc');
    expect(fileNameOf(null, u)).toBe('2026-11-20-scan_ssl-taiwan-geo.csv');
    expect(fileNameOf('attachment; filename="report.csv"', u)).toBe('report.csv');
    expect(fileNameOf("attachment; filename=x.csv; filename*=UTF-8''%E5%A0%B1%E5%91%8A.csv", u)).toBe('報告.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"', u)).toBe('passwd');
    expect(fileNameOf('attachment; filename="a\u0007b.csv"', u)).toBe('ab.csv');
    expect(fileNameOf(null, new URL('https://feeds.example/'))).toBeNull();
  });
});

describe.each(testDialects())('feeds polled from a URL (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let adminName = '';
  let base = '';
  const srv = feedServer();

  const move = async (ms: number) => {
    t.clock.advance(ms);
    admin = await login(t, adminName); // sessions expire when the clock moves on
  };
  const run = async () => {
    while ((await t.c.queue.runReady()) > 0);
  };
  const source = async (id: string) => (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${id}` })).json<Source>();
  const imports = async (id: string) => (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${id}/imports` })).json<{ items: Imp[] }>().items;
  const create = async (name: string, path: string, schedule = '30m') => {
    const res = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name, parser: 'shadowserver', provider: 'Shadowserver', defaultTlp: 'AMBER', pollUrl: `${base}${path}`, schedule } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Source>().id;
  };
  const requestsTo = (path: string) => srv.state.requests.filter((r) => r.url === path);
  const at = (ms: number) => new Date(t.clock.now().getTime() + ms).toISOString();

  beforeAll(async () => {
    base = await srv.start();
    t = await buildTestApp(dialect, { env: { TOCSIN_FEED_MAX_BYTES: String(MAX_BYTES), TOCSIN_FEED_POLL_TIMEOUT_SECONDS: '3', TOCSIN_FEED_POLL_CONNECT_TIMEOUT_SECONDS: '2', TOCSIN_FEED_POLL_MAX_REDIRECTS: '3' } });
    t.clock.set('2026-11-20T08:00:30.000Z');
    adminName = (await createUser(t, 'admin')).username;
    admin = await login(t, adminName);
  });
  afterAll(async () => {
    await t?.close();
    await srv.stop();
  });

  let ss = '';
  it('the minutely poll run imports a due source through the import path (method poll, name from the URL)', async () => {
    ss = await create('Shadowserver by URL', `/reports/${REPORT}`);
    expect((await source(ss)).poll).toEqual({ nextAt: t.clock.now().toISOString(), lastAt: null, error: null });
    // Whoever runs jobs schedules the run for the next minute slot; a second call adds nothing.
    await t.c.feedPoller.scheduleNext();
    await t.c.feedPoller.scheduleNext();
    expect(await t.c.queue.byDedupeKey('feeds.poll:2026-11-20T08:01:00.000Z')).toMatchObject({ state: 'queued' });
    await run();
    expect(requestsTo(`/reports/${REPORT}`)).toHaveLength(0); // not yet: the slot is in 30 s
    await move(30_000);
    await run();
    const reqs = requestsTo(`/reports/${REPORT}`);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.headers['accept-encoding']).toContain('gzip');
    expect(reqs[0]!.headers['if-none-match']).toBeUndefined();
    const [imp] = await imports(ss);
    expect(imp).toMatchObject({ method: 'poll', fileName: REPORT, status: 'done', rows: 3, events: 3, size: fixture(`shadowserver/${REPORT}`).length });
    expect((await source(ss)).poll).toEqual({ lastAt: '2026-11-20T08:01:00.000Z', nextAt: '2026-11-20T08:31:00.000Z', error: null });
    const row = await t.c.db.selectFrom('feed_sources').select(['poll_etag', 'poll_last_modified']).where('id', '=', ss).executeTakeFirstOrThrow();
    expect(row).toEqual({ poll_etag: srv.etag(), poll_last_modified: srv.state.lastModified });
    // The import is the system's, audited like any other.
    const entry = await t.c.db.selectFrom('audit_log').select(['actor_label', 'details']).where('action', '=', 'feed.import').where('target_id', '=', imp!.id).executeTakeFirstOrThrow();
    expect(entry.actor_label).toContain('feeds.poll');
    // The next run is already queued for the following minute.
    expect(await t.c.queue.byDedupeKey('feeds.poll:2026-11-20T08:02:00.000Z')).toMatchObject({ state: 'queued' });
  });

  it('is not polled before its time; then asks conditionally and a 304 imports nothing', async () => {
    await move(29 * MINUTE);
    await run();
    expect(requestsTo(`/reports/${REPORT}`)).toHaveLength(1);
    await move(MINUTE);
    await run();
    const reqs = requestsTo(`/reports/${REPORT}`);
    expect(reqs).toHaveLength(2);
    expect(reqs[1]!.headers['if-none-match']).toBe(srv.etag());
    expect(reqs[1]!.headers['if-modified-since']).toBe(srv.state.lastModified);
    expect(await imports(ss)).toHaveLength(1);
    expect((await source(ss)).poll).toEqual({ lastAt: '2026-11-20T08:31:00.000Z', nextAt: '2026-11-20T09:01:00.000Z', error: null });
  });

  it('does not import the same content twice when the server sends no validators', async () => {
    srv.state.validators = false;
    await move(30 * MINUTE);
    expect(await t.c.feedPoller.pollDue()).toEqual({ [ss]: 'unchanged' });
    expect(await imports(ss)).toHaveLength(1);
    expect((await source(ss)).poll).toMatchObject({ lastAt: '2026-11-20T09:01:00.000Z', error: null });
    // The validators it no longer sends are forgotten.
    expect(await t.c.db.selectFrom('feed_sources').select(['poll_etag', 'poll_last_modified']).where('id', '=', ss).executeTakeFirstOrThrow()).toEqual({ poll_etag: null, poll_last_modified: null });
  });

  it('imports changed content again', async () => {
    srv.state.validators = true;
    srv.state.lastModified = 'Fri, 20 Nov 2026 09:00:00 GMT';
    srv.state.body = Buffer.from(`${SCAN_HTTP_HEADER}\n${scanHttpRow('2026-11-20 08:00:00', '192.0.2.77')}\n${scanHttpRow('2026-11-20 08:00:05', '192.0.2.78', 8080)}\n`);
    await move(30 * MINUTE);
    expect(await t.c.feedPoller.pollDue()).toEqual({ [ss]: 'imported' });
    await run();
    const list = await imports(ss);
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ method: 'poll', status: 'done', rows: 2, events: 2 });
    const events = (await as(t, admin, { method: 'GET', url: `/api/v1/events?importId=${list[0]!.id}` })).json<{ items: { 'source.ip': string }[] }>().items;
    expect(events.map((e) => e['source.ip']).sort()).toEqual(['192.0.2.77', '192.0.2.78']);
  });

  it('claims a source once: two runs at the same time fetch and import it once', async () => {
    srv.state.body = Buffer.from(`${SCAN_HTTP_HEADER}\n${scanHttpRow('2026-11-20 10:00:00', '192.0.2.90')}\n`);
    await move(30 * MINUTE);
    const before = requestsTo(`/reports/${REPORT}`).length;
    const [a, b] = await Promise.all([t.c.feedPoller.pollDue(), t.c.feedPoller.pollDue()]);
    expect({ ...a, ...b }).toEqual({ [ss]: 'imported' });
    expect(requestsTo(`/reports/${REPORT}`).length - before).toBe(1);
    expect(await imports(ss)).toHaveLength(3);
  });

  it('a poll that died mid-fetch leaves a lease: the source is polled again when it ends, nothing doubled', async () => {
    // What a claim by a process that then died looks like: the next time moved on by the lease.
    const lease = at(2_000 + 5 * MINUTE);
    await t.c.db.updateTable('feed_sources').set({ poll_next_at: lease }).where('id', '=', ss).execute();
    expect(await t.c.feedPoller.pollDue()).toEqual({});
    await move(2_000 + 5 * MINUTE);
    expect(await t.c.feedPoller.pollDue()).toEqual({ [ss]: 'not-modified' });
    expect(await imports(ss)).toHaveLength(3);
  });

  /** Later tests look at their own sources only: a finished one is disabled. */
  const retire = async (id: string) => expect((await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${id}`, payload: { enabled: false } })).statusCode).toBe(200);
  const poll = async () => t.c.feedPoller.pollDue();

  it('stores an HTTP error, backs off (doubling up to a day) and clears it on success', async () => {
    const broken = await create('Broken feed', `/broken/${REPORT}`);
    expect((await poll())[broken]).toBe('failed');
    const host = new URL(base).host;
    expect((await source(broken)).poll).toEqual({ lastAt: t.clock.now().toISOString(), nextAt: at(60 * MINUTE), error: `HTTP 500 Internal Server Error from ${host}` });
    // Not at the usual interval: the server is given time.
    await move(30 * MINUTE);
    expect((await poll())[broken]).toBeUndefined();
    await move(30 * MINUTE);
    srv.state.brokenStatus = 503;
    expect((await poll())[broken]).toBe('failed');
    expect((await source(broken)).poll).toEqual({ lastAt: t.clock.now().toISOString(), nextAt: at(120 * MINUTE), error: `HTTP 503 Service Unavailable from ${host}` });
    // Each further failure doubles the wait, up to a day.
    let wait = 120;
    for (const next of [240, 480, 960, 1440, 1440]) {
      await move(wait * MINUTE);
      expect((await poll())[broken]).toBe('failed');
      expect((await source(broken)).poll.nextAt).toBe(at(next * MINUTE));
      wait = next;
    }
    srv.state.brokenStatus = 200;
    await move(wait * MINUTE);
    expect((await poll())[broken]).toBe('imported');
    expect((await source(broken)).poll).toEqual({ lastAt: t.clock.now().toISOString(), nextAt: at(30 * MINUTE), error: null });
    await run();
    expect((await imports(broken))[0]).toMatchObject({ method: 'poll', status: 'done', rows: 1 });
    await retire(broken);
  });

  it('cuts off a body larger than the limit (streamed, connection aborted) and stores nothing', async () => {
    await retire(ss);
    const blobsBefore = filesUnder(join(t.db.dataDir, 'blobs')).length;
    const big = await create('Too large', '/big.csv');
    expect(await poll()).toEqual({ [big]: 'failed' });
    const s = await source(big);
    expect(s.poll.error).toBe(`the feed is larger than ${MAX_BYTES} bytes (TOCSIN_FEED_MAX_BYTES)`);
    expect(s.poll.nextAt).toBe(at(60 * MINUTE));
    expect(await imports(big)).toHaveLength(0);
    expect(filesUnder(join(t.db.dataDir, 'blobs')).length).toBe(blobsBefore);
    // The server saw the connection go long before it had sent its 64 MiB.
    expect(await srv.state.bigClosed).toBe(true);
    expect(srv.state.bigSent).toBeLessThan(16 * 1024 * 1024);
    await retire(big);
  });

  it('gives up on a body that never ends, and on a server that never answers', async () => {
    const hang = await create('Endless', '/hang-body.csv');
    const mute = await create('Silent', '/hang-headers.csv');
    const began = Date.now();
    expect(await poll()).toEqual({ [hang]: 'failed', [mute]: 'failed' });
    expect(Date.now() - began).toBeLessThan(10_000);
    expect((await source(hang)).poll.error).toBe('timed out after 3 s (TOCSIN_FEED_POLL_TIMEOUT_SECONDS)');
    expect((await source(mute)).poll.error).toBe(`no response from ${new URL(base).host} within 2 s (TOCSIN_FEED_POLL_CONNECT_TIMEOUT_SECONDS)`);
    expect(await imports(hang)).toHaveLength(0);
    expect(filesUnder(join(t.db.dataDir, 'blobs', 'tmp'))).toEqual([]);
    await retire(hang);
    await retire(mute);
  });

  it('follows a few redirects (http and https only), names the file from Content-Disposition, accepts gzip', async () => {
    srv.state.body = fixture(`shadowserver/${REPORT}`);
    srv.state.lastModified = 'Fri, 20 Nov 2026 12:00:00 GMT';
    const three = await create('Three hops', '/redirect/3');
    const many = await create('Too many hops', '/redirect/4');
    const ftp = await create('To FTP', '/to-ftp');
    const dispo = await create('Named download', '/download?key=1');
    const gz = await create('Compressed', `/gzip/${REPORT}`);
    expect(await poll()).toEqual({ [three]: 'imported', [many]: 'failed', [ftp]: 'failed', [dispo]: 'imported', [gz]: 'imported' });
    expect((await source(many)).poll.error).toBe('more than 3 redirects (TOCSIN_FEED_POLL_MAX_REDIRECTS)');
    expect((await source(ftp)).poll.error).toBe('refused: only http and https URLs are fetched (got ftp:)');
    await run();
    for (const id of [three, dispo, gz]) expect((await imports(id))[0]).toMatchObject({ method: 'poll', fileName: REPORT, status: 'done', rows: 3 });
    for (const id of [three, many, ftp, dispo, gz]) await retire(id);
  });

  it('reports refused connections and TLS failures clearly', async () => {
    // A port on this machine that nothing listens on: bind one, note it, close it.
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await create('Nobody listening', '/x');
    await t.c.db.updateTable('feed_sources').set({ poll_url: `http://127.0.0.1:${port}/report.csv` }).where('id', '=', refused).execute();
    // https:// to the plain-HTTP test server: the TLS handshake fails.
    const tls = await create('Not TLS', '/x');
    await t.c.db.updateTable('feed_sources').set({ poll_url: `${base.replace('http:', 'https:')}/reports/${REPORT}` }).where('id', '=', tls).execute();
    expect(await poll()).toEqual({ [refused]: 'failed', [tls]: 'failed' });
    expect((await source(refused)).poll.error).toBe(`connection to 127.0.0.1:${port} refused`);
    expect((await source(tls)).poll.error).toMatch(new RegExp(`^TLS error with ${new URL(base).host.replaceAll('.', '\\.')}: ERR_SSL_`));
    await retire(refused);
    await retire(tls);
  });

  it('"poll now" makes the source due and queues a run (feed:manage, 202); refused without a URL', async () => {
    expect((await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${ss}`, payload: { enabled: true } })).statusCode).toBe(200);
    await move(MINUTE);
    const before = requestsTo(`/reports/${REPORT}`).length;
    const res = await as(t, admin, { method: 'POST', url: `/api/v1/feeds/${ss}/poll` });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<Source>().poll.nextAt).toBe(t.clock.now().toISOString());
    await run();
    expect(requestsTo(`/reports/${REPORT}`).length).toBe(before + 1);
    expect((await source(ss)).poll).toMatchObject({ lastAt: t.clock.now().toISOString(), nextAt: at(30 * MINUTE), error: null });
    expect(await t.c.db.selectFrom('audit_log').select('action').where('action', '=', 'feed.poll').where('target_id', '=', ss).execute()).toHaveLength(1);

    const manual = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Uploads only', parser: 'drop', defaultTlp: 'CLEAR' } });
    const refused = await as(t, admin, { method: 'POST', url: `/api/v1/feeds/${manual.json<Source>().id}/poll` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('feed_not_polled');
    const analyst = await login(t, (await createUser(t, 'analyst')).username);
    expect((await as(t, analyst, { method: 'POST', url: `/api/v1/feeds/${ss}/poll` })).statusCode).toBe(403);
  });

  it('a disabled source or a changed URL is not polled with the old state', async () => {
    await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${ss}`, payload: { enabled: false } });
    await move(60 * MINUTE);
    const before = requestsTo(`/reports/${REPORT}`).length;
    const due = await t.c.feedPoller.pollDue();
    expect(due[ss]).toBeUndefined();
    expect(requestsTo(`/reports/${REPORT}`).length).toBe(before);
    const off = await as(t, admin, { method: 'POST', url: `/api/v1/feeds/${ss}/poll` });
    expect(off.statusCode).toBe(403);
    expect(off.json<{ error: { code: string } }>().error.code).toBe('feed_disabled');
  });
});

describe.each(testDialects())('a feed poll killed with SIGKILL mid-transfer (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let base = '';
  const body = fixture(`shadowserver/${REPORT}`);
  let requests = 0;
  let firstStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstStarted = resolve));
  // The first answer stops half way (the worker is killed then); later ones are whole.
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(body.length), etag: '"v1"' });
    if (requests > 1) return void res.end(body);
    res.write(body.subarray(0, body.length >> 1), () => firstStarted());
  });

  beforeAll(async () => {
    base = await new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
    t = await buildTestApp(dialect);
    // The child worker runs on the real clock: the test's "now" is an hour before it, so what the
    // test makes due is due for the worker too.
    t.clock.set(new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString());
    admin = await login(t, (await createUser(t, 'admin')).username);
  });
  afterAll(async () => {
    await t?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('loses nothing and imports once: the claim lapses and the next run imports the file', async () => {
    const created = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Killed mid-poll', parser: 'shadowserver', defaultTlp: 'AMBER', pollUrl: `${base}/reports/${REPORT}`, schedule: '30m' } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Source>().id;
    expect((await as(t, admin, { method: 'POST', url: `/api/v1/feeds/${id}/poll` })).statusCode).toBe(202);

    const databaseUrl = dialect === 'postgres' ? `${t.db.url}${t.db.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${t.db.schema!}`)}` : t.db.url;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { ...process.env, TOCSIN_DATA_DIR: t.db.dataDir, DATABASE_URL: databaseUrl, TOCSIN_FEED_POLL_TIMEOUT_SECONDS: '60', TOCSIN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    // Killed once half the file has been sent to it.
    await Promise.race([started, exited.then(() => Promise.reject(new Error(`the worker exited early:\n${output}`)))]);
    child.kill('SIGKILL');
    expect(await exited, output).toBe('SIGKILL');

    // What the killed run left: its claim (the next time moved on by the lease), no import, no error.
    const left = await t.c.db.selectFrom('feed_sources').select(['poll_next_at', 'poll_last_at', 'poll_error']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(left.poll_last_at).toBeNull();
    expect(left.poll_error).toBeNull();
    expect(Date.parse(left.poll_next_at!)).toBeGreaterThan(Date.now() + 60_000);
    expect(await t.c.db.selectFrom('feed_imports').select('id').where('source_id', '=', id).execute()).toEqual([]);

    // Nobody polls it while the claim holds; once it lapses the next run fetches and imports it.
    expect(await t.c.feedPoller.pollDue()).toEqual({});
    t.clock.set(new Date(Date.parse(left.poll_next_at!) + 1000).toISOString());
    admin = await login(t, (await createUser(t, 'admin')).username);
    expect(await t.c.feedPoller.pollDue()).toEqual({ [id]: 'imported' });
    while ((await t.c.queue.runReady()) > 0);
    // The killed run's job itself runs again once its lease is over: nothing is due, nothing doubles.
    t.clock.advance(60 * MINUTE);
    admin = await login(t, (await createUser(t, 'admin')).username);
    while ((await t.c.queue.runReady()) > 0);
    const list = (await as(t, admin, { method: 'GET', url: `/api/v1/feeds/${id}/imports` })).json<{ items: Imp[] }>().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ method: 'poll', status: 'done', rows: 3, size: body.length });
    expect(requests).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
