/**
 * The authorization matrix: every /api/v1 route × every role and anonymous, through HTTP on real
 * databases. Allowed callers must really succeed (fixtures make the resource exist); denied callers
 * get 401 (anonymous) or 403 (signed in) and change nothing. A coverage check fails when a route is
 * registered without a row here, so new routes must state who may call them.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamKey } from '../src/lib/pgp.js';
import { ROLES, type Role } from '../src/modules/auth/policy.js';
import { EICAR } from '../src/modules/malware/analysis/content/filetype.js';
import { as, buildTestApp, createUser, login, PASSWORD, reportBody, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow } from './feeds.helpers.js';
import { drain } from './malware.helpers.js';

type Who = Role | 'anonymous';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const EVERYONE: readonly Who[] = [...ROLES, 'anonymous'];
const SIGNED_IN: readonly Who[] = ROLES;
const STAFF: readonly Who[] = ['admin', 'coordinator', 'analyst', 'auditor'];
const HANDLERS: readonly Who[] = ['admin', 'coordinator', 'analyst'];

interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

interface RouteCase {
  method: Method;
  /** The route as registered (with :params). */
  route: string;
  allow: readonly Who[];
  /** Status an allowed caller gets; a 4xx here means the call reached the service (e.g. 409 after setup). */
  ok: number;
  okCode?: string;
  build(f: Fixtures, who: Who): Promise<Req> | Req;
}

interface Fixtures {
  t: TestApp;
  s: Record<Role, Session>;
  usernames: Record<Role, string>;
  partnerBSession: Session;
  constituentBSession: Session;
  partnerA: string;
  partnerB: string;
  /** A third partner that only the matrix's hand-off rows use. */
  partnerC: string;
  consA: string;
  consB: string;
  victimUserId: string;
  ownReport: string;
  ownAttachment: string;
  otherReport: string;
  trackToken: string;
  handed: string;
  handoffA: string;
  handoffB: string;
  notHanded: string;
  work: string;
  task: string;
  /** One extra session per role, for logout (which ends the session it is called with). */
  spare: Record<Role, Session>;
  /** The EICAR test file, submitted by the constituent and analysed. */
  sample: string;
  /** The secret token of an anonymous (public route) submission of the same file. */
  sampleToken: string;
  yaraRule: string;
  /** A quarantined inbound message (a MIME nesting bomb: every release sends it back to quarantine). */
  spoolId: string;
  /** An armored public key of a contact, to import. */
  contactKey: string;
}

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

/** A multipart body with the bytes and content type a browser would send. */
async function multipart(fields: Record<string, string>, files: { field: string; name: string; data: Buffer }[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.data)]), f.name);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } };
}

async function call(f: Fixtures, who: Who | Session | null, method: Method, req: Req): Promise<LightMyRequestResponse> {
  const session = who === null || who === 'anonymous' ? null : typeof who === 'string' ? f.s[who] : who;
  return as(f.t, session, { method, url: req.url, ...(req.payload !== undefined ? { payload: req.payload as string } : {}), headers: req.headers ?? {}, ...(req.remoteAddress ? { remoteAddress: req.remoteAddress } : {}) });
}

