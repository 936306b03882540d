/**
 * Bad input through HTTP on real databases: every refusal is a 4xx in the one error shape, with a
 * message in zh-TW (default) or English, field paths in `details`, and nothing stored — no report,
 * attachment, incident, message or audit row, no committed blob. Hostile text in free-text fields is
 * data: stored and returned verbatim; in fields with a syntax (assets, IPs) it is refused.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../src/lib/i18n.js';
import { CATEGORIES, CHANNELS } from '../src/modules/reports/reports.schemas.js';
import { as, buildTestApp, createUser, login, reportBody, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const MAX_BODY = 64 * 1024;
const MAX_ATTACHMENT = 4096;
const MAX_ATTACHMENTS = 2;

interface ApiError {
  error: { code: string; message: string; details?: { field: string; code: string; message?: string }[] };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Call {
  method?: Method;
  url?: string;
  /** Who sends it: nobody (a member of the public) or the signed-in administrator. */
  who?: 'anonymous' | 'admin';
  payload?: string | Buffer | object;
  headers?: Record<string, string>;
}

const TABLES = ['reports', 'attachments', 'audit_log', 'incidents', 'report_messages', 'incident_history'] as const;
/** Row counts, plus files left in the blob store's temp folder (a partial upload must not stay). */
type Counts = Record<(typeof TABLES)[number], number> & { partialBlobs: number };

/** A multipart body with the bytes and content type a browser would send. */
async function multipart(fields: Record<string, string>, files: { field: string; name: string; data: Buffer }[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.data)]), f.name);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}

/** Files under a folder, recursively, by name (committed blobs are named by their SHA-256). */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [e.name]));
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const fields = (res: LightMyRequestResponse) => (res.json<ApiError>().error.details ?? []).map((d) => ({ field: d.field, code: d.code }));

