/**
 * Mail end to end through the real app, the real SMTP listener and clients we did not write:
 * GnuPG fetches the team key from /pgp-key.asc and WKD, encrypts and signs a report, swaks delivers
 * it; the report appears decrypted with a verified signature and its attachment; the acknowledgement
 * and a console reply reach an SMTP sink standing in for the relay, where gpg decrypts and verifies
 * them. Replies thread, machine mail gets no acknowledgement, unreadable mail is quarantined, and the
 * relay's temporary and permanent refusals are retried or recorded. SQLite and PostgreSQL.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, headerValue, parseHeaderBlock, parseMimeTree, wkdHash } from '../src/lib/pgp.js';
import { decodeHeaderValue } from '../src/modules/mail/index.js';
import { GnuPG } from '../src/lib/pgp/testing/gnupg.js';
import type { Actor } from '../src/modules/auth/policy.js';
import { startMailIntake, type MailIntakeRunner } from '../src/modules/mail/intake-runner.js';
import { startSmtpSink, waitFor, type SinkMessage, type SmtpSink } from '../src/modules/mail/testing/smtp-sink.js';
import { swaksSend } from '../src/modules/mail/testing/swaks.js';
import { as, buildTestApp, createUser, login, TestClock, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const TEAM = 'report@cert.example.tw';
const REPORTER = 'wang@example.com.tw';
const PASSPHRASE = 'mail e2e test passphrase';
const SYSTEM: Actor = { kind: 'system', component: 'test' };
const EVIDENCE = Buffer.concat([Buffer.from('%PDF-1.4 evidence\n'), Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d, 0x0a])]);

interface ReportDetail {
  id: string;
  trackingNumber: string;
  channel: string;
  title: string | null;
  description: string;
  language: string;
  incidentId: string | null;
  reporter: { name: string | null; email: string | null };
  pgp: Record<string, unknown> | null;
  messages: { from: string; body: string }[];
  attachments: { id: string; filename: string; size: number; sha256: string }[];
}

interface OutboxItem {
  id: string;
  kind: string;
  state: string;
  to: { address: string }[];
  reportId: string | null;
  messageId: string;
  encrypted: boolean | null;
  attempts: number;
  lastError: string | null;
}

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe.each(testDialects())('mail end to end (%s)', (dialect) => {
  let t: TestApp;
  let clock: TestClock;
  let sink: SmtpSink;
  let runner: MailIntakeRunner;
  let gpg: GnuPG;
  let admin: Session;
  let reporterFpr: string;
  let teamFpr: string;
  let busyRefusals = 0;
  let seq = 0;

  const get = async <T>(url: string, s: Session | null = admin): Promise<T> => {
    const res = await as(t, s, { method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };

  async function deliver(data: string | Buffer, from = REPORTER): Promise<string> {
    const r = await swaksSend({ port: runner.smtp!.port, from, to: TEAM, data: typeof data === 'string' ? crlf(data) : data });
    const id = /^250 .*queued as (\S+)/.exec(r.dataReply ?? '')?.[1];
    if (!id) throw new Error(`not accepted: ${r.dataReply}\n${r.output}`);
    return id;
  }

  async function reportFor(spoolId: string): Promise<ReportDetail> {
    const row = await waitFor(() => t.c.db.selectFrom('mail_inbound').select('report_id').where('spool_id', '=', spoolId).executeTakeFirst(), 15_000, `report for ${spoolId}`);
    return get<ReportDetail>(`/api/v1/reports/${row.report_id}`);
  }

  async function outboxFor(reportId: string): Promise<OutboxItem[]> {
    return (await get<{ items: OutboxItem[] }>(`/api/v1/mail/outbox?reportId=${reportId}`)).items;
  }

  /** Decrypts a PGP/MIME message with gpg; returns the decrypted MIME entity and gpg's status lines. */
  async function gpgOpen(m: SinkMessage): Promise<{ entity: Buffer; status: string[]; text: string }> {
    const root = parseMimeTree(m.raw);
    expect(root.contentType.mediaType).toBe('multipart/encrypted');
    const out = await gpg.run(['--decrypt'], decodeBody(m.raw, root.children[1]!));
    const inner = parseMimeTree(out.stdout);
    const textPart = inner.contentType.mediaType === 'text/plain' ? inner : inner.children.find((c) => c.contentType.mediaType === 'text/plain')!;
    return { entity: out.stdout, status: out.status, text: decodeBody(out.stdout, textPart).toString('utf8') };
  }

  const header = (m: SinkMessage, name: string) => {
    const v = headerValue(parseHeaderBlock(m.raw), name.toLowerCase());
    return v === undefined ? undefined : decodeHeaderValue(v).trim();
  };

  beforeAll(async () => {
    sink = await startSmtpSink({
      refuse: (address) => {
        if (address === 'nobody@example.net') return { code: 550, message: '5.1.1 <nobody@example.net>: Recipient address rejected: no such user' };
        if (address === 'busy@example.net' && busyRefusals > 0) {
          busyRefusals--;
          return { code: 451, message: '4.3.2 Try again later' };
        }
        return null;
      },
    });
    clock = new TestClock(Date.now()); // keys and signatures are made at real time
    t = await buildTestApp(dialect, {
      clock,
      env: {
        TOCSIN_SMTP_PORT: '0',
        TOCSIN_MAIL_ADDRESSES: TEAM,
        TOCSIN_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
        TOCSIN_PUBLIC_URL: 'https://cert.example.tw',
        TOCSIN_PGP_PASSPHRASE: PASSPHRASE,
      },
    });
    await t.c.settings.update(SYSTEM, { email: TEAM, teamName: { 'zh-TW': '台灣電腦網路危機處理暨協調中心', en: 'TWCERT/CC' } });
    teamFpr = (await t.c.mail.keys.generateTeam(SYSTEM, { name: 'TWCERT/CC', email: TEAM })).key.fingerprint;
    runner = await startMailIntake(t.c.mail, t.c.config, { sweepMs: 3_600_000 });
    admin = await login(t, (await createUser(t, 'admin')).username);
    gpg = await GnuPG.create();
    reporterFpr = await gpg.generateKey(`Reporter Wang <${REPORTER}>`);
    clock.set(new Date(Date.now() + 1000).toISOString()); // the reporter's key exists "now"
  });

  afterAll(async () => {
    await runner?.stop();
    await t?.close();
    await sink?.close();
    await gpg?.close();
  });

  it('publishes the team key (/pgp-key.asc, WKD), a signed security.txt and the RFC 2350 page', async () => {
    const asc = await t.app.inject({ method: 'GET', url: '/pgp-key.asc' });
    expect(asc.statusCode).toBe(200);
    expect(asc.headers['content-type']).toContain('application/pgp-keys');
    const imported = await gpg.importKey(asc.body);
    expect(imported.status.some((l) => l.startsWith(`IMPORT_OK`) && l.includes(teamFpr))).toBe(true);

    const wkd = await t.app.inject({ method: 'GET', url: `/.well-known/openpgpkey/hu/${wkdHash('report')}?l=report` });
    expect(wkd.statusCode).toBe(200);
    expect(wkd.rawPayload[0]! & 0x80).toBe(0x80); // binary OpenPGP, not armor
    const shown = await gpg.run(['--with-colons', '--import-options', 'show-only', '--import'], wkd.rawPayload);
    expect(shown.stdout.toString()).toContain(teamFpr);
    expect((await t.app.inject({ method: 'GET', url: `/.well-known/openpgpkey/hu/${wkdHash('nobody')}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/.well-known/openpgpkey/policy' })).statusCode).toBe(200);

    const sec = await t.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(sec.statusCode).toBe(200);
    expect(sec.body).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----/);
    for (const line of [`Contact: mailto:${TEAM}`, 'Encryption: https://cert.example.tw/pgp-key.asc', 'Preferred-Languages: zh-TW, en', 'Canonical: https://cert.example.tw/.well-known/security.txt', 'Policy: https://cert.example.tw/rfc2350']) {
      expect(sec.body).toContain(line);
    }
    expect(sec.body).toMatch(/^Expires: \d{4}-\d{2}-\d{2}T00:00:00Z$/m);
    const verified = await gpg.run(['--verify'], sec.body);
    expect(verified.status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true);

    const en = await t.app.inject({ method: 'GET', url: '/rfc2350', headers: { 'accept-language': 'en-US,en;q=0.9,zh-TW;q=0.5' } });
    expect(en.body).toContain('Description as specified in RFC 2350');
    expect(en.headers['content-language']).toBe('en');
    const zh = await t.app.inject({ method: 'GET', url: '/rfc2350?lang=zh-TW' });
    expect(zh.body).toContain('依 RFC 2350 之團隊說明');
    expect((await gpg.run(['--verify'], zh.body)).status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true);

    const pub = await get<{ pgpFingerprint: string | null; pgpKeyUrl: string | null }>('/api/v1/public/settings', null);
    expect(pub).toMatchObject({ pgpFingerprint: teamFpr, pgpKeyUrl: 'https://cert.example.tw/pgp-key.asc' });
    const team = await get<{ fingerprint: string }>('/api/v1/keys/team', null);
    expect(team.fingerprint).toBe(teamFpr);
  });

  let report: ReportDetail;
  const reporterMessageId = `<gpg-report-${Date.now()}@example.com.tw>`;

  it('turns a GnuPG-encrypted and signed report delivered by swaks into a report, and acknowledges it encrypted', async () => {
    const contact = await as(t, admin, { method: 'POST', url: '/api/v1/keys/contacts', payload: { armored: await gpg.exportPublic(reporterFpr) } });
    expect(contact.statusCode).toBe(201);
    expect(contact.json()).toMatchObject({ fingerprint: reporterFpr, emails: [REPORTER], canEncrypt: true, revoked: false });

    const inner = crlf(`Content-Type: multipart/mixed; boundary="in"

--in
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

您好，我們發現 https://login.bank.example.phish/ 偽冒網路銀行，證據如附件。
--in
Content-Type: application/pdf; name="evidence.pdf"
Content-Disposition: attachment; filename="evidence.pdf"
Content-Transfer-Encoding: base64

${EVIDENCE.toString('base64')}
--in--
`);
    const armored = (await gpg.run(['--armor', '--encrypt', '--sign', '-r', TEAM, '-u', reporterFpr], inner)).stdout.toString();
    const spoolId = await deliver(`From: 王小明 <${REPORTER}>
To: ${TEAM}
Subject: 釣魚網站通報
Message-ID: ${reporterMessageId}
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"

--enc
Content-Type: application/pgp-encrypted

Version: 1

--enc
Content-Type: application/octet-stream; name="encrypted.asc"

${armored}
--enc--
`);
    report = await reportFor(spoolId);
    expect(report).toMatchObject({ channel: 'email', title: '釣魚網站通報', language: 'zh-TW', reporter: { name: '王小明', email: REPORTER } });
    expect(report.description).toContain('偽冒網路銀行');
    expect(report.pgp).toMatchObject({ encrypted: true, decrypted: true, signed: true, verified: true, signerFingerprint: reporterFpr, signerMatchesFrom: true, failure: null });
    const att = report.attachments.find((a) => a.filename === 'evidence.pdf')!;
    expect(att).toMatchObject({ size: EVIDENCE.length, sha256: createHash('sha256').update(EVIDENCE).digest('hex') });
    const download = await as(t, admin, { method: 'GET', url: `/api/v1/reports/${report.id}/attachments/${att.id}` });
    expect(download.rawPayload.equals(EVIDENCE)).toBe(true);

    // The acknowledgement: queued with the report, sent by the job, encrypted to the reporter's key.
    await t.c.queue.runReady();
    const ack = await waitFor(() => sink.to(REPORTER)[0], 5000, 'acknowledgement');
    expect(ack.mailFrom).toBe(TEAM);
    expect(header(ack, 'In-Reply-To')).toBe(reporterMessageId);
    expect(header(ack, 'Auto-Submitted')).toBe('auto-replied');
    expect(header(ack, 'X-Tocsin-Tracking')).toBe(report.trackingNumber);
    const opened = await gpgOpen(ack);
    expect(opened.status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true);
    expect(opened.text).toContain(`案件編號為 ${report.trackingNumber}`);
    expect(opened.text).toMatch(/https:\/\/cert\.example\.tw\/track\/[A-Za-z0-9_-]{20,}/);
    const [item] = await outboxFor(report.id);
    expect(item).toMatchObject({ kind: 'acknowledgement', state: 'sent', encrypted: true, attempts: 1, lastError: null });

    const thread = await get<{ inbound: { kind: string; pgp: { verified: boolean } }[]; outbound: unknown[] }>(`/api/v1/mail/reports/${report.id}`);
    expect(thread.inbound).toMatchObject([{ kind: 'report', pgp: { verified: true } }]);
    expect(thread.outbound).toHaveLength(1);
  });

  it('mails a console reply to the reporter, encrypted and signed, threaded under their message', async () => {
    const inc = await as(t, admin, { method: 'POST', url: '/api/v1/incidents', payload: { title: '偽冒網銀釣魚網站', reportIds: [report.id] } });
    expect(inc.statusCode).toBe(201);
    const incidentId = inc.json<{ id: string }>().id;
    const before = sink.to(REPORTER).length;
    const comment = await as(t, admin, { method: 'POST', url: `/api/v1/incidents/${incidentId}/comments`, payload: { body: '已聯繫網站代管業者，網站已於今日下架。', visibility: 'reporter' } });
    expect(comment.statusCode).toBe(201);
    const internal = await as(t, admin, { method: 'POST', url: `/api/v1/incidents/${incidentId}/comments`, payload: { body: 'internal only', visibility: 'internal' } });
    expect(internal.statusCode).toBe(201);
    await t.c.queue.runReady();
    const all = await waitFor(() => (sink.to(REPORTER).length > before ? sink.to(REPORTER) : undefined), 5000, 'reply');
    expect(all).toHaveLength(before + 1); // the internal comment is not mailed
    const reply = all.at(-1)!;
    expect(header(reply, 'Subject')).toContain(report.trackingNumber);
    expect(header(reply, 'In-Reply-To')).toBe(reporterMessageId);
    const opened = await gpgOpen(reply);
    expect(opened.status.some((l) => l.startsWith(`VALIDSIG ${teamFpr}`))).toBe(true);
    expect(opened.status.some((l) => l.startsWith('DECRYPTION_OKAY'))).toBe(true);
    expect(opened.text).toContain('已聯繫網站代管業者，網站已於今日下架。');
    expect((await outboxFor(report.id)).map((o) => [o.kind, o.state])).toEqual([
      ['reply', 'sent'],
      ['acknowledgement', 'sent'],
    ]); // newest first
  });

  it('threads replies by tracking number and by In-Reply-To into the report and the incident, without acknowledging them', async () => {
    const reports = async () => (await get<{ items: unknown[] }>('/api/v1/reports?channel=email&limit=200')).items.length;
    const count = await reports();
    const tagged = await deliver(`From: ${REPORTER}
To: ${TEAM}
Subject: Re: [${report.trackingNumber}] 補充資料
Message-ID: <reply-1-${Date.now()}@example.com.tw>
Content-Type: multipart/mixed; boundary="x"

--x
Content-Type: text/plain; charset=utf-8

補充：另一個網址 https://login2.bank.example.phish/
--x
Content-Type: text/plain; name="urls.txt"
Content-Disposition: attachment; filename="urls.txt"

https://login2.bank.example.phish/
--x--
`);
    await waitFor(() => t.c.db.selectFrom('mail_inbound').select('id').where('spool_id', '=', tagged).executeTakeFirst(), 10_000, 'tagged reply');
    const ourAck = (await outboxFor(report.id)).find((o) => o.kind === 'acknowledgement')!.messageId;
    const threaded = await deliver(`From: ${REPORTER}
To: ${TEAM}
Subject: one more thing
Message-ID: <reply-2-${Date.now()}@example.com.tw>
In-Reply-To: ${ourAck}
References: ${reporterMessageId} ${ourAck}
Content-Type: text/plain; charset=utf-8

The site is back online under a new address.
`);
    await waitFor(() => t.c.db.selectFrom('mail_inbound').select('id').where('spool_id', '=', threaded).executeTakeFirst(), 10_000, 'threaded reply');
    const detail = await get<ReportDetail>(`/api/v1/reports/${report.id}`);
    const fromReporter = detail.messages.filter((m) => m.from === 'reporter').map((m) => m.body);
    expect(fromReporter.some((b) => b.includes('login2.bank.example.phish'))).toBe(true);
    expect(fromReporter.some((b) => b.includes('back online'))).toBe(true);
    expect(detail.attachments.map((a) => a.filename)).toContain('urls.txt');
    expect(await reports()).toBe(count); // no new report
    const history = await get<{ action: string }[]>(`/api/v1/incidents/${detail.incidentId}/history`);
    expect(history.filter((h) => h.action === 'reporter_message')).toHaveLength(2);
    await t.c.queue.runReady();
    expect((await outboxFor(report.id)).filter((o) => o.kind === 'acknowledgement')).toHaveLength(1);
  });

  it('files auto-generated mail without acknowledging it, and acknowledges plain mail signed only', async () => {
    const auto = await reportFor(
      await deliver(
        `From: Out of office <ooo@example.net>
To: ${TEAM}
Subject: Automatic reply: away until Monday
Auto-Submitted: auto-replied
Message-ID: <ooo-${++seq}@example.net>

I am away.
`,
        'ooo@example.net',
      ),
    );
    const plain = await reportFor(
      await deliver(
        `From: Alice <alice@example.net>
To: ${TEAM}
Subject: Defaced homepage
Message-ID: <plain-${++seq}@example.net>

Our homepage at https://www.example.net/ was defaced tonight.
`,
        'alice@example.net',
      ),
    );
    expect(plain.language).toBe('en');
    expect(plain.pgp).toMatchObject({ encrypted: false, signed: false });
    await t.c.queue.runReady();
    expect(await outboxFor(auto.id)).toEqual([]);
    const [ack] = await outboxFor(plain.id);
    expect(ack).toMatchObject({ kind: 'acknowledgement', state: 'sent', encrypted: false });
    const wire = sink.to('alice@example.net')[0]!;
    expect(parseMimeTree(wire.raw).contentType.mediaType).toBe('multipart/signed');
    expect(wire.raw.toString()).toContain(`We received your report`);
  });

  it('marks an outbound message bounced when a delivery status notification about it comes back', async () => {
    const aliceReport = (await get<{ items: { id: string; title: string | null }[] }>('/api/v1/reports?channel=email&limit=200')).items.find((r) => r.title === 'Defaced homepage')!;
    const [ack] = await outboxFor(aliceReport.id);
    const reports = (await get<{ items: unknown[] }>('/api/v1/reports?channel=email&limit=200')).items.length;
    await deliver(
      `From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: ${TEAM}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-${++seq}@mx.example.net>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.
--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.net>: mailbox unavailable
--dsn
Content-Type: text/rfc822-headers

From: ${TEAM}
To: alice@example.net
Message-ID: ${ack!.messageId}
--dsn--
`,
      'mailer-daemon@mx.example.net',
    );
    const bounced = await waitFor(async () => (await outboxFor(aliceReport.id)).find((o) => o.state === 'bounced'), 10_000, 'bounced state');
    expect(bounced.lastError).toContain('mailbox unavailable');
    expect((await get<{ items: unknown[] }>('/api/v1/reports?channel=email&limit=200')).items).toHaveLength(reports);
    const thread = await get<{ inbound: { kind: string }[] }>(`/api/v1/mail/reports/${aliceReport.id}`);
    expect(thread.inbound.map((i) => i.kind)).toEqual(['report', 'bounce']);
  });

  it('takes a success report about an acknowledgement as delivery: the mail stays sent, the thread shows it, no report', async () => {
    const ack = (await get<{ items: OutboxItem[] }>('/api/v1/mail/outbox?state=sent&limit=100')).items.find((o) => o.kind === 'acknowledgement')!;
    const reports = (await get<{ items: unknown[] }>('/api/v1/reports?channel=email&limit=200')).items.length;
    const before = (await get<{ inbound: { kind: string }[] }>(`/api/v1/mail/reports/${ack.reportId!}`)).inbound.length;
    const spoolId = await deliver(
      `From: Mail Delivery System <MAILER-DAEMON@mx.example.com.tw>
To: ${TEAM}
Subject: Successful Mail Delivery Report
Message-ID: <dsn-${++seq}@mx.example.com.tw>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com.tw

Final-Recipient: rfc822; ${ack.to[0]!.address}
Action: delivered
Status: 2.0.0
--dsn
Content-Type: text/rfc822-headers

Message-ID: ${ack.messageId}
--dsn--
`,
      '',
    );
    const thread = await waitFor(async () => {
      const th = await get<{ inbound: { kind: string }[] }>(`/api/v1/mail/reports/${ack.reportId!}`);
      return th.inbound.length > before ? th : undefined;
    }, 10_000, `delivery report ${spoolId}`);
    expect(thread.inbound.map((i) => i.kind).at(-1)).toBe('delivery');
    expect((await outboxFor(ack.reportId!)).find((o) => o.id === ack.id)).toMatchObject({ state: 'sent', lastError: null });
    expect((await get<{ items: unknown[] }>('/api/v1/reports?channel=email&limit=200')).items).toHaveLength(reports);
  });

  it('sends notice mail through a relay that does not offer DSN, without the parameters, and says so on the row', async () => {
    const { id } = await t.c.db.transaction().execute((trx) => t.c.mail.outbox.queueMail(trx, { kind: 'notice', to: [{ address: 'noc@example.org' }], subject: 'Notice: open resolver', body: 'An open resolver at 192.0.2.53.', language: 'en', autoSubmitted: 'auto-generated' }));
    while ((await t.c.queue.runReady()) > 0);
    const row = (await get<{ items: (OutboxItem & { relayResponse: string | null })[] }>('/api/v1/mail/outbox?limit=100')).items.find((o) => o.id === id)!;
    expect(row).toMatchObject({ state: 'sent', attempts: 1, lastError: null });
    expect(row.relayResponse).toMatch(/^250 .*\(the relay offers no DSN: no delivery confirmation will come\)$/);
    const [wire] = sink.to('noc@example.org');
    expect(wire!.mailParams).toEqual({});
    expect(wire!.rcptParams).toEqual({ 'noc@example.org': {} });
  });

  it('quarantines what it cannot read, lists it with the reason, serves the raw message and can release it', async () => {
    const secret = (await gpg.run(['--armor', '--encrypt', '-r', reporterFpr], 'for my eyes only')).stdout.toString(); // not to the team key
    const data = crlf(`From: ${REPORTER}
To: ${TEAM}
Subject: encrypted to the wrong key
Message-ID: <wrong-key-${++seq}@example.com.tw>

${secret}`);
    const id = await deliver(data);
    const item = await waitFor(async () => (await get<{ items: { id: string; code: string; from: string; subject: string }[] }>('/api/v1/mail/quarantine')).items.find((i) => i.id === id), 10_000, 'quarantine entry');
    expect(item).toMatchObject({ code: 'pgp-no-key', from: REPORTER, subject: 'encrypted to the wrong key' });

    const raw = await as(t, admin, { method: 'GET', url: `/api/v1/mail/quarantine/${id}/raw` });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-disposition']).toContain(`${id}.eml`);
    expect(raw.rawPayload.toString()).toContain('-----BEGIN PGP MESSAGE-----');
    expect(raw.rawPayload.toString()).toContain('Subject: encrypted to the wrong key');

    const analyst = await login(t, (await createUser(t, 'analyst')).username);
    const auditor = await login(t, (await createUser(t, 'auditor')).username);
    expect((await as(t, analyst, { method: 'GET', url: '/api/v1/mail/quarantine' })).statusCode).toBe(200);
    expect((await as(t, auditor, { method: 'GET', url: '/api/v1/mail/quarantine' })).statusCode).toBe(403);
    expect((await as(t, null, { method: 'GET', url: `/api/v1/mail/quarantine/${id}/raw` })).statusCode).toBe(401);

    const released = await as(t, analyst, { method: 'POST', url: `/api/v1/mail/quarantine/${id}/release` });
    expect(released.json()).toMatchObject({ outcome: 'quarantined', code: 'pgp-no-key' });
    expect((await get<{ items: { id: string }[] }>('/api/v1/mail/quarantine')).items.some((i) => i.id === id)).toBe(true);
  });

  it('retries a temporary relay refusal with backoff and fails a permanent one at once with the reason', async () => {
    busyRefusals = 1;
    const busy = await reportFor(await deliver(`From: busy@example.net\nTo: ${TEAM}\nSubject: busy ${++seq}\nMessage-ID: <busy-${seq}@example.net>\n\nplease ack\n`, 'busy@example.net'));
    const nobody = await reportFor(await deliver(`From: nobody@example.net\nTo: ${TEAM}\nSubject: nobody ${++seq}\nMessage-ID: <nobody-${seq}@example.net>\n\nplease ack\n`, 'nobody@example.net'));
    await t.c.queue.runReady();
    expect((await outboxFor(busy.id))[0]).toMatchObject({ state: 'queued', attempts: 1, lastError: expect.stringContaining('451') });
    const failed = (await outboxFor(nobody.id))[0]!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('550') });
    expect(failed.lastError).toContain('Recipient address rejected');

    expect(await t.c.queue.runReady()).toBe(0); // the retry waits for its backoff
    clock.advance(61_000);
    await t.c.queue.runReady();
    expect((await outboxFor(busy.id))[0]).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
    expect(sink.to('busy@example.net')).toHaveLength(1);
    expect((await outboxFor(nobody.id))[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(sink.to('nobody@example.net')).toHaveLength(0);

    const retried = await as(t, admin, { method: 'POST', url: `/api/v1/mail/outbox/${failed.id}/retry` });
    expect(retried.json()).toMatchObject({ state: 'queued' });
    await t.c.queue.runReady();
    expect((await outboxFor(nobody.id))[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringContaining('550') });
  });

  it('lets administrators edit the bilingual templates, refusing unknown variables', async () => {
    const bad = await as(t, admin, { method: 'PUT', url: '/api/v1/mail/templates', payload: { acknowledgement: { en: { subject: '[{{trackingNumber}}] ok', text: 'Hi {{reporterPassword}}' } } } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('reporterPassword');
    const good = await as(t, admin, { method: 'PUT', url: '/api/v1/mail/templates', payload: { acknowledgement: { en: { subject: 'Received [{{trackingNumber}}]', text: 'Thanks. Number: {{trackingNumber}}.\n{{teamName}}' } } } });
    expect(good.statusCode).toBe(200);
    const r = await reportFor(await deliver(`From: carol@example.net\nTo: ${TEAM}\nSubject: template ${++seq}\nMessage-ID: <tpl-${seq}@example.net>\n\nA plain English report about a phishing site.\n`, 'carol@example.net'));
    await t.c.queue.runReady();
    const wire = sink.to('carol@example.net')[0]!;
    expect(header(wire, 'Subject')).toBe(`Received [${r.trackingNumber}]`);
    expect(wire.raw.toString()).toContain(`Thanks. Number: ${r.trackingNumber}.`);
    const analyst = await login(t, (await createUser(t, 'analyst')).username);
    expect((await as(t, analyst, { method: 'GET', url: '/api/v1/mail/templates' })).statusCode).toBe(403);
  });
});

describe('mail config', () => {
  it('refuses a listener without reporting addresses and a team key without a passphrase', async () => {
    const { loadConfig } = await import('../src/config.js');
    expect(() => loadConfig({ TOCSIN_SMTP_PORT: '2525' })).toThrow(/TOCSIN_MAIL_ADDRESSES/);
    expect(() => loadConfig({ TOCSIN_RELAY_URL: 'http://relay' })).toThrow(/TOCSIN_RELAY_URL/);
    const dir = await mkdtemp(join(tmpdir(), 'tocsin-mailcfg-'));
    try {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'keys'));
      await writeFile(join(dir, 'keys', 'team.asc'), 'x');
      expect(() => loadConfig({ TOCSIN_DATA_DIR: dir })).toThrow(/TOCSIN_PGP_PASSPHRASE/);
      const ok = loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_PGP_PASSPHRASE: PASSPHRASE, TOCSIN_SMTP_PORT: '2525', TOCSIN_MAIL_ADDRESSES: 'report@cert.example.tw, @cert.example.tw', TOCSIN_RELAY_URL: 'smtps://u:p%40ss@relay.example:465' });
      expect(ok.mail.smtp).toMatchObject({ port: 2525, tls: null });
      expect(ok.mail.addresses).toEqual(['report@cert.example.tw', '@cert.example.tw']);
      expect(ok.mail.relay).toEqual({ host: 'relay.example', port: 465, secure: true, user: 'u', password: 'p@ss' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