/** A call that must succeed (fixture set-up); returns the parsed body. */
async function must<T>(f: Fixtures, who: Who | Session | null, method: Method, req: Req): Promise<T> {
  const res = await call(f, who, method, req);
  if (res.statusCode >= 300) throw new Error(`${method} ${req.url} → ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : undefined) as T;
}

/** One feed source per fixture set, made on first use (feed rows only). */
const feeds = new WeakMap<Fixtures, Promise<string>>();
const feedOf = (f: Fixtures) => {
  if (!feeds.has(f)) feeds.set(f, must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/feeds', payload: { name: `DROP ${uniq()}`, parser: 'drop', defaultTlp: 'CLEAR' } }).then((r) => r.id));
  return feeds.get(f)!;
};
/**
 * One notice per fixture set, made on first use: constituent A (in partner A's care) gets a netblock
 * and a contact, and a Shadowserver scan naming a host in it is imported. Each caller that may change
 * notices gets a fresh one through `freshNotice` (an acknowledged notice cannot be acknowledged again).
 */
const notices = new WeakMap<Fixtures, Promise<{ notice: string; feed: string }>>();
let noticeHost = 0;
async function freshNotice(f: Fixtures): Promise<{ notice: string; feed: string }> {
  const first = !notices.has(f);
  const feed = await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/feeds', payload: { name: `Shadowserver ${uniq()}`, parser: 'shadowserver', defaultTlp: 'AMBER' } });
  if (first) {
    const contact = { name: 'SOC', role: 'security', email: 'soc@univ.example.edu.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] };
    await must(f, 'admin', 'PATCH', { url: `/api/v1/constituents/${f.consA}`, payload: { netblocks: ['203.0.113.0/24'], contacts: [contact] } });
  }
  noticeHost++;
  const csv = `${SCAN_HTTP_HEADER}\n${scanHttpRow('2026-11-20 01:00:00', `203.0.113.${noticeHost}`)}\n`;
  await must(f, 'admin', 'POST', { url: `/api/v1/feeds/${feed.id}/import?fileName=2026-11-20-scan_http-taiwan-geo.csv`, payload: csv, headers: { 'content-type': 'text/csv' } });
  await drain(f.t);
  const list = await must<{ items: { id: string }[] }>(f, 'admin', 'GET', { url: `/api/v1/notices?feedSourceId=${feed.id}` });
  if (!list.items[0]) throw new Error(`the fixture import made no notice: ${JSON.stringify(await must(f, 'admin', 'GET', { url: `/api/v1/feeds/${feed.id}/imports` }))}`);
  return { notice: list.items[0].id, feed: feed.id };
}
const noticeFixture = (f: Fixtures) => {
  if (!notices.has(f)) notices.set(f, freshNotice(f));
  return notices.get(f)!;
};
const noticeOf = async (f: Fixtures) => (await noticeFixture(f)).notice;
const noticeFeedOf = async (f: Fixtures) => (await noticeFixture(f)).feed;
const freshReport = async (f: Fixtures) => (await must<{ id: string }>(f, null, 'POST', { url: '/api/v1/reports', payload: reportBody() })).id;
const freshIncident = async (f: Fixtures, extra: Record<string, unknown> = {}) => (await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/incidents', payload: { title: `Incident ${uniq()}`, ...extra } })).id;

/** The EICAR test file as a multipart sample upload. */
const eicarUpload = () => multipart({}, [{ field: 'file', name: 'eicar.com', data: Buffer.from(EICAR) }]);

const yaraRule = () => ({ name: `matrix_${uniq()}`, source: 'rule matrix_eicar { strings: $a = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE" condition: $a }' });

let contactKeyMade: Promise<string> | undefined;
/** A contact's public key to import (made once for both dialects, dated before the test clock). */
const contactKey = () =>
  (contactKeyMade ??= generateTeamKey({ identities: [{ name: 'Example University CSIRT', email: 'csirt@example.edu.tw' }], passphrase: 'contact key passphrase', date: new Date('2026-03-01T00:00:00.000Z') }).then((k) => k.armoredPublicKey));

/** An outbound message the relay refused for good (state failed), ready to be retried. */
async function failedMail(f: Fixtures): Promise<string> {
  const { id } = await f.t.c.mail.outbox.queueMail(f.t.c.db, { kind: 'reply', to: [{ address: 'ming@example.com.tw' }], subject: `Re: 通報 ${uniq()}`, body: '感謝通報。', language: 'zh-TW' });
  await f.t.c.db.updateTable('mail_outbox').set({ state: 'failed', last_error: '550 5.1.1 mailbox unavailable' }).where('id', '=', id).execute();
  return id;
}

/** MIME nested deeper than the parser allows: quarantined as too-deep, however often it is released. */
function nestingBomb(depth = 30): Buffer {
  let head = 'From: bomb@example.net\r\nSubject: nesting bomb\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n';
  let tail = '';
  for (let i = 1; i <= depth; i++) {
    head += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
    tail = `\r\n--b${i - 1}--\r\n` + tail;
  }
  return Buffer.from(`${head}--b${depth}\r\nContent-Type: text/plain\r\n\r\nboom\r\n--b${depth}--\r\n${tail}`);
}

async function auditCount(t: TestApp): Promise<number> {
  const r = await t.c.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const ROUTES: RouteCase[] = [
  // ── auth and self-service ────────────────────────────────────────────────────────────────
  { method: 'POST', route: '/api/v1/auth/login', allow: EVERYONE, ok: 200, build: (f, who) => ({ url: '/api/v1/auth/login', payload: { username: f.usernames.analyst, password: PASSWORD }, remoteAddress: `198.51.100.${EVERYONE.indexOf(who) + 1}` }) },
  { method: 'GET', route: '/api/v1/auth/session', allow: SIGNED_IN, ok: 200, build: () => ({ url: '/api/v1/auth/session' }) },
  { method: 'POST', route: '/api/v1/auth/logout', allow: EVERYONE, ok: 204, build: () => ({ url: '/api/v1/auth/logout' }) },
  { method: 'POST', route: '/api/v1/auth/mfa/setup', allow: SIGNED_IN, ok: 200, build: () => ({ url: '/api/v1/auth/mfa/setup' }) },
  // A code that can never match: reaching the check (400 mfa_invalid) shows the caller got through.
  { method: 'POST', route: '/api/v1/auth/mfa/confirm', allow: SIGNED_IN, ok: 400, okCode: 'mfa_invalid', build: async (f, who) => {
    if (who !== 'anonymous') await must(f, who, 'POST', { url: '/api/v1/auth/mfa/setup' });
    return { url: '/api/v1/auth/mfa/confirm', payload: { code: 'abcdef' } };
  } },
  { method: 'POST', route: '/api/v1/auth/mfa/disable', allow: SIGNED_IN, ok: 204, build: () => ({ url: '/api/v1/auth/mfa/disable', payload: { password: PASSWORD } }) },
  { method: 'GET', route: '/api/v1/auth/tokens', allow: SIGNED_IN, ok: 200, build: () => ({ url: '/api/v1/auth/tokens' }) },
  { method: 'POST', route: '/api/v1/auth/tokens', allow: SIGNED_IN, ok: 201, build: () => ({ url: '/api/v1/auth/tokens', payload: { name: `t-${uniq()}`, scopes: ['reports:read'], expiresInDays: 30 } }) },
  { method: 'DELETE', route: '/api/v1/auth/tokens/:id', allow: SIGNED_IN, ok: 204, build: async (f, who) => {
    // Each caller revokes a token of its own; anonymous gets one that exists (the admin's).
    const owner = who === 'anonymous' ? 'admin' : who;
    const { record } = await must<{ record: { id: string } }>(f, owner, 'POST', { url: '/api/v1/auth/tokens', payload: { name: `t-${uniq()}`, scopes: ['reports:read'], expiresInDays: 30 } });
    return { url: `/api/v1/auth/tokens/${record.id}` };
  } },
  { method: 'GET', route: '/api/v1/setup/status', allow: EVERYONE, ok: 200, build: () => ({ url: '/api/v1/setup/status' }) },
  // Users exist, so setup is over for everyone: 409 setup_done, never a second first admin.
  { method: 'POST', route: '/api/v1/setup', allow: EVERYONE, ok: 409, okCode: 'setup_done', build: () => ({ url: '/api/v1/setup', payload: { token: 'x'.repeat(32), username: `root${uniq()}`, displayName: 'Root', password: PASSWORD } }) },

  // ── administration ───────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/v1/users', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/users' }) },
  { method: 'POST', route: '/api/v1/users', allow: ['admin'], ok: 201, build: () => ({ url: '/api/v1/users', payload: { username: `u${uniq()}`, displayName: 'New analyst', password: PASSWORD, role: 'analyst' } }) },
  { method: 'PATCH', route: '/api/v1/users/:id', allow: ['admin'], ok: 200, build: (f) => ({ url: `/api/v1/users/${f.victimUserId}`, payload: { displayName: `Renamed ${uniq()}` } }) },
  { method: 'GET', route: '/api/v1/settings', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/settings' }) },
  { method: 'PUT', route: '/api/v1/settings', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/settings', payload: { phone: '+886 2 0000 0000' } }) },
  { method: 'GET', route: '/api/v1/deadline-policy', allow: [...STAFF, 'partner'], ok: 200, build: () => ({ url: '/api/v1/deadline-policy' }) },
  { method: 'PUT', route: '/api/v1/deadline-policy', allow: ['admin'], ok: 200, build: async (f) => ({ url: '/api/v1/deadline-policy', payload: await must(f, 'admin', 'GET', { url: '/api/v1/deadline-policy' }) }) },
  { method: 'GET', route: '/api/v1/audit', allow: ['admin', 'auditor'], ok: 200, build: () => ({ url: '/api/v1/audit?limit=5' }) },
  { method: 'GET', route: '/api/v1/stats', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/stats' }) },
  { method: 'GET', route: '/api/v1/public/settings', allow: EVERYONE, ok: 200, build: () => ({ url: '/api/v1/public/settings' }) },
  { method: 'GET', route: '/api/v1/taxonomy', allow: EVERYONE, ok: 200, build: () => ({ url: '/api/v1/taxonomy' }) },

  // ── partners and constituents ────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/v1/partners', allow: [...STAFF, 'partner'], ok: 200, build: () => ({ url: '/api/v1/partners' }) },
  { method: 'GET', route: '/api/v1/partners/:id', allow: [...STAFF, 'partner'], ok: 200, build: (f) => ({ url: `/api/v1/partners/${f.partnerA}` }) },
  { method: 'POST', route: '/api/v1/partners', allow: ['admin'], ok: 201, build: () => ({ url: '/api/v1/partners', payload: { shortName: `JP-${uniq()}`, nameZh: '日本電腦緊急應變小組', nameEn: 'JPCERT/CC', kind: 'foreign-cert', country: 'JP' } }) },
  { method: 'GET', route: '/api/v1/constituents', allow: [...STAFF, 'constituent'], ok: 200, build: () => ({ url: '/api/v1/constituents' }) },
  { method: 'GET', route: '/api/v1/constituents/:id', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/constituents/${f.consA}` }) },
  { method: 'POST', route: '/api/v1/constituents', allow: ['admin', 'coordinator'], ok: 201, build: () => ({ url: '/api/v1/constituents', payload: { name: `範例醫院 ${uniq()}`, sector: 'healthcare' } }) },
  { method: 'PATCH', route: '/api/v1/constituents/:id', allow: ['admin', 'coordinator'], ok: 200, build: (f) => ({ url: `/api/v1/constituents/${f.consA}`, payload: { sector: 'education' } }) },
  { method: 'DELETE', route: '/api/v1/constituents/:id', allow: ['admin', 'coordinator'], ok: 204, build: async (f) => ({ url: `/api/v1/constituents/${(await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/constituents', payload: { name: `暫時 ${uniq()}`, sector: 'private' } })).id}` }) },
  { method: 'POST', route: '/api/v1/constituents/import', allow: ['admin', 'coordinator'], ok: 200, build: () => ({ url: '/api/v1/constituents/import', payload: `name,sector\n匯入單位 ${uniq()},private\n`, headers: { 'content-type': 'text/csv' } }) },
  { method: 'GET', route: '/api/v1/constituents/export.csv', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/constituents/export.csv' }) },

  // ── feeds, events and notices ───────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/v1/feeds', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/feeds' }) },
  { method: 'POST', route: '/api/v1/feeds', allow: ['admin', 'coordinator'], ok: 201, build: () => ({ url: '/api/v1/feeds', payload: { name: `Feed ${uniq()}`, parser: 'drop', defaultTlp: 'CLEAR' } }) },
  { method: 'PATCH', route: '/api/v1/feeds/:id', allow: ['admin', 'coordinator'], ok: 200, build: async (f) => ({ url: `/api/v1/feeds/${await feedOf(f)}`, payload: { enabled: true } }) },
  // A polled source whose URL is a port fetch refuses (9, discard): a drained queue sends nothing.
  { method: 'POST', route: '/api/v1/feeds/:id/poll', allow: ['admin', 'coordinator'], ok: 202, build: async (f) => ({ url: `/api/v1/feeds/${(await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/feeds', payload: { name: `Polled ${uniq()}`, parser: 'drop', defaultTlp: 'CLEAR', pollUrl: 'http://127.0.0.1:9/drop.txt', schedule: '1d' } })).id}/poll` }) },
  { method: 'POST', route: '/api/v1/feeds/:id/import', allow: [...HANDLERS, 'partner'], ok: 202, build: async (f) => ({ url: `/api/v1/feeds/${await feedOf(f)}/import?fileName=drop.txt`, payload: '192.0.2.0/24 ; SBL1\n', headers: { 'content-type': 'text/plain' } }) },
  { method: 'GET', route: '/api/v1/feeds/:id/imports', allow: STAFF, ok: 200, build: async (f) => ({ url: `/api/v1/feeds/${await feedOf(f)}/imports` }) },
  { method: 'GET', route: '/api/v1/events', allow: [...STAFF, 'partner', 'constituent'], ok: 200, build: () => ({ url: '/api/v1/events' }) },
  { method: 'GET', route: '/api/v1/events/unmatched-summary', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/events/unmatched-summary' }) },
  { method: 'GET', route: '/api/v1/notices', allow: [...STAFF, 'partner', 'constituent'], ok: 200, build: () => ({ url: '/api/v1/notices' }) },
  { method: 'GET', route: '/api/v1/notices/counts', allow: [...STAFF, 'partner', 'constituent'], ok: 200, build: () => ({ url: '/api/v1/notices/counts' }) },
  { method: 'GET', route: '/api/v1/feeds/:id', allow: STAFF, ok: 200, build: async (f) => ({ url: `/api/v1/feeds/${await feedOf(f)}` }) },
  // An import: staff, and the partner that pushed it (each partner push answers with its own import's id).
  { method: 'GET', route: '/api/v1/feed-imports/:id', allow: STAFF, ok: 200, build: async (f) => ({ url: `/api/v1/feed-imports/${(await must<{ items: { id: string }[] }>(f, 'admin', 'GET', { url: `/api/v1/feeds/${await noticeFeedOf(f)}/imports` })).items[0]!.id}` }) },
  // A notice: staff, the constituent it is about, the partner caring for that constituent.
  { method: 'GET', route: '/api/v1/notices/:id', allow: [...STAFF, 'partner', 'constituent'], ok: 200, build: async (f) => ({ url: `/api/v1/notices/${await noticeOf(f)}` }) },
  { method: 'GET', route: '/api/v1/notices/:id/csv', allow: [...STAFF, 'partner', 'constituent'], ok: 200, build: async (f) => ({ url: `/api/v1/notices/${await noticeOf(f)}/csv` }) },
  { method: 'POST', route: '/api/v1/notices/:id/acknowledge', allow: HANDLERS, ok: 200, build: async (f, who) => ({ url: `/api/v1/notices/${HANDLERS.includes(who) ? (await freshNotice(f)).notice : await noticeOf(f)}/acknowledge`, payload: { note: '電話確認已收到' } }) },
  { method: 'POST', route: '/api/v1/notices/:id/resolve', allow: HANDLERS, ok: 200, build: async (f, who) => ({ url: `/api/v1/notices/${HANDLERS.includes(who) ? (await freshNotice(f)).notice : await noticeOf(f)}/resolve`, payload: {} }) },
  { method: 'GET', route: '/api/v1/public/notices/ack/:token', allow: EVERYONE, ok: 404, okCode: 'not_found', build: () => ({ url: `/api/v1/public/notices/ack/${'A'.repeat(43)}` }) },
  { method: 'POST', route: '/api/v1/public/notices/ack/:token', allow: EVERYONE, ok: 404, okCode: 'not_found', build: () => ({ url: `/api/v1/public/notices/ack/${'A'.repeat(43)}` }) },

  // ── reports ──────────────────────────────────────────────────────────────────────────────
  { method: 'POST', route: '/api/v1/reports', allow: EVERYONE, ok: 201, build: () => ({ url: '/api/v1/reports', payload: reportBody() }) },
  { method: 'POST', route: '/api/v1/reports/phone', allow: HANDLERS, ok: 201, build: () => ({ url: '/api/v1/reports/phone', payload: reportBody({ channel: 'phone' }) }) },
  { method: 'GET', route: '/api/v1/reports', allow: [...STAFF, 'constituent'], ok: 200, build: () => ({ url: '/api/v1/reports' }) },
  { method: 'GET', route: '/api/v1/reports/:id', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/reports/${f.ownReport}` }) },
  { method: 'GET', route: '/api/v1/reports/:id/attachments/:attachmentId', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/reports/${f.ownReport}/attachments/${f.ownAttachment}` }) },
  { method: 'POST', route: '/api/v1/reports/:id/reject', allow: HANDLERS, ok: 204, build: async (f) => ({ url: `/api/v1/reports/${await freshReport(f)}/reject`, payload: { reason: 'spam' } }) },
  { method: 'POST', route: '/api/v1/reports/bulk', allow: HANDLERS, ok: 204, build: async (f) => ({ url: '/api/v1/reports/bulk', payload: { ids: [await freshReport(f), await freshReport(f)], action: 'reject', note: 'duplicate' } }) },

  // ── the reporter's tracking page: the secret token is the credential ─────────────────────
  { method: 'GET', route: '/api/v1/track/:token', allow: EVERYONE, ok: 200, build: (f) => ({ url: `/api/v1/track/${f.trackToken}` }) },
  { method: 'POST', route: '/api/v1/track/:token/messages', allow: EVERYONE, ok: 201, build: (f) => ({ url: `/api/v1/track/${f.trackToken}/messages`, payload: { body: '補充：攻擊仍在持續。' } }) },
  { method: 'POST', route: '/api/v1/track/:token/attachments', allow: EVERYONE, ok: 201, build: async (f) => ({ url: `/api/v1/track/${f.trackToken}/attachments`, ...(await multipart({}, [{ field: 'attachments', name: 'headers.txt', data: Buffer.from(`Received: from mx.example ${uniq()}\n`) }])) }) },

  // ── incidents ────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/v1/incidents', allow: [...STAFF, 'partner'], ok: 200, build: () => ({ url: '/api/v1/incidents' }) },
  { method: 'POST', route: '/api/v1/incidents', allow: HANDLERS, ok: 201, build: () => ({ url: '/api/v1/incidents', payload: { title: `Phishing wave ${uniq()}`, rsitClass: 'fraud', rsitType: 'phishing', tlp: 'AMBER', level: 2 } }) },
  { method: 'GET', route: '/api/v1/incidents/:id', allow: [...STAFF, 'partner'], ok: 200, build: (f) => ({ url: `/api/v1/incidents/${f.handed}` }) },
  { method: 'PATCH', route: '/api/v1/incidents/:id', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/incidents/${f.work}`, payload: { advice: `Block the domain (${uniq()})` } }) },
  { method: 'GET', route: '/api/v1/incidents/:id/history', allow: [...STAFF, 'partner'], ok: 200, build: (f) => ({ url: `/api/v1/incidents/${f.handed}/history` }) },
  { method: 'POST', route: '/api/v1/incidents/:id/reports', allow: HANDLERS, ok: 200, build: async (f) => ({ url: `/api/v1/incidents/${f.work}/reports`, payload: { reportIds: [await freshReport(f)] } }) },
  { method: 'DELETE', route: '/api/v1/incidents/:id/reports/:reportId', allow: HANDLERS, ok: 200, build: async (f) => {
    const reportId = await freshReport(f);
    await must(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.work}/reports`, payload: { reportIds: [reportId] } });
    return { url: `/api/v1/incidents/${f.work}/reports/${reportId}` };
  } },
  { method: 'POST', route: '/api/v1/incidents/:id/merge', allow: HANDLERS, ok: 200, build: async (f) => ({ url: `/api/v1/incidents/${await freshIncident(f)}/merge`, payload: { sourceIncidentId: await freshIncident(f) } }) },
  { method: 'POST', route: '/api/v1/merges/:id/undo', allow: HANDLERS, ok: 200, build: async (f) => {
    const target = await freshIncident(f);
    const { mergeId } = await must<{ mergeId: string }>(f, 'admin', 'POST', { url: `/api/v1/incidents/${target}/merge`, payload: { sourceIncidentId: await freshIncident(f) } });
    return { url: `/api/v1/merges/${mergeId}/undo` };
  } },
  { method: 'POST', route: '/api/v1/incidents/:id/comments', allow: HANDLERS, ok: 201, build: (f) => ({ url: `/api/v1/incidents/${f.work}/comments`, payload: { body: 'Contacted the hosting provider.', visibility: 'internal' } }) },
  { method: 'POST', route: '/api/v1/incidents/:id/tasks', allow: HANDLERS, ok: 201, build: (f) => ({ url: `/api/v1/incidents/${f.work}/tasks`, payload: { title: 'Request takedown', dueAt: '2026-03-05T00:00:00.000Z' } }) },
  { method: 'PATCH', route: '/api/v1/tasks/:id', allow: HANDLERS, ok: 204, build: (f) => ({ url: `/api/v1/tasks/${f.task}`, payload: { title: `Request takedown (${uniq()})` } }) },
  { method: 'POST', route: '/api/v1/incidents/:id/handoffs', allow: HANDLERS, ok: 201, build: (f) => ({ url: `/api/v1/incidents/${f.work}/handoffs`, payload: { partnerId: f.partnerC, note: '請協助通知轄下業者。' } }) },
  // Feedback (回報): the partner the hand-off went to, or a coordinator recording it on its behalf.
  { method: 'POST', route: '/api/v1/handoffs/:id/feedback', allow: ['admin', 'coordinator', 'partner'], ok: 201, build: (f) => ({ url: `/api/v1/handoffs/${f.handoffA}/feedback`, payload: { body: '已通知該校，處理中。', status: 'in_progress' } }) },
  // ── mail: keys, quarantine, outbox, templates, public profile ────────────────────────────
  // The team key is published (security.txt, WKD, the portal): anyone may fetch it.
  { method: 'GET', route: '/api/v1/keys/team', allow: EVERYONE, ok: 200, build: () => ({ url: '/api/v1/keys/team' }) },
  { method: 'GET', route: '/api/v1/keys/contacts', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/keys/contacts' }) },
  // Whom the team encrypts to: admins and coordinators. The same key again is merged (201 again).
  { method: 'POST', route: '/api/v1/keys/contacts', allow: ['admin', 'coordinator'], ok: 201, build: (f) => ({ url: '/api/v1/keys/contacts', payload: { armored: f.contactKey } }) },
  // Quarantined mail is unread raw mail (personal data, possibly hostile): handlers only, not auditors.
  { method: 'GET', route: '/api/v1/mail/quarantine', allow: HANDLERS, ok: 200, build: () => ({ url: '/api/v1/mail/quarantine' }) },
  { method: 'GET', route: '/api/v1/mail/quarantine/:id/raw', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/mail/quarantine/${f.spoolId}/raw` }) },
  // Released, the nesting bomb is processed again and goes straight back (200 { outcome: 'quarantined' }).
  { method: 'POST', route: '/api/v1/mail/quarantine/:id/release', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/mail/quarantine/${f.spoolId}/release` }) },
  { method: 'GET', route: '/api/v1/mail/outbox', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/mail/outbox' }) },
  { method: 'POST', route: '/api/v1/mail/outbox/:id/retry', allow: HANDLERS, ok: 200, build: async (f) => ({ url: `/api/v1/mail/outbox/${await failedMail(f)}/retry` }) },
  { method: 'GET', route: '/api/v1/mail/templates', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/mail/templates' }) },
  { method: 'PUT', route: '/api/v1/mail/templates', allow: ['admin'], ok: 200, build: async (f) => ({ url: '/api/v1/mail/templates', payload: (await must<{ overrides: unknown }>(f, 'admin', 'GET', { url: '/api/v1/mail/templates' })).overrides }) },
  { method: 'GET', route: '/api/v1/mail/profile', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/mail/profile' }) },
  { method: 'PUT', route: '/api/v1/mail/profile', allow: ['admin'], ok: 200, build: () => ({ url: '/api/v1/mail/profile', payload: { securityTxt: { expiresDays: 180 } } }) },
  // A report's mail thread: whoever may read the report.
  { method: 'GET', route: '/api/v1/mail/reports/:id', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/mail/reports/${f.ownReport}` }) },

  // ── malware analysis ─────────────────────────────────────────────────────────────────────
  // Handlers and constituents submit; auditors only read; partners get hand-offs, not samples. A known file is reused (202).
  { method: 'POST', route: '/api/v1/samples', allow: [...HANDLERS, 'constituent'], ok: 202, build: async () => ({ url: '/api/v1/samples', ...(await eicarUpload()) }) },
  // The public route (turned on for this app): anyone, always as an anonymous submitter; the token it answers with is the credential.
  { method: 'POST', route: '/api/v1/public/samples', allow: EVERYONE, ok: 202, build: async () => ({ url: '/api/v1/public/samples', ...(await eicarUpload()) }) },
  { method: 'GET', route: '/api/v1/public/samples/:token', allow: EVERYONE, ok: 200, build: (f) => ({ url: `/api/v1/public/samples/${f.sampleToken}` }) },
  { method: 'GET', route: '/api/v1/public/samples/:token/report.pdf', allow: EVERYONE, ok: 200, build: (f) => ({ url: `/api/v1/public/samples/${f.sampleToken}/report.pdf` }) },
  { method: 'GET', route: '/api/v1/samples/schema', allow: EVERYONE, ok: 200, build: () => ({ url: '/api/v1/samples/schema' }) },
  // Staff, and the constituent whose user or organisation submitted the sample (the fixture sample is the constituent's).
  { method: 'GET', route: '/api/v1/samples', allow: [...STAFF, 'constituent'], ok: 200, build: () => ({ url: '/api/v1/samples' }) },
  { method: 'GET', route: '/api/v1/samples/:id', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}` }) },
  { method: 'GET', route: '/api/v1/samples/:id/status', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}/status` }) },
  { method: 'GET', route: '/api/v1/samples/:id/report.pdf', allow: [...STAFF, 'constituent'], ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}/report.pdf` }) },
  // The live sample: handlers only, even for the constituent that sent it.
  { method: 'GET', route: '/api/v1/samples/:id/download', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}/download` }) },
  // Each handler's re-analysis is run before the next caller asks (a queued one would answer 409).
  { method: 'POST', route: '/api/v1/samples/:id/reanalyse', allow: HANDLERS, ok: 202, build: async (f) => {
    await drain(f.t);
    return { url: `/api/v1/samples/${f.sample}/reanalyse` };
  } },
  { method: 'POST', route: '/api/v1/samples/:id/link', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}/link`, payload: { incidentId: f.work } }) },
  { method: 'POST', route: '/api/v1/samples/:id/indicators-to-incident', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/samples/${f.sample}/indicators-to-incident`, payload: { incidentId: f.work } }) },
  // A report's attachment as a sample: handlers; a constituent for its own organisation's report.
  { method: 'POST', route: '/api/v1/reports/:id/attachments/:attachmentId/analyse', allow: [...HANDLERS, 'constituent'], ok: 202, build: (f) => ({ url: `/api/v1/reports/${f.ownReport}/attachments/${f.ownAttachment}/analyse`, payload: {} }) },
  // Live indicators from samples of any TLP (also listed in an internal comment) and the samples themselves: staff only,
  // not the partner the incident was handed to (f.handed is handed to the partner's organisation).
  { method: 'GET', route: '/api/v1/incidents/:id/indicators', allow: STAFF, ok: 200, build: (f) => ({ url: `/api/v1/incidents/${f.handed}/indicators` }) },
  { method: 'GET', route: '/api/v1/incidents/:id/samples', allow: STAFF, ok: 200, build: (f) => ({ url: `/api/v1/incidents/${f.handed}/samples` }) },
  { method: 'GET', route: '/api/v1/yara-rules', allow: STAFF, ok: 200, build: () => ({ url: '/api/v1/yara-rules' }) },
  { method: 'GET', route: '/api/v1/yara-rules/:id', allow: STAFF, ok: 200, build: (f) => ({ url: `/api/v1/yara-rules/${f.yaraRule}` }) },
  { method: 'POST', route: '/api/v1/yara-rules', allow: HANDLERS, ok: 201, build: () => ({ url: '/api/v1/yara-rules', payload: yaraRule() }) },
  { method: 'PATCH', route: '/api/v1/yara-rules/:id', allow: HANDLERS, ok: 200, build: (f) => ({ url: `/api/v1/yara-rules/${f.yaraRule}`, payload: { description: `EICAR marker (${uniq()})` } }) },
  // Each handler deletes a rule set of its own; the others are refused the fixture's (compiling rules is slow).
  { method: 'DELETE', route: '/api/v1/yara-rules/:id', allow: HANDLERS, ok: 204, build: async (f, who) => ({ url: `/api/v1/yara-rules/${HANDLERS.includes(who) ? (await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/yara-rules', payload: yaraRule() })).id : f.yaraRule}` }) },
  { method: 'POST', route: '/api/v1/yara-rules/test', allow: HANDLERS, ok: 200, build: (f) => ({ url: '/api/v1/yara-rules/test', payload: { sampleId: f.sample, ruleId: f.yaraRule } }) },
];

/** Every /api/v1 route Fastify registered, as "METHOD /path" (HEAD is implied by GET). */
function registeredRoutes(app: FastifyInstance): string[] {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│├└─ ]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const depth = m[1].length / 4;
    const path = (depth > 1 ? (stack[depth - 1] ?? '') : '') + m[2];
    stack[depth] = path;
    stack.length = depth + 1;
    if (!m[3] || !path.startsWith('/api/v1/')) continue;
    const methods = m[3].split(', ');
    for (const method of methods) if (method !== 'HEAD' || !methods.includes('GET')) out.add(`${method} ${path}`);
  }
  return [...out].sort();
}