describe.each(testDialects())('bad input (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let incidentId: string;
  let trackToken: string;

  async function counts(): Promise<Counts> {
    const out = { partialBlobs: filesUnder(join(t.db.dataDir, 'blobs', 'tmp')).length } as Counts;
    for (const table of TABLES) {
      const r = await t.c.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      out[table] = Number(r.n);
    }
    return out;
  }

  function send(c: Call, extraHeaders: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const payload = c.payload === undefined ? undefined : typeof c.payload === 'string' || Buffer.isBuffer(c.payload) ? c.payload : JSON.stringify(c.payload);
    const headers = { ...(typeof c.payload === 'object' && !Buffer.isBuffer(c.payload) ? { 'content-type': 'application/json' } : {}), ...c.headers, ...extraHeaders };
    return as(t, c.who === 'admin' ? admin : null, { method: c.method ?? 'POST', url: c.url ?? '/api/v1/reports', headers, ...(payload !== undefined ? { payload } : {}) });
  }

  /**
   * Sends the request in zh-TW (default) and in English; both must be refused with the same status
   * and code, a message in the right language, and no row or blob written.
   */
  async function refused(c: Call, status: number, code: string): Promise<LightMyRequestResponse> {
    const before = await counts();
    const zh = await send(c);
    expect(zh.statusCode, zh.body).toBe(status);
    expect(String(zh.headers['content-type'])).toMatch(/^application\/json/);
    const zhErr = zh.json<ApiError>().error;
    expect(zhErr.code).toBe(code);
    expect(zhErr.message).toBe(translate(code, 'zh-TW', extractParams(code, zhErr.message)));
    expect(zhErr.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await send(c, { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.statusCode).toBe(status);
    const enErr = en.json<ApiError>().error;
    expect(enErr.code).toBe(code);
    expect(enErr.message).not.toMatch(/[\u4e00-\u9fff]/);
    expect(enErr.message.length).toBeGreaterThan(0);
    expect(fields(en)).toEqual(fields(zh));
    expect(await counts()).toEqual(before);
    return zh;
  }

  /** Messages with parameters (limits, names) are compared by their fixed parts. */
  function extractParams(code: string, message: string): Record<string, string> {
    if (code === 'attachment_too_large') {
      const m = /^附件 (.*) 超過 (\d+) 位元組的上限。$/.exec(message);
      return m ? { name: m[1]!, limit: m[2]! } : {};
    }
    return {};
  }

  beforeAll(async () => {
    t = await buildTestApp(dialect, { env: { TOCSIN_MAX_BODY_BYTES: String(MAX_BODY), TOCSIN_MAX_ATTACHMENT_BYTES: String(MAX_ATTACHMENT), TOCSIN_MAX_ATTACHMENTS: String(MAX_ATTACHMENTS) } });
    admin = await login(t, (await createUser(t, 'admin')).username);
    const inc = await as(t, admin, { method: 'POST', url: '/api/v1/incidents', payload: { title: 'Baseline incident', rsitClass: 'fraud', rsitType: 'phishing', tlp: 'AMBER', level: 2 } });
    expect(inc.statusCode, inc.body).toBe(201);
    incidentId = inc.json<{ id: string }>().id;
    const rep = await send({ payload: reportBody() });
    expect(rep.statusCode, rep.body).toBe(201);
    trackToken = rep.json<{ trackingToken: string }>().trackingToken;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('sizes', () => {
    it('refuses a JSON body over TOCSIN_MAX_BODY_BYTES with 413', async () => {
      await refused({ payload: reportBody({ description: 'a'.repeat(MAX_BODY + 1) }) }, 413, 'payload_too_large');
      await refused({ url: `/api/v1/track/${trackToken}/messages`, payload: { body: '長'.repeat(MAX_BODY) } }, 413, 'payload_too_large');
      await refused({ who: 'admin', url: `/api/v1/incidents/${incidentId}/comments`, payload: { body: 'x'.repeat(2 * MAX_BODY), visibility: 'internal' } }, 413, 'payload_too_large');
    });

    it('refuses fields over their own limits with the field named', async () => {
      const res = await refused({ payload: reportBody({ title: 't'.repeat(201), assets: Array.from({ length: 101 }, (_, i) => `192.0.2.${i % 250}`) }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual(expect.arrayContaining([{ field: 'title', code: 'too_long' }, { field: 'assets', code: 'too_long' }]));
    });
  });

  describe('types and fields', () => {
    it('refuses wrong types without coercing them', async () => {
      const res = await refused({ payload: reportBody({ description: 42, anonymous: 'yes', assets: '203.0.113.10', title: ['x'] }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual(expect.arrayContaining([
        { field: 'description', code: 'wrong_type' },
        { field: 'anonymous', code: 'wrong_type' },
        { field: 'assets', code: 'wrong_type' },
        { field: 'title', code: 'wrong_type' },
      ]));
      const ports = await refused({ payload: reportBody({ channel: 'web-advanced', technical: { sourcePorts: ['80'], destinationPorts: [70000] } }) }, 400, 'validation_failed');
      expect(fields(ports)).toEqual(expect.arrayContaining([{ field: 'technical.sourcePorts.0', code: 'wrong_type' }, { field: 'technical.destinationPorts.0', code: 'maximum' }]));
      const enums = await refused({ payload: reportBody({ channel: 'fax', category: 'PHISHING' }) }, 400, 'validation_failed');
      expect(fields(enums)).toEqual(expect.arrayContaining([{ field: 'channel', code: 'not_allowed' }, { field: 'category', code: 'not_allowed' }]));
      const notObject = await refused({ payload: '["channel","web-general"]', headers: { 'content-type': 'application/json' } }, 400, 'validation_failed');
      expect(fields(notObject)).toEqual([{ field: 'body', code: 'wrong_type' }]);
      await refused({ payload: 'null', headers: { 'content-type': 'application/json' } }, 400, 'validation_failed');
      const missing = await refused({ payload: { channel: 'web-general' } }, 400, 'validation_failed');
      expect(fields(missing)).toEqual(expect.arrayContaining([{ field: 'category', code: 'required' }, { field: 'description', code: 'required' }]));
    });

    it('rejects unknown fields instead of dropping them', async () => {
      const res = await refused({ payload: reportBody({ isAdmin: true, reporter: { email: 'a@example.com', ssn: 'A123456789' }, channel: 'web-advanced', technical: { evil: 1 } }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual(expect.arrayContaining([
        { field: 'isAdmin', code: 'unknown_field' },
        { field: 'reporter.ssn', code: 'unknown_field' },
        { field: 'technical.evil', code: 'unknown_field' },
      ]));
      const inc = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', state: 'closed' } }, 400, 'validation_failed');
      expect(fields(inc)).toEqual([{ field: 'state', code: 'unknown_field' }]);
      const patch = await refused({ who: 'admin', method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, payload: { title: 'renamed', number: 'IN-1' } }, 400, 'validation_failed');
      expect(fields(patch)).toEqual([{ field: 'number', code: 'unknown_field' }]);
    });

    it('refuses malformed e-mail addresses and phone numbers', async () => {
      const res = await refused({ payload: reportBody({ reporter: { email: 'not-an-email', phone: '<script>' } }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual(expect.arrayContaining([{ field: 'reporter.phone', code: 'pattern' }]));
      const email = await refused({ payload: reportBody({ reporter: { email: 'ming@@example.com' } }) }, 400, 'validation_failed');
      expect(fields(email)).toEqual([{ field: 'reporter.email', code: 'invalid_email' }]);
    });
  });

  describe('network syntax', () => {
    it('names every malformed asset by its position', async () => {
      const assets = ['203.0.113.10', '999.1.1.1', '10.0.0.0/33', 'http://', 'exa mple.com', 'javascript:alert(1)', 'http://-bad-.example/', '2001:db8::/129', '1.2.3', 'localhost', 'https://example.com/ok', 'ftp://[::1', '192.0.2.1/24/8'];
      const res = await refused({ payload: reportBody({ assets }) }, 400, 'validation_failed');
      const bad = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12];
      expect(fields(res)).toEqual(bad.map((i) => ({ field: `assets.${i}`, code: 'invalid_asset' })));
    });

    it('names malformed IPs in the technical details', async () => {
      const technical = { sourceIps: ['192.0.2.1', '192.0.2.256', '2001:db8::1'], destinationIps: ['not-an-ip', '198.51.100.0/24', '1.1.1.1\' OR 1=1'], protocol: 'tcp' };
      const res = await refused({ payload: reportBody({ channel: 'web-advanced', technical }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual([
        { field: 'technical.sourceIps.1', code: 'invalid_ip' },
        { field: 'technical.destinationIps.0', code: 'invalid_ip' },
        { field: 'technical.destinationIps.2', code: 'invalid_ip' },
      ]);
      const proto = await refused({ payload: reportBody({ channel: 'web-advanced', technical: { protocol: 'tcp; rm -rf /' } }) }, 400, 'validation_failed');
      expect(fields(proto)).toEqual([{ field: 'technical.protocol', code: 'pattern' }]);
    });
  });

  describe('encodings and content types', () => {
    const good = JSON.stringify(reportBody());
    const withBytes = (bytes: number[]) => Buffer.concat([Buffer.from(good.slice(0, good.indexOf('收到'))), Buffer.from(bytes), Buffer.from(good.slice(good.indexOf('收到')))]);

    it('refuses JSON that is not valid UTF-8 instead of repairing it', async () => {
      for (const bytes of [[0xff, 0xfe], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
        await refused({ payload: withBytes(bytes), headers: { 'content-type': 'application/json; charset=utf-8' } }, 400, 'invalid_utf8');
      }
      // The same bytes made valid are accepted: the refusal is about the encoding alone.
      const ok = await send({ payload: withBytes([0xe2, 0x9c, 0x93]), headers: { 'content-type': 'application/json' } });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('refuses invalid JSON', async () => {
      for (const payload of ['{"channel": "web-general",', '{}x', "{'channel': 'web-general'}", '{"channel":"web-general",}', 'NaN']) {
        await refused({ payload, headers: { 'content-type': 'application/json' } }, 400, 'invalid_json');
      }
      await refused({ payload: '', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json');
      // Prototype poisoning is refused by the parser, not merged into objects.
      await refused({ payload: good.replace('{', '{"__proto__":{"isAdmin":true},'), headers: { 'content-type': 'application/json' } }, 400, 'invalid_json');
    });

    it('refuses content types it does not parse with 415', async () => {
      for (const type of ['application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/svg+xml']) {
        await refused({ payload: good, headers: { 'content-type': type } }, 415, 'unsupported_media_type');
      }
      await refused({ who: 'admin', url: '/api/v1/incidents', payload: '{"title":"x"}', headers: { 'content-type': 'application/xml' } }, 415, 'unsupported_media_type');
      await refused({ payload: good }, 415, 'unsupported_media_type'); // no content type at all
    });

    it('refuses JSON sent as text/plain', async () => {
      for (const url of ['/api/v1/reports', '/api/v1/incidents']) {
        const before = await counts();
        const res = await send({ who: 'admin', url, payload: url.endsWith('reports') ? good : '{"title":"x"}', headers: { 'content-type': 'text/plain' } });
        expect(res.statusCode).toBe(415);
        expect(res.json<ApiError>().error.code).toBe('unsupported_media_type');
        expect(await counts()).toEqual(before);
      }
    });
  });

  describe('incident taxonomy', () => {
    it('refuses invalid RSIT classes and types', async () => {
      const badClass = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', rsitClass: 'not-a-class' } }, 400, 'invalid_rsit');
      expect(fields(badClass)).toEqual([{ field: 'rsitClass', code: 'invalid_rsit' }]);
      const mismatched = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', rsitClass: 'fraud', rsitType: 'ddos' } }, 400, 'invalid_rsit');
      expect(fields(mismatched)).toEqual([{ field: 'rsitType', code: 'invalid_rsit' }]);
      await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', rsitType: 'phishing' } }, 400, 'invalid_rsit');
      await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', rsitClass: 'Fraud', rsitType: 'phishing' } }, 400, 'invalid_rsit');
      const before = await as(t, admin, { method: 'GET', url: `/api/v1/incidents/${incidentId}` });
      await refused({ who: 'admin', method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, payload: { rsitType: 'ddos' } }, 400, 'invalid_rsit');
      await refused({ who: 'admin', method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, payload: { title: 'changed along with a bad class', rsitClass: 'nope' } }, 400, 'invalid_rsit');
      const after = await as(t, admin, { method: 'GET', url: `/api/v1/incidents/${incidentId}` });
      expect(after.json()).toEqual(before.json());
    });

    it('refuses TLP values outside TLP 2.0', async () => {
      for (const tlp of ['WHITE', 'amber', 'AMBER-STRICT', 'AMBER+STRICT ', '', 'RED; DROP TABLE incidents']) {
        const res = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', tlp } }, 400, 'validation_failed');
        expect(fields(res).map((d) => d.field)).toContain('tlp');
      }
      await refused({ who: 'admin', method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, payload: { tlp: 'WHITE' } }, 400, 'validation_failed');
    });

    it('refuses impact levels other than 1–4', async () => {
      for (const level of [5, 0, -1, 2.5, '3', null]) {
        const res = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', level } }, 400, 'validation_failed');
        expect(fields(res).map((d) => d.field)).toContain('level');
      }
      await refused({ who: 'admin', method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, payload: { level: 5 } }, 400, 'validation_failed');
      const q = await refused({ who: 'admin', method: 'GET', url: '/api/v1/incidents?level=5' }, 400, 'validation_failed');
      expect(fields(q)).toEqual([{ field: 'level', code: 'maximum' }]);
    });

    it('refuses malformed identifiers, sectors and cursors', async () => {
      const ids = await refused({ who: 'admin', url: '/api/v1/incidents', payload: { title: 'x', reportIds: ['1 OR 1=1'], sector: 'military' } }, 400, 'validation_failed');
      expect(fields(ids)).toEqual(expect.arrayContaining([{ field: 'reportIds.0', code: 'format' }, { field: 'sector', code: 'not_allowed' }]));
      await refused({ who: 'admin', method: 'GET', url: "/api/v1/reports/1'%20OR%20'1'='1" }, 400, 'validation_failed');
      const cursor = await refused({ who: 'admin', method: 'GET', url: '/api/v1/reports?cursor=not-a-cursor' }, 400, 'validation_failed');
      expect(fields(cursor)).toEqual([{ field: 'cursor', code: 'invalid_cursor' }]);
    });
  });

  describe('hostile text', () => {
    const SQL = "'; DROP TABLE reports; --";
    const HTML = '<script>alert(1)</script>';

    it('stores SQL and HTML metacharacters in free text verbatim and returns them unaltered', async () => {
      const description = `${HTML}\n' OR '1'='1\n${SQL}\n<img src=x onerror=alert(document.cookie)>\n\\x00 %s %n {{7*7}} \${7*7}`;
      const body = reportBody({ title: SQL, description, reporter: { name: "Robert'); DROP TABLE students;--", organisation: HTML, email: 'bobby@example.com' } });
      const before = await counts();
      const res = await send({ payload: body });
      expect(res.statusCode, res.body).toBe(201);
      const { id, trackingToken } = res.json<{ id: string; trackingToken: string }>();
      expect((await counts()).reports).toBe(before.reports + 1);

      const detail = await as(t, admin, { method: 'GET', url: `/api/v1/reports/${id}` });
      expect(String(detail.headers['content-type'])).toMatch(/^application\/json/);
      const d = detail.json<{ title: string; description: string; reporter: { name: string; organisation: string } }>();
      expect(d.title).toBe(SQL);
      expect(d.description).toBe(description);
      expect(d.reporter).toMatchObject({ name: "Robert'); DROP TABLE students;--", organisation: HTML });

      const tracked = await send({ method: 'GET', url: `/api/v1/track/${trackingToken}` });
      expect(String(tracked.headers['content-type'])).toMatch(/^application\/json/);
      expect(tracked.json<{ title: string; description: string }>()).toMatchObject({ title: SQL, description });

      // Searching with metacharacters matches text; it does not change the query.
      const search = await as(t, admin, { method: 'GET', url: `/api/v1/reports?q=${encodeURIComponent("' OR '1'='1")}&limit=200` });
      expect(search.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual([id]);
      const wildcard = await as(t, admin, { method: 'GET', url: `/api/v1/reports?q=${encodeURIComponent('%')}&limit=200` });
      expect(wildcard.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual([id]);
      expect((await counts()).reports).toBeGreaterThan(1); // the table is still there
    });

    it('keeps hostile text verbatim in incidents, comments and reporter messages', async () => {
      const created = await as(t, admin, { method: 'POST', url: '/api/v1/incidents', payload: { title: HTML } });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: string; title: string }>().id;
      expect(created.json<{ title: string }>().title).toBe(HTML);
      expect((await as(t, admin, { method: 'POST', url: `/api/v1/incidents/${id}/comments`, payload: { body: SQL, visibility: 'internal' } })).statusCode).toBe(201);
      const detail = await as(t, admin, { method: 'GET', url: `/api/v1/incidents/${id}` });
      expect(detail.json<{ comments: { body: string }[] }>().comments.map((c) => c.body)).toEqual([SQL]);
      expect((await send({ url: `/api/v1/track/${trackToken}/messages`, payload: { body: HTML } })).statusCode).toBe(201);
      const tracked = await send({ method: 'GET', url: `/api/v1/track/${trackToken}` });
      expect(tracked.json<{ messages: { body: string }[] }>().messages.map((m) => m.body)).toContain(HTML);
    });

    it('refuses SQL and HTML metacharacters where a network syntax is expected', async () => {
      const res = await refused({ payload: reportBody({ assets: [SQL, HTML, 'example.com<script>', "example.com'--"] }) }, 400, 'validation_failed');
      expect(fields(res)).toEqual([0, 1, 2, 3].map((i) => ({ field: `assets.${i}`, code: 'invalid_asset' })));
    });
  });

  describe('multipart', () => {
    const report = JSON.stringify(reportBody());
    type Part = { field: string; name: string; data: Buffer };
    const file = (name: string, size: number, field = 'attachments'): Part => ({ field, name, data: Buffer.alloc(size, name.charCodeAt(0)) });
    const committed = () => new Set(filesUnder(join(t.db.dataDir, 'blobs')).filter((n) => /^[0-9a-f]{64}$/.test(n)));

    /**
     * A refused upload writes no row. The blob store may keep complete copies of in-limit files that
     * were streamed before the refusal (content-addressed, unreferenced), but never an over-limit or
     * partial file.
     */
    async function refusedUpload(parts: { fields?: Record<string, string>; files?: Part[]; url?: string }, status: number, code: string): Promise<LightMyRequestResponse> {
      const before = committed();
      const files = parts.files ?? [];
      const res = await refused({ ...(parts.url ? { url: parts.url } : {}), ...(await multipart(parts.fields ?? {}, files)) }, status, code);
      const inLimit = new Set(files.filter((f) => f.data.length <= MAX_ATTACHMENT).map((f) => sha256(f.data)));
      expect([...committed()].filter((h) => !before.has(h) && !inLimit.has(h))).toEqual([]);
      return res;
    }

    it('refuses an attachment over the limit with 413 and stores no report', async () => {
      await refusedUpload({ fields: { report }, files: [file('big.bin', MAX_ATTACHMENT + 1)] }, 413, 'attachment_too_large');
      await refusedUpload({ fields: { report }, files: [file('a.txt', 10), file('huge.bin', MAX_ATTACHMENT * 4)] }, 413, 'attachment_too_large');
      await refusedUpload({ url: `/api/v1/track/${trackToken}/attachments`, files: [file('late.bin', MAX_ATTACHMENT + 1)] }, 413, 'attachment_too_large');
    });

    it('refuses more attachments than allowed', async () => {
      const files = Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, i) => file(`${String.fromCharCode(97 + i)}-many.txt`, 100 + i));
      await refusedUpload({ fields: { report }, files }, 413, 'payload_too_large');
      await refusedUpload({ url: `/api/v1/track/${trackToken}/attachments`, files }, 413, 'payload_too_large');
    });

    it('refuses unknown multipart fields', async () => {
      const text = await refusedUpload({ fields: { report, isAdmin: 'true' } }, 400, 'validation_failed');
      expect(fields(text)).toEqual([{ field: 'isAdmin', code: 'unknown_field' }]);
      const upload = await refusedUpload({ fields: { report }, files: [file('x.txt', 10, 'evil')] }, 400, 'validation_failed');
      expect(fields(upload)).toEqual([{ field: 'evil', code: 'unknown_field' }]);
      const onTrack = await refusedUpload({ url: `/api/v1/track/${trackToken}/attachments`, fields: { report }, files: [file('y.txt', 10)] }, 400, 'validation_failed');
      expect(fields(onTrack)).toEqual([{ field: 'report', code: 'unknown_field' }]);
    });

    it('validates the report part like a JSON body', async () => {
      await refusedUpload({ fields: { report: '{"channel":' }, files: [file('z.txt', 10)] }, 400, 'invalid_json');
      const unknown = await refusedUpload({ fields: { report: JSON.stringify(reportBody({ extra: 1 })) }, files: [file('w.txt', 10)] }, 400, 'validation_failed');
      expect(fields(unknown)).toEqual([{ field: 'extra', code: 'unknown_field' }]);
      const asset = await refusedUpload({ fields: { report: JSON.stringify(reportBody({ assets: ['300.1.1.1'] })) }, files: [file('v.txt', 10)] }, 400, 'validation_failed');
      expect(fields(asset)).toEqual([{ field: 'assets.0', code: 'invalid_asset' }]);
      // A report field over the size limit is cut by the multipart parser; it must not be stored.
      const before = await counts();
      const oversized = await send(await multipart({ report: JSON.stringify(reportBody({ description: 'd'.repeat(MAX_BODY + 1) })) }, []));
      expect(oversized.statusCode).toBe(413);
      expect(oversized.json<ApiError>().error.code).toBe('payload_too_large');
      expect(await counts()).toEqual(before);
      await refusedUpload({ files: [file('u.txt', 10)] }, 400, 'validation_failed');
      await refusedUpload({ url: `/api/v1/track/${trackToken}/attachments` }, 400, 'validation_failed');
    });

    it('accepts attachments within the limits (control)', async () => {
      const before = await counts();
      const res = await send(await multipart({ report }, [file('ok-1.txt', MAX_ATTACHMENT), file('ok-2.txt', 1)]));
      expect(res.statusCode, res.body).toBe(201);
      const after = await counts();
      expect(after.reports - before.reports).toBe(1);
      expect(after.attachments - before.attachments).toBe(2);
    });
  });

  it('never answers arbitrary JSON with a 5xx nor stores part of it', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const nearlyValid = fc.record(
      {
        channel: fc.oneof(fc.constantFrom(...CHANNELS, 'fax'), fc.jsonValue({ maxDepth: 1 })),
        anonymous: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        category: fc.oneof(fc.constantFrom(...CATEGORIES), text),
        title: fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
        description: fc.oneof(text, fc.constant('   '), fc.constant(''), fc.jsonValue({ maxDepth: 1 })),
        reporter: fc.record({ name: text, email: fc.oneof(fc.constant('ming@example.com.tw'), fc.emailAddress(), text), phone: fc.oneof(fc.constant('+886 2 1234 5678'), text) }, { requiredKeys: [] }),
        occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), text),
        assets: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain(), fc.webUrl(), text), { maxLength: 5 }),
        technical: fc.record({ sourceIps: fc.array(fc.oneof(fc.ipV4(), text), { maxLength: 3 }), sourcePorts: fc.array(fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.jsonValue({ maxDepth: 0 })), { maxLength: 3 }), logs: text }, { requiredKeys: [] }),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    // A valid report whose free text is arbitrary Unicode: this one mostly reaches the database.
    const validWithArbitraryText = fc.record({ title: text, description: text, name: text }).map(({ title, description, name }) => reportBody({ title, description: `x${description}`, reporter: { name, email: 'ming@example.com.tw' } }));
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ stringUnit: 'binary' }), nearlyValid, validWithArbitraryText), async (generated) => {
        // U+0000 included: the API refuses it (PostgreSQL text cannot hold it) with a 400.
        const value = generated;
        const before = await counts();
        const res = await send({ payload: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
        const after = await counts();
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.json<ApiError>().error?.message ?? 'ok').not.toBe('');
        if (res.statusCode === 201) {
          accepted++;
          expect(after).toEqual({ ...before, reports: before.reports + 1, audit_log: before.audit_log + 1 });
        } else {
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(after).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
    // The generator must reach the storing path too, or it proves little about partial writes.
    expect(accepted).toBeGreaterThan(0);
  });
});
