/**
 * The mail side of notices, end to end: the notice's CSV of affected hosts leaves as a real
 * attachment (signed; encrypted too when the contact has a key) that gpg verifies and mailparser
 * reads; replies by mail acknowledge the notice (by threading or by the quoted acknowledgement
 * link, from the contact or a colleague) and keep the reply's text, auto-replies do not; notice
 * mail asks the relay for delivery status notifications (RFC 3461), a `delivered` (or `relayed`)
 * report makes the notice delivered and a failure bounces it at once — none of them becoming a
 * report. Real SMTP listener, swaks, an SMTP sink offering DSN as the relay, GnuPG. SQLite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, parseMimeTree } from '../src/lib/pgp.js';
import { GnuPG } from '../src/lib/pgp/testing/gnupg.js';
import type { Actor } from '../src/modules/auth/policy.js';
import { startMailIntake, type MailIntakeRunner } from '../src/modules/mail/intake-runner.js';
import { startSmtpSink, waitFor, type SmtpSink } from '../src/modules/mail/testing/smtp-sink.js';
import { swaksSend } from '../src/modules/mail/testing/swaks.js';
import { as, buildTestApp, createUser, login, TestClock, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';

const TEAM = 'report@cert.example.tw';
const PASSPHRASE = 'notice mail test passphrase';
const SYSTEM: Actor = { kind: 'system', component: 'test' };
const ALPHA = 'soc@alpha.example';
const BETA = 'it@beta.example.tw';
const GAMMA = 'ops@gamma.example';
const DELTA = 'noc@delta.example';
const EPSILON = 'cert@epsilon.example';

interface NoticeDetail {
  id: string;
  constituentId: string;
  recipient: string;
  topic: string;
  state: string;
  acknowledgedAt: string | null;
  acknowledgedVia: string | null;
  acknowledgedBy: string | null;
  note: string | null;
  body: string;
  mail: { id: string; state: string; messageId: string; encrypted: boolean | null; lastError: string | null } | null;
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** A delivery status notification (RFC 3464) as a reporting MTA writes it; the returned headers only when given a Message-ID. */
function dsn(o: { n: number; recipient: string; action: string; status: string; diagnostic: string; envid?: string; messageId?: string }): string {
  return `From: Mail Delivery System <MAILER-DAEMON@mx.example>
To: ${TEAM}
Subject: ${o.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Successful Mail Delivery Report'}
Message-ID: <dsn-${o.n}@mx.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-${o.n}"

--dsn-${o.n}
Content-Type: text/plain

This is the mail system at host mx.example. Your message was ${o.action}.
--dsn-${o.n}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example
${o.envid ? `Original-Envelope-Id: ${o.envid}\n` : ''}Arrival-Date: Sat, 28 Nov 2026 01:00:00 +0800 (CST)

Final-Recipient: rfc822; ${o.recipient}
Original-Recipient: rfc822;${o.recipient}
Action: ${o.action}
Status: ${o.status}
Diagnostic-Code: smtp; ${o.diagnostic}
${o.messageId ? `--dsn-${o.n}
Content-Type: text/rfc822-headers

From: ${TEAM}
To: ${o.recipient}
Message-ID: ${o.messageId}
` : ''}--dsn-${o.n}--
`;
}
const contact = (email: string, language: string) => ({ name: email.split('@')[0], role: 'security', email, language, notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] });