describe.each(testDialects())('authorization matrix (%s)', (dialect) => {
  let f: Fixtures;

  beforeAll(async () => {
    // Mail needs a passphrase for the team key; the public sample route is off unless allowed.
    const t = await buildTestApp(dialect, { env: { TOCSIN_PGP_PASSPHRASE: 'authz matrix passphrase', TOCSIN_ANON_SAMPLES_PER_HOUR: '50', TOCSIN_ANALYSIS_WORKERS: '1' } });
    const usernames = {} as Record<Role, string>;
    const partial = { t } as Fixtures;
    const partners = await (async () => {
      const admin = await createUser(t, 'admin');
      usernames.admin = admin.username;
      partial.s = { admin: await login(t, admin.username) } as Record<Role, Session>;
      return must<{ id: string; shortName: string }[]>(partial, 'admin', 'GET', { url: '/api/v1/partners' });
    })();
    const partnerA = partners.find((p) => p.shortName === 'TACERT')!.id;
    const partnerB = partners.find((p) => p.shortName === 'TWNCERT')!.id;
    const partnerC = partners.find((p) => p.shortName === 'NCC-CERT')!.id;
    const consA = (await must<{ id: string }>(partial, 'admin', 'POST', { url: '/api/v1/constituents', payload: { name: '國立範例大學', sector: 'education', partnerId: partnerA } })).id;
    const consB = (await must<{ id: string }>(partial, 'admin', 'POST', { url: '/api/v1/constituents', payload: { name: '範例市政府', sector: 'government', partnerId: partnerB } })).id;
    const orgOf = (r: Role) => (r === 'partner' ? partnerA : r === 'constituent' ? consA : null);
    for (const role of ROLES) {
      if (role === 'admin') continue;
      const u = await createUser(t, role, { organisationId: orgOf(role) });
      usernames[role] = u.username;
      partial.s[role] = await login(t, u.username);
    }
    partial.spare = {} as Record<Role, Session>;
    for (const role of ROLES) partial.spare[role] = await login(t, usernames[role]);
    partial.partnerBSession = await login(t, (await createUser(t, 'partner', { organisationId: partnerB })).username);
    partial.constituentBSession = await login(t, (await createUser(t, 'constituent', { organisationId: consB })).username);
    const victim = await createUser(t, 'analyst');

    // The constituent's own report, with an attachment; and an anonymous one outside its organisation.
    const mp = await multipart({ report: JSON.stringify(reportBody({ title: 'Defaced homepage' })) }, [{ field: 'attachments', name: 'screenshot.png', data: Buffer.from('\x89PNG fake image bytes') }]);
    const own = await must<{ id: string }>(partial, 'constituent', 'POST', { url: '/api/v1/reports', payload: mp.payload, headers: mp.headers });
    const ownDetail = await must<{ attachments: { id: string }[]; organisationId: string | null }>(partial, 'admin', 'GET', { url: `/api/v1/reports/${own.id}` });
    expect(ownDetail.organisationId).toBe(consA);
    const other = await must<{ id: string; trackingToken: string }>(partial, null, 'POST', { url: '/api/v1/reports', payload: reportBody() });

    Object.assign(partial, { usernames, partnerA, partnerB, partnerC, consA, consB, victimUserId: victim.id, ownReport: own.id, ownAttachment: ownDetail.attachments[0]!.id, otherReport: other.id, trackToken: other.trackingToken });
    f = partial;
    f.handed = await freshIncident(f, { reportIds: [other.id], constituentId: consA, sector: 'education' });
    f.handoffA = (await must<{ id: string }>(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.handed}/handoffs`, payload: { partnerId: partnerA, note: '請 TACERT 協助處理。' } })).id;
    f.handoffB = (await must<{ id: string }>(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.handed}/handoffs`, payload: { partnerId: partnerB, note: '副本給 TWNCERT。' } })).id;
    f.notHanded = await freshIncident(f);
    await must(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.notHanded}/handoffs`, payload: { partnerId: partnerB, note: '僅交付 TWNCERT。' } });
    await must(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.handed}/comments`, payload: { body: 'internal note', visibility: 'internal' } });
    f.work = await freshIncident(f);
    f.task = (await must<{ id: string }>(f, 'admin', 'POST', { url: `/api/v1/incidents/${f.work}/tasks`, payload: { title: 'Collect logs' } })).id;

    // Mail: a quarantined message. Malware: the EICAR file from the constituent and from an anonymous
    // submitter, and a YARA rule set. The samples are analysed while the team key is made (both take a while).
    const spool = await t.c.mail.spool();
    f.spoolId = (await spool.store(nestingBomb(), { source: 'smtp', mailFrom: 'bomb@example.net', rcptTo: ['twcert@cert.example.tw'], receivedAt: t.clock.now().toISOString() })).id;
    await t.c.mail.intake.processPending();
    expect(await spool.stateOf(f.spoolId)).toBe('quarantined');
    f.sample = (await must<{ sampleId: string }>(f, 'constituent', 'POST', { url: '/api/v1/samples', ...(await eicarUpload()) })).sampleId;
    f.sampleToken = (await must<{ reportToken: string }>(f, null, 'POST', { url: '/api/v1/public/samples', ...(await eicarUpload()) })).reportToken;
    f.yaraRule = (await must<{ id: string }>(f, 'admin', 'POST', { url: '/api/v1/yara-rules', payload: yaraRule() })).id;
    [f.contactKey] = await Promise.all([contactKey(), t.c.mail.keys.generateTeam({ kind: 'system', component: 'authz-matrix' }, { name: 'TWCERT/CC', email: 'twcert@cert.example.tw' }), drain(t)]);
  });

  afterAll(async () => {
    await f?.t.close();
  });

  it('lists every registered /api/v1 route exactly once', () => {
    const table = ROUTES.map((r) => `${r.method} ${r.route}`);
    expect(new Set(table).size).toBe(table.length);
    expect([...table].sort()).toEqual(registeredRoutes(f.t.app));
    for (const r of ROUTES) expect(f.t.app.hasRoute({ method: r.method, url: r.route }), `${r.method} ${r.route}`).toBe(true);
  });

  for (const rc of ROUTES) {
    it(`${rc.method} ${rc.route}`, async () => {
      const problems: string[] = [];
      for (const who of EVERYONE) {
        const allowed = rc.allow.includes(who);
        const req = await rc.build(f, who);
        const session = who === 'anonymous' ? null : rc.route === '/api/v1/auth/logout' ? f.spare[who] : f.s[who];
        const before = allowed ? 0 : await auditCount(f.t);
        const res = await call(f, session, rc.method, req);
        const code = res.headers['content-type']?.toString().includes('json') && res.body ? (res.json<{ error?: { code?: string } }>().error?.code ?? null) : null;
        if (allowed) {
          if (res.statusCode !== rc.ok || (rc.okCode !== undefined && code !== rc.okCode)) problems.push(`${who} may: expected ${rc.ok}${rc.okCode ? ` ${rc.okCode}` : ''}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
        } else {
          const [status, expectedCode] = who === 'anonymous' ? [401, 'unauthenticated'] : [403, 'forbidden'];
          if (res.statusCode !== status || code !== expectedCode) problems.push(`${who} may not: expected ${status} ${expectedCode}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
          const after = await auditCount(f.t);
          if (after !== before) problems.push(`${who} was refused but ${after - before} audit entries were written`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  describe('partners see only what was handed to their organisation', () => {
    it('lists only incidents handed to the partner', async () => {
      const mine = await must<{ items: { id: string }[] }>(f, 'partner', 'GET', { url: '/api/v1/incidents?limit=200' });
      expect(mine.items.map((i) => i.id)).toEqual([f.handed]);
      const theirs = await must<{ items: { id: string }[] }>(f, f.partnerBSession, 'GET', { url: '/api/v1/incidents?limit=200' });
      expect(theirs.items.map((i) => i.id).sort()).toEqual([f.handed, f.notHanded].sort());
    });

    it('refuses incidents not handed to the partner', async () => {
      for (const url of [`/api/v1/incidents/${f.notHanded}`, `/api/v1/incidents/${f.notHanded}/history`, `/api/v1/incidents/${f.work}`]) {
        const res = await call(f, 'partner', 'GET', { url });
        expect(res.statusCode, url).toBe(403);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('forbidden');
      }
    });

    it('shows a partner only its own hand-off, without reports, comments or tasks', async () => {
      const d = await must<{ handoffs: { id: string; partnerId: string }[]; reports: unknown[]; comments: unknown[]; tasks: unknown[] }>(f, 'partner', 'GET', { url: `/api/v1/incidents/${f.handed}` });
      expect(d.handoffs.map((h) => h.id)).toEqual([f.handoffA]);
      expect(d.reports).toEqual([]);
      expect(d.comments).toEqual([]);
      expect(d.tasks).toEqual([]);
      const staffView = await must<{ handoffs: unknown[]; reports: unknown[]; comments: unknown[] }>(f, 'analyst', 'GET', { url: `/api/v1/incidents/${f.handed}` });
      expect(staffView.handoffs).toHaveLength(2);
      expect(staffView.reports).toHaveLength(1);
      expect(staffView.comments).toHaveLength(1);
      expect(await must(f, 'partner', 'GET', { url: `/api/v1/incidents/${f.handed}/history` })).toEqual([]);
    });

    it('lets a partner answer only its own hand-off', async () => {
      const wrong = await call(f, 'partner', 'POST', { url: `/api/v1/handoffs/${f.handoffB}/feedback`, payload: { body: 'not ours' } });
      expect(wrong.statusCode).toBe(403);
      const wrongB = await call(f, f.partnerBSession, 'POST', { url: `/api/v1/handoffs/${f.handoffA}/feedback`, payload: { body: 'not ours' } });
      expect(wrongB.statusCode).toBe(403);
      const right = await call(f, f.partnerBSession, 'POST', { url: `/api/v1/handoffs/${f.handoffB}/feedback`, payload: { body: '已收到。', status: 'acknowledged' } });
      expect(right.statusCode).toBe(201);
      const d = await must<{ handoffs: { id: string; status: string; feedback: { body: string }[] }[] }>(f, 'admin', 'GET', { url: `/api/v1/incidents/${f.handed}` });
      const b = d.handoffs.find((h) => h.id === f.handoffB)!;
      expect(b.status).toBe('acknowledged');
      expect(b.feedback.map((x) => x.body)).toEqual(['已收到。']);
    });

    it('shows a partner only its own partner record', async () => {
      const list = await must<{ id: string }[]>(f, 'partner', 'GET', { url: '/api/v1/partners' });
      expect(list.map((p) => p.id)).toEqual([f.partnerA]);
      expect((await call(f, 'partner', 'GET', { url: `/api/v1/partners/${f.partnerB}` })).statusCode).toBe(403);
    });
  });

  describe('constituents see only their own organisation', () => {
    it('lists only the organisation’s reports', async () => {
      const mine = await must<{ items: { id: string; organisationId: string | null }[] }>(f, 'constituent', 'GET', { url: '/api/v1/reports?limit=200' });
      expect(mine.items.length).toBeGreaterThanOrEqual(1);
      expect(mine.items.map((r) => r.id)).toContain(f.ownReport);
      expect(mine.items.every((r) => r.organisationId === f.consA)).toBe(true);
      const theirs = await must<{ items: { id: string }[] }>(f, f.constituentBSession, 'GET', { url: '/api/v1/reports?limit=200' });
      expect(theirs.items).toEqual([]);
    });

    it('refuses other organisations’ reports, attachments and records', async () => {
      const cases: [Session | Role, string][] = [
        ['constituent', `/api/v1/reports/${f.otherReport}`],
        [f.constituentBSession, `/api/v1/reports/${f.ownReport}`],
        [f.constituentBSession, `/api/v1/reports/${f.ownReport}/attachments/${f.ownAttachment}`],
        ['constituent', `/api/v1/constituents/${f.consB}`],
        ['constituent', `/api/v1/incidents/${f.handed}`],
      ];
      for (const [who, url] of cases) expect((await call(f, who, 'GET', { url })).statusCode, url).toBe(403);
      const list = await must<{ id: string }[]>(f, 'constituent', 'GET', { url: '/api/v1/constituents' });
      expect(list.map((c) => c.id)).toEqual([f.consA]);
    });

    it('serves attachments as downloads, never inline', async () => {
      const res = await call(f, 'constituent', 'GET', { url: `/api/v1/reports/${f.ownReport}/attachments/${f.ownAttachment}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    });
  });

  describe('reporters reach only their own report, by its secret token', () => {
    it('answers an unknown token with 404 and stores nothing', async () => {
      for (const token of ['x'.repeat(32), f.trackToken.slice(0, -1) + (f.trackToken.endsWith('A') ? 'B' : 'A')]) {
        expect((await call(f, null, 'GET', { url: `/api/v1/track/${token}` })).statusCode).toBe(404);
        expect((await call(f, null, 'POST', { url: `/api/v1/track/${token}/messages`, payload: { body: 'hi' } })).statusCode).toBe(404);
      }
    });
  });

  describe('sessions', () => {
    it('refuses cookie-authenticated writes without the CSRF token', async () => {
      const res = await f.t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'no csrf' }, headers: { cookie: f.s.admin.cookie } });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('csrf_failed');
      const wrong = await f.t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: 'bad csrf' }, headers: { cookie: f.s.admin.cookie, 'x-csrf-token': f.s.analyst.csrf } });
      expect(wrong.statusCode).toBe(403);
    });

    it('treats an unknown session cookie as anonymous', async () => {
      const res = await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { cookie: 'tocsin_session=forged' } });
      expect(res.statusCode).toBe(401);
    });
  });

  describe('API tokens', () => {
    async function token(who: Role, scopes: string[], expiresInDays = 30): Promise<{ token: string; id: string }> {
      const r = await must<{ token: string; record: { id: string } }>(f, who, 'POST', { url: '/api/v1/auth/tokens', payload: { name: `script-${uniq()}`, scopes, expiresInDays } });
      return { token: r.token, id: r.record.id };
    }
    const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });

    it('lets a reports:write token file an API report but nothing else', async () => {
      const { token: tok } = await token('analyst', ['reports:write']);
      const created = await f.t.app.inject({ method: 'POST', url: '/api/v1/reports', headers: bearer(tok), payload: reportBody({ channel: 'api' }) });
      expect(created.statusCode).toBe(201);
      const stored = await must<{ channel: string }>(f, 'admin', 'GET', { url: `/api/v1/reports/${created.json<{ id: string }>().id}` });
      expect(stored.channel).toBe('api');
      for (const [method, url] of [['GET', '/api/v1/incidents'], ['GET', '/api/v1/reports'], ['GET', '/api/v1/users'], ['GET', '/api/v1/auth/tokens']] as const) {
        const res = await f.t.app.inject({ method, url, headers: { ...bearer(tok), 'accept-language': 'en' } });
        expect(res.statusCode, url).toBe(403);
        const err = res.json<{ error: { code: string; message: string } }>().error;
        expect(err.code).toBe('token_scope');
        expect(err.message).toContain(url === '/api/v1/reports' ? 'reports:read' : url === '/api/v1/incidents' ? 'incidents:read' : '-');
      }
    });

    it('keeps the API channel for tokens', async () => {
      const res = await call(f, 'analyst', 'POST', { url: '/api/v1/reports', payload: reportBody({ channel: 'api' }) });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { details: { field: string; code: string }[] } }>().error.details).toEqual([{ field: 'channel', code: 'channel_not_allowed' }]);
    });

    it('limits a token to its owner’s role', async () => {
      const { token: partnerTok } = await token('partner', ['incidents:read']);
      const list = await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(partnerTok) });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([f.handed]);
      expect((await f.t.app.inject({ method: 'GET', url: `/api/v1/incidents/${f.notHanded}`, headers: bearer(partnerTok) })).statusCode).toBe(403);
      const { token: constTok } = await token('constituent', ['incidents:read', 'incidents:write']);
      expect((await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(constTok) })).statusCode).toBe(403);
      expect((await f.t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(constTok), payload: { title: 'x' } })).statusCode).toBe(403);
    });

    it('refuses revoked, expired and unknown tokens with 401', async () => {
      const revoked = await token('coordinator', ['incidents:read']);
      expect((await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(revoked.token) })).statusCode).toBe(200);
      await must(f, 'coordinator', 'DELETE', { url: `/api/v1/auth/tokens/${revoked.id}` });
      const afterRevoke = await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(revoked.token) });
      expect(afterRevoke.statusCode).toBe(401);
      expect(afterRevoke.json<{ error: { code: string } }>().error.code).toBe('token_invalid');

      const expiring = await token('coordinator', ['incidents:read'], 1);
      expect((await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(expiring.token) })).statusCode).toBe(200);
      const twoDays = 2 * 24 * 3600 * 1000;
      f.t.clock.advance(twoDays);
      try {
        const expired = await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(expiring.token) });
        expect(expired.statusCode).toBe(401);
        expect(expired.json<{ error: { code: string } }>().error.code).toBe('token_invalid');
      } finally {
        f.t.clock.advance(-twoDays);
      }

      for (const header of ['Bearer tcn_not-a-real-token', 'Bearer', 'Basic YWRtaW46cGFzc3dvcmQ=']) {
        const res = await f.t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: header } });
        expect(res.statusCode, header).toBe(401);
      }
    });

    it('cannot revoke another user’s token', async () => {
      const theirs = await token('admin', ['reports:read']);
      const res = await call(f, 'analyst', 'DELETE', { url: `/api/v1/auth/tokens/${theirs.id}` });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect((await f.t.app.inject({ method: 'GET', url: '/api/v1/reports', headers: bearer(theirs.token) })).statusCode).toBe(200);
    });
  });
});