describe.each(testDialects())('notices by mail (%s)', (dialect) => {
  let t: TestApp;
  let clock: TestClock;
  let sink: SmtpSink;
  let runner: MailIntakeRunner;
  let gpg: GnuPG;
  let admin: Session;
  let teamFpr: string;
  const notice: Record<'alpha' | 'beta' | 'gamma' | 'delta' | 'epsilon', string> = { alpha: '', beta: '', gamma: '', delta: '', epsilon: '' };
  let seq = 0;

  const get = async <T>(url: string): Promise<T> => {
    const res = await as(t, admin, { method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const detail = (id: string) => get<NoticeDetail>(`/api/v1/notices/${id}`);
  const reportCount = async () => (await get<{ items: unknown[] }>('/api/v1/reports?limit=200')).items.length;
  const runJobs = async () => {
    while ((await t.c.queue.runReady()) > 0);
  };

  async function deliver(data: string, from: string): Promise<string> {
    const r = await swaksSend({ port: runner.smtp!.port, from, to: TEAM, data: crlf(data) });
    const id = /^250 .*queued as (\S+)/.exec(r.dataReply ?? '')?.[1];
    if (!id) throw new Error(`not accepted: ${r.dataReply}\n${r.output}`);
    return id;
  }
  /** Waits until intake is done with a spooled message (processed or quarantined). */
  async function processed(spoolId: string): Promise<string> {
    const spool = await t.c.mail.spool();
    return waitFor(async () => {
      const s = await spool.stateOf(spoolId);
      return s === 'processed' || s === 'quarantined' ? s : undefined;
    }, 15_000, `processing of ${spoolId}`);
  }

  const auditOf = (targetType: string, id: string) => t.c.db.selectFrom('audit_log').select(['action', 'details']).where('target_type', '=', targetType).where('target_id', '=', id).orderBy('seq').execute();

  beforeAll(async () => {
    sink = await startSmtpSink({ dsn: true }); // a relay that offers DSN
    clock = new TestClock(Date.now()); // keys and signatures are made at real time
    t = await buildTestApp(dialect, {
      clock,
      env: { TOCSIN_SMTP_PORT: '0', TOCSIN_MAIL_ADDRESSES: TEAM, TOCSIN_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, TOCSIN_PUBLIC_URL: 'https://cert.example.tw', TOCSIN_PGP_PASSPHRASE: PASSPHRASE },
    });
    await t.c.settings.update(SYSTEM, { email: TEAM, teamName: { 'zh-TW': '台灣電腦網路危機處理暨協調中心', en: 'TWCERT/CC' } });
    teamFpr = (await t.c.mail.keys.generateTeam(SYSTEM, { name: 'TWCERT/CC', email: TEAM })).key.fingerprint;
    runner = await startMailIntake(t.c.mail, t.c.config, { sweepMs: 3_600_000 });
    admin = await login(t, (await createUser(t, 'admin')).username);
    gpg = await GnuPG.create();
    const alphaFpr = await gpg.generateKey(`Alpha SOC <${ALPHA}>`);
    await gpg.importKey((await t.app.inject({ method: 'GET', url: '/pgp-key.asc' })).body);
    clock.set(new Date(Date.now() + 1000).toISOString());
    const key = await as(t, admin, { method: 'POST', url: '/api/v1/keys/contacts', payload: { armored: await gpg.exportPublic(alphaFpr) } });
    expect(key.statusCode, key.body).toBe(201);

    const mk = async (payload: Record<string, unknown>) => {
      const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const alpha = await mk({ name: 'Alpha Corp', sector: 'private', netblocks: ['192.0.2.0/25'], contacts: [contact(ALPHA, 'en')] });
    const beta = await mk({ name: '貝塔公司', sector: 'private', netblocks: ['198.51.100.0/24'], contacts: [contact(BETA, 'zh-TW')] });
    const gamma = await mk({ name: 'Gamma Ltd', sector: 'private', netblocks: ['203.0.113.0/24'], contacts: [contact(GAMMA, 'en')] });
    const delta = await mk({ name: 'Delta Networks', sector: 'private', netblocks: ['192.0.2.128/25'], contacts: [contact(DELTA, 'en')] });
    const epsilon = await mk({ name: 'Epsilon Lab', sector: 'private', netblocks: ['198.18.0.0/24'], contacts: [contact(EPSILON, 'en')] });
    const src = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', provider: 'Shadowserver', defaultTlp: 'AMBER' } });
    expect(src.statusCode, src.body).toBe(201);
    const csv = [SCAN_HTTP_HEADER, scanHttpRow('2026-11-20 00:00:00', '192.0.2.10'), scanHttpRow('2026-11-20 00:00:01', '192.0.2.11', 8080), scanHttpRow('2026-11-20 00:00:02', '198.51.100.20'), scanHttpRow('2026-11-20 00:00:03', '203.0.113.7'), scanHttpRow('2026-11-20 00:00:04', '192.0.2.200'), scanHttpRow('2026-11-20 00:00:05', '198.18.0.9')].join('\n');
    const res = await upload(t, admin, src.json<{ id: string }>().id, '2026-11-20-scan_http-taiwan-geo.csv', csv);
    expect(res.statusCode, res.body).toBe(202);
    await runJobs(); // the import, then the notices' mail
    const items = (await get<{ items: { id: string; constituentId: string }[] }>('/api/v1/notices?limit=50')).items;
    notice.alpha = items.find((n) => n.constituentId === alpha)!.id;
    notice.beta = items.find((n) => n.constituentId === beta)!.id;
    notice.gamma = items.find((n) => n.constituentId === gamma)!.id;
    notice.delta = items.find((n) => n.constituentId === delta)!.id;
    notice.epsilon = items.find((n) => n.constituentId === epsilon)!.id;
    await t.c.notifications.syncDelivery();
  });

  afterAll(async () => {
    await runner?.stop();
    await t?.close();
    await sink?.close();
    await gpg?.close();
  });

  it('sends the CSV of affected hosts as an attachment, encrypted and signed to a contact with a key', async () => {
    const n = await detail(notice.alpha);
    expect(n).toMatchObject({ state: 'sent', mail: { state: 'sent', encrypted: true } });
    const csvName = `affected-hosts-${n.topic}.csv`;
    expect(n.body).toContain(`attached file ${csvName}`);
    expect(n.body).toContain(`附件 ${csvName}`);
    expect(n.body).not.toContain('---- affected.csv ----');
    const wire = sink.to(ALPHA);
    expect(wire).toHaveLength(1);
    const root = parseMimeTree(wire[0]!.raw);
    expect(root.contentType.mediaType).toBe('multipart/encrypted');
    expect(wire[0]!.raw.toString()).not.toContain('192.0.2.10'); // nothing readable outside the encryption
    const out = await gpg.run(['--decrypt'], decodeBody(wire[0]!.raw, root.children[1]!));
    expect(out.status.some((l) => l.startsWith('DECRYPTION_OKAY'))).toBe(true);
    expect(out.status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true); // signed inside, over the whole entity
    const parsed = await simpleParser(out.stdout);
    expect(parsed.text).toContain('The full list');
    expect(parsed.attachments).toHaveLength(1);
    const att = parsed.attachments[0]!;
    expect(att.filename).toBe(csvName);
    expect(att.contentType).toBe('text/csv');
    const text = att.content.toString('utf8');
    expect(text.split('\r\n')[0]).toContain('ip');
    expect(text).toContain('192.0.2.10');
    expect(text).toContain('192.0.2.11');
    expect(text).not.toContain('198.51.100.20');
    // The outbox row names the attachment; its bytes are in the blob store.
    const outbox = await get<{ items: { id: string; attachments: { filename: string; contentType: string; sha256: string; size: number }[] }[] }>('/api/v1/mail/outbox?limit=100');
    const mail = outbox.items.find((o) => o.id === n.mail!.id)!;
    expect(mail.attachments).toEqual([{ filename: csvName, contentType: 'text/csv; charset=utf-8', sha256: createHash('sha256').update(att.content).digest('hex'), size: att.content.length }]);
  });

  it('signs the attachment with the message for a contact without a key; gpg verifies it, mailparser reads it', async () => {
    const n = await detail(notice.beta);
    expect(n).toMatchObject({ state: 'sent', mail: { encrypted: false } });
    const [wire] = sink.to(BETA);
    const root = parseMimeTree(wire!.raw);
    expect(root.contentType.mediaType).toBe('multipart/signed');
    const [signed, sig] = root.children;
    const tmp = await mkdtemp(join(tmpdir(), 'tocsin-notice-verify-'));
    try {
      await writeFile(join(tmp, 'signed.eml'), wire!.raw.subarray(signed!.start, signed!.end));
      await writeFile(join(tmp, 'signature.asc'), decodeBody(wire!.raw, sig!));
      const verify = await gpg.run(['--verify', join(tmp, 'signature.asc'), join(tmp, 'signed.eml')]);
      expect(verify.status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true);
      // A changed host in the attachment breaks the signature.
      const signedPart = wire!.raw.subarray(signed!.start, signed!.end).toString('latin1');
      const csvB64 = /filename=[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+)/.exec(signedPart)![1]!;
      const tampered = signedPart.replace(csvB64, Buffer.from(Buffer.from(csvB64.replace(/\r\n/g, ''), 'base64').toString('utf8').replace('198.51.100.20', '198.51.100.21')).toString('base64'));
      await writeFile(join(tmp, 'signed.eml'), Buffer.from(tampered, 'latin1'));
      const bad = await gpg.run(['--verify', join(tmp, 'signature.asc'), join(tmp, 'signed.eml')], undefined, true);
      expect(bad.status.some((l) => l.startsWith('BADSIG'))).toBe(true);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    const parsed = await simpleParser(wire!.raw);
    expect(parsed.subject).toContain('貝塔公司');
    expect(parsed.text).toMatch(/完整清單[\s\S]*The full list/); // zh-TW first, then English
    // mailparser lists the detached signature too (multipart/signed's second part).
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`affected-hosts-${n.topic}.csv`, 'text/csv'], ['signature.asc', 'application/pgp-signature']]);
    expect(parsed.attachments[0]!.content.toString('utf8')).toContain('198.51.100.20');
    expect(parsed.headers.get('x-tocsin-notice')).toBe(notice.beta);
  });

  it('asks the relay for delivery status notifications on notice mail: NOTIFY=SUCCESS,FAILURE, RET=HDRS, ENVID=the outbox id', async () => {
    for (const [id, address] of [[notice.alpha, ALPHA], [notice.delta, DELTA]] as const) {
      const n = await detail(id);
      const [wire] = sink.to(address);
      expect(wire!.mailParams).toEqual({ RET: 'HDRS', ENVID: n.mail!.id });
      expect(wire!.rcptParams).toEqual({ [address]: { NOTIFY: 'SUCCESS,FAILURE', ORCPT: `rfc822;${address}` } });
      expect(n).toMatchObject({ state: 'sent', mail: { state: 'sent' } });
    }
    // The relay offered DSN: its answer is recorded as it came.
    const mailId = (await detail(notice.delta)).mail!.id;
    const outbox = await get<{ items: { id: string; relayResponse: string | null }[] }>('/api/v1/mail/outbox?limit=100');
    expect(outbox.items.find((o) => o.id === mailId)!.relayResponse).not.toContain('DSN');
  });

  it('marks a notice delivered when a delivery status notification says so (by envelope id), without a report', async () => {
    const n = await detail(notice.delta);
    const reports = await reportCount();
    const raw = dsn({ n: ++seq, recipient: DELTA, action: 'delivered', status: '2.0.0', diagnostic: '250 2.0.0 Ok: queued as 4Zk3Qx1Lz9', envid: n.mail!.id });
    expect(await processed(await deliver(raw, ''))).toBe('processed');
    const after = await detail(notice.delta);
    expect(after.state).toBe('delivered');
    expect(after.mail).toMatchObject({ state: 'sent', lastError: null }); // the outbox says what the relay did: sent
    expect(await reportCount()).toBe(reports);
    expect((await auditOf('notice', notice.delta)).filter((a) => a.action === 'notice.delivered').map((a) => JSON.parse(a.details) as unknown)).toEqual([
      expect.objectContaining({ outboxId: n.mail!.id, previousState: 'sent', status: expect.stringContaining('250 2.0.0 Ok') as unknown }),
    ]);
    expect((await auditOf('mail_outbox', n.mail!.id)).map((a) => a.action)).toEqual(['mail.outbox.delivered']);
    // The same report again (the MTA retried), and a second one (another hop): nothing more.
    expect(await processed(await deliver(raw, ''))).toBe('processed');
    expect(await processed(await deliver(dsn({ n: ++seq, recipient: DELTA, action: 'relayed', status: '2.0.0', diagnostic: '250 relayed', envid: n.mail!.id }), ''))).toBe('processed');
    expect((await auditOf('notice', notice.delta)).filter((a) => a.action === 'notice.delivered')).toHaveLength(1);
    expect((await auditOf('mail_outbox', n.mail!.id)).map((a) => a.action)).toEqual(['mail.outbox.delivered']);
    expect(await reportCount()).toBe(reports);
    // A delivered notice still waits for its owner: it can be acknowledged.
    const token = /https:\/\/cert\.example\.tw\/notices\/ack\/([A-Za-z0-9_-]{43})/.exec(after.body)![1]!;
    const ack = await t.app.inject({ method: 'POST', url: `/api/v1/public/notices/ack/${token}` });
    expect(ack.statusCode, ack.body).toBeLessThan(400);
    expect((await detail(notice.delta)).state).toBe('acknowledged');
  });

  it('takes `relayed` found by the returned Message-ID as delivered, and a later failure still bounces the notice', async () => {
    const n = await detail(notice.epsilon);
    const reports = await reportCount();
    // A relay that dropped the envelope id: the returned headers name the mail.
    await processed(await deliver(dsn({ n: ++seq, recipient: EPSILON, action: 'relayed', status: '2.0.0', diagnostic: '250 relayed to a non-DSN-aware mailer', messageId: n.mail!.messageId }), ''));
    expect(await detail(notice.epsilon)).toMatchObject({ state: 'delivered', mail: { state: 'sent' } });
    await processed(await deliver(dsn({ n: ++seq, recipient: EPSILON, action: 'failed', status: '5.2.2', diagnostic: '552 5.2.2 mailbox full', envid: n.mail!.id, messageId: n.mail!.messageId }), ''));
    const after = await detail(notice.epsilon);
    expect(after).toMatchObject({ state: 'bounced', mail: { state: 'bounced', lastError: expect.stringContaining('mailbox full') as unknown } });
    expect((await auditOf('notice', notice.epsilon)).map((a) => a.action).filter((a) => a.startsWith('notice.') && a !== 'notice.read' && a !== 'notice.create')).toEqual(['notice.delivered', 'notice.bounce']);
    // A success report after the bounce changes nothing.
    await processed(await deliver(dsn({ n: ++seq, recipient: EPSILON, action: 'delivered', status: '2.0.0', diagnostic: '250 ok', envid: n.mail!.id }), ''));
    expect((await detail(notice.epsilon)).state).toBe('bounced');
    expect(await reportCount()).toBe(reports);
  });

  it('does not take an out-of-office reply for an acknowledgement, nor file it as a report', async () => {
    const n = await detail(notice.alpha);
    const reports = await reportCount();
    const id = await deliver(`From: Alpha SOC <${ALPHA}>
To: ${TEAM}
Subject: Automatic reply: ${n.mail!.messageId}
Auto-Submitted: auto-replied
Message-ID: <ooo-${++seq}@alpha.example>
In-Reply-To: ${n.mail!.messageId}

I am out of the office until Monday.
`, ALPHA);
    expect(await processed(id)).toBe('processed');
    expect(await detail(notice.alpha)).toMatchObject({ state: 'sent', acknowledgedVia: null, note: null });
    expect(await reportCount()).toBe(reports);
  });

  it('acknowledges by a reply threaded under the notice mail, from a colleague of the contact, and keeps the text', async () => {
    const n = await detail(notice.alpha);
    const reports = await reportCount();
    const raw = `From: Alpha CISO <ciso@alpha.example>
To: ${TEAM}
Subject: Re: your notice
Message-ID: <ack-${++seq}@alpha.example>
In-Reply-To: ${n.mail!.messageId}
References: ${n.mail!.messageId}
Content-Type: text/plain; charset=utf-8

Thanks, both web servers are being patched tonight.
`;
    await processed(await deliver(raw, 'ciso@alpha.example'));
    const after = await detail(notice.alpha);
    expect(after).toMatchObject({ state: 'acknowledged', acknowledgedVia: 'reply', acknowledgedBy: 'ciso@alpha.example' });
    expect(after.acknowledgedAt).not.toBeNull();
    expect(after.note).toContain('Reply from ciso@alpha.example');
    expect(after.note).toContain('both web servers are being patched tonight');
    expect(await reportCount()).toBe(reports);
    // The same message again (the sender's server retried): nothing changes.
    await processed(await deliver(raw, 'ciso@alpha.example'));
    expect((await detail(notice.alpha)).note).toBe(after.note);
    const audit = await t.c.db.selectFrom('audit_log').select(['action', 'details']).where('target_type', '=', 'notice').where('target_id', '=', notice.alpha).orderBy('seq').execute();
    expect(audit.filter((a) => a.action === 'notice.acknowledge')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'notice.reply').map((a) => JSON.parse(a.details) as { autoGenerated?: boolean; fromRecipient: boolean })).toEqual([
      expect.objectContaining({ autoGenerated: true, fromRecipient: true }),
      expect.objectContaining({ acknowledged: true, fromRecipient: false }),
    ]);
  });

  it('acknowledges by a reply that lost the threading headers but quotes the acknowledgement link', async () => {
    const n = await detail(notice.beta);
    const link = /https:\/\/cert\.example\.tw\/notices\/ack\/[A-Za-z0-9_-]{43}/.exec(n.body)![0];
    const reports = await reportCount();
    await processed(
      await deliver(`From: 資訊室 <${BETA}>
To: ${TEAM}
Subject: 回覆：通知
Message-ID: <ack-${++seq}@beta.example.tw>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

已收到，將於本週修補。

> 收到後請點選以下連結確認，或直接回覆本信：${link}
`, BETA),
    );
    const after = await detail(notice.beta);
    expect(after).toMatchObject({ state: 'acknowledged', acknowledgedVia: 'reply', acknowledgedBy: BETA });
    expect(after.note).toContain('已收到，將於本週修補。');
    expect(after.note).toContain('/notices/ack/[…]');
    expect(after.note).not.toContain(link); // the link's token is a secret: not kept
    expect(await reportCount()).toBe(reports);
  });

  it('bounces the notice at once when a delivery status notification about its mail comes back, without a report', async () => {
    const n = await detail(notice.gamma);
    expect(n.state).toBe('sent');
    const reports = await reportCount();
    const id = await deliver(`From: Mail Delivery System <MAILER-DAEMON@mx.gamma.example>
To: ${TEAM}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-${++seq}@mx.gamma.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain

Your message could not be delivered.
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.gamma.example

Final-Recipient: rfc822; ${GAMMA}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <${GAMMA}>: mailbox unavailable
--dsn
Content-Type: text/rfc822-headers

From: ${TEAM}
To: ${GAMMA}
Message-ID: ${n.mail!.messageId}
--dsn--
`, '');
    expect(await processed(id)).toBe('processed');
    const after = await detail(notice.gamma);
    expect(after.state).toBe('bounced');
    expect(after.mail).toMatchObject({ state: 'bounced', lastError: expect.stringContaining('mailbox unavailable') });
    expect(await reportCount()).toBe(reports);
    const audit = await t.c.db.selectFrom('audit_log').select('action').where('target_type', '=', 'notice').where('target_id', '=', notice.gamma).execute();
    expect(audit.map((a) => a.action)).toContain('notice.bounce');
    // A reply to the team about something else still becomes a report (the ordinary path is untouched).
    await processed(await deliver(`From: someone@example.net\nTo: ${TEAM}\nSubject: phishing ${++seq}\nMessage-ID: <r-${seq}@example.net>\n\nA phishing site at https://bad.example.net/\n`, 'someone@example.net'));
    expect(await reportCount()).toBe(reports + 1);
    // Its acknowledgement asks for no delivery status notifications (only notices do).
    await runJobs();
    const [ack] = sink.to('someone@example.net');
    expect(ack!.mailParams).toEqual({});
    expect(ack!.rcptParams).toEqual({ 'someone@example.net': {} });
  });

  it('leaves an acknowledged notice acknowledged when a success report comes late', async () => {
    const n = await detail(notice.alpha);
    expect(n.state).toBe('acknowledged');
    await processed(await deliver(dsn({ n: ++seq, recipient: ALPHA, action: 'delivered', status: '2.0.0', diagnostic: '250 ok', envid: n.mail!.id }), ''));
    expect(await detail(notice.alpha)).toMatchObject({ state: 'acknowledged', mail: { state: 'sent' } });
    expect((await auditOf('notice', notice.alpha)).some((a) => a.action === 'notice.delivered')).toBe(false);
  });
});
