/**
 * Feeds by mail, end to end: the SMTP listener accepts a feed source's address (looked up in the
 * database), nodemailer delivers a Shadowserver report as a CSV attachment, it is imported as the
 * feed (method `mail`) and its events appear; a .zip made by Info-ZIP and a .gz made by gzip are
 * unpacked; the same message twice imports once; a sender not allowed, a disabled source or a
 * message with nothing to import is quarantined with its reason, never a report. SQLite and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedFiles, senderAllowed } from '../src/modules/mail/feed-mail.js';
import { ArchiveError, unzip } from '../src/modules/mail/inbound/unzip.js';
import { startMailIntake, type MailIntakeRunner } from '../src/modules/mail/intake-runner.js';
import { waitFor } from '../src/modules/mail/testing/smtp-sink.js';
import { swaksSend } from '../src/modules/mail/testing/swaks.js';
import type { ParsedAttachment } from '../src/modules/mail/index.js';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { fixture } from './feeds.helpers.js';

const run = promisify(execFile);
const TEAM = 'report@cert.example.tw';
const FEED = 'shadowserver@feeds.cert.example.tw';
const SENDER = 'autoreports@shadowserver.org';

interface Imp { id: string; method: string; fileName: string | null; status: string; events: number; rows: number }
interface QItem { id: string; code: string; detail: string }

/** Files zipped and gzipped by the real tools, in a scratch folder. */
async function withTools<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tocsin-feedmail-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const compose = (mail: Mail.Options) => new MailComposer(mail).compile().build();

describe.each(testDialects())('feeds by mail (%s)', (dialect) => {
  let t: TestApp;
  let runner: MailIntakeRunner;
  let admin: Session;
  let feed = '';
  let seq = 0;

  const get = async <T>(url: string): Promise<T> => {
    const res = await as(t, admin, { method: 'GET', url });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  const imports = async () => (await get<{ items: Imp[] }>(`/api/v1/feeds/${feed}/imports?limit=200`)).items;
  const reports = async () => (await get<{ items: unknown[] }>('/api/v1/reports?limit=200')).items.length;
  const runJobs = async () => {
    while ((await t.c.queue.runReady()) > 0);
  };
  async function processed(spoolId: string): Promise<string> {
    const spool = await t.c.mail.spool();
    return waitFor(async () => {
      const s = await spool.stateOf(spoolId);
      return s === 'processed' || s === 'quarantined' ? s : undefined;
    }, 15_000, `processing of ${spoolId}`);
  }
  async function deliverRaw(raw: Buffer, from: string, to = FEED): Promise<string> {
    const r = await swaksSend({ port: runner.smtp!.port, from, to, data: raw });
    const id = /^250 .*queued as (\S+)/.exec(r.dataReply ?? '')?.[1];
    if (!id) throw new Error(`not accepted: ${r.dataReply}\n${r.output}`);
    return id;
  }
  async function quarantined(spoolId: string): Promise<QItem> {
    expect(await processed(spoolId)).toBe('quarantined');
    return (await get<{ items: QItem[] }>('/api/v1/mail/quarantine')).items.find((i) => i.id === spoolId)!;
  }

  beforeAll(async () => {
    t = await buildTestApp(dialect, { env: { TOCSIN_SMTP_PORT: '0', TOCSIN_MAIL_ADDRESSES: TEAM, TOCSIN_PUBLIC_URL: 'https://cert.example.tw' } });
    t.clock.set(new Date().toISOString());
    runner = await startMailIntake(t.c.mail, t.c.config, { sweepMs: 3_600_000 });
    admin = await login(t, (await createUser(t, 'admin')).username);
    const cons = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: 'Subnet Ltd', sector: 'private', netblocks: ['192.0.2.0/24', '198.51.100.0/24'], contacts: [] } });
    expect(cons.statusCode, cons.body).toBe(201);
    const src = await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver by mail', parser: 'shadowserver', provider: 'Shadowserver', defaultTlp: 'AMBER', mailAddress: FEED, mailSenders: ['@shadowserver.org', 'analyst@partner.example'] } });
    expect(src.statusCode, src.body).toBe(201);
    feed = src.json<{ id: string }>().id;
  });

  afterAll(async () => {
    await runner?.stop();
    await t?.close();
  });

  it('accepts RCPT TO for a feed address from the database, and refuses other addresses of the domain', async () => {
    const refused = await swaksSend({ port: runner.smtp!.port, from: SENDER, to: 'nobody@feeds.cert.example.tw', data: 'Subject: x\r\n\r\nx\r\n' });
    expect(refused.dataReply).toBeNull();
    expect(refused.output).toMatch(/550 .*recipient not accepted here/);
  });

  it('imports a Shadowserver report mailed by nodemailer as a CSV attachment: import done, events stored, no report', async () => {
    const before = await reports();
    const transport = createTransport({ host: '127.0.0.1', port: runner.smtp!.port, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      from: `Shadowserver <${SENDER}>`,
      to: FEED,
      subject: '[Shadowserver] Daily Report: scan_http',
      text: 'Attached is your daily report.',
      attachments: [{ filename: '2026-11-20-scan_http-taiwan-geo.csv', content: fixture('shadowserver/2026-11-20-scan_http-taiwan-geo.csv'), contentType: 'text/csv' }],
    });
    transport.close();
    const spoolId = /queued as (\S+)/.exec(info.response)![1]!;
    expect(await processed(spoolId)).toBe('processed');
    const [imp] = await imports();
    expect(imp).toMatchObject({ method: 'mail', fileName: '2026-11-20-scan_http-taiwan-geo.csv', status: 'queued' });
    await runJobs();
    const done = await get<Imp>(`/api/v1/feed-imports/${imp!.id}`);
    expect(done).toMatchObject({ status: 'done', rows: 3, events: 3 });
    const events = (await get<{ items: { 'source.ip': string; feedSourceId: string }[] }>(`/api/v1/events?feedSourceId=${feed}&importId=${imp!.id}&limit=100`)).items;
    expect(events.map((e) => e['source.ip']).sort()).toEqual(['192.0.2.10', '192.0.2.11', '2001:db8:10::5']);
    expect(await reports()).toBe(before);
    const audit = await t.c.db.selectFrom('audit_log').select('details').where('action', '=', 'feed.mail_import').execute();
    expect(audit.map((a) => JSON.parse(a.details) as { spoolId: string; from: string }).find((d) => d.spoolId === spoolId)).toMatchObject({ from: SENDER });
  });

  it('unpacks a .zip (Info-ZIP) and a .gz (gzip) and imports each file once, however often the message comes', async () => {
    const raw = await withTools(async (dir) => {
      for (const f of ['2026-11-20-scan_ssl-taiwan-geo.csv', '2026-11-20-scan_rdp-taiwan-geo.csv', '2026-11-20-scan_dns-taiwan-geo.csv']) await writeFile(join(dir, f), fixture(`shadowserver/${f}`));
      await writeFile(join(dir, 'README.pdf'), '%PDF-1.4 not a feed');
      await run('zip', ['-q', '-9', join(dir, 'reports.zip'), '2026-11-20-scan_ssl-taiwan-geo.csv', '2026-11-20-scan_rdp-taiwan-geo.csv', 'README.pdf'], { cwd: dir });
      await run('gzip', ['-k', join(dir, '2026-11-20-scan_dns-taiwan-geo.csv')]);
      return compose({
        from: SENDER,
        to: FEED,
        subject: `[Shadowserver] reports ${++seq}`,
        text: 'Your reports are attached.',
        attachments: [
          { filename: 'reports.zip', content: await readFile(join(dir, 'reports.zip')), contentType: 'application/zip' },
          { filename: '2026-11-20-scan_dns-taiwan-geo.csv.gz', content: await readFile(join(dir, '2026-11-20-scan_dns-taiwan-geo.csv.gz')), contentType: 'application/gzip' },
        ],
      });
    });
    const before = (await imports()).length;
    const first = await deliverRaw(raw, SENDER);
    const second = await deliverRaw(raw, SENDER); // the very same bytes (a sender retrying after a lost reply)
    expect(await processed(first)).toBe('processed');
    expect(await processed(second)).toBe('processed');
    const all = await imports();
    const added = all.slice(0, all.length - before);
    expect(added.map((i) => i.fileName).sort()).toEqual(['2026-11-20-scan_dns-taiwan-geo.csv', '2026-11-20-scan_rdp-taiwan-geo.csv', '2026-11-20-scan_ssl-taiwan-geo.csv']);
    expect(added.every((i) => i.method === 'mail')).toBe(true);
    await runJobs();
    const ssl = await get<Imp>(`/api/v1/feed-imports/${added.find((i) => i.fileName!.includes('scan_ssl'))!.id}`);
    expect(ssl).toMatchObject({ status: 'done', rows: 2 });
    const events = (await get<{ items: { 'source.ip': string }[] }>(`/api/v1/events?importId=${ssl.id}&limit=100`)).items;
    expect(events.map((e) => e['source.ip']).sort()).toEqual(['198.51.100.20', '198.51.100.21']);
    expect((await imports()).length).toBe(before + 3);
  });

  it('takes the feed from To/Cc for mail fetched by IMAP (no envelope), but not beside the team address on SMTP', async () => {
    const before = { imports: (await imports()).length, reports: await reports() };
    const csv = { filename: '2026-11-20-scan_smb-taiwan-geo.csv', content: fixture('shadowserver/2026-11-20-scan_smb-taiwan-geo.csv'), contentType: 'text/csv' };
    const spool = await t.c.mail.spool();
    const { id } = await spool.store(await compose({ from: SENDER, to: 'someone@example.net', cc: FEED, subject: `imap ${++seq}`, text: 'x', attachments: [csv] }), { source: 'imap', mailFrom: null, rcptTo: [], receivedAt: new Date().toISOString() });
    await t.c.mail.intake.processPending();
    expect(await processed(id)).toBe('processed');
    const [imp] = await imports();
    expect(imp).toMatchObject({ method: 'mail', fileName: csv.filename });
    expect((await imports()).length).toBe(before.imports + 1);
    // On SMTP the envelope decides: delivered to the team's address, a Cc naming the feed is a report.
    await processed(await deliverRaw(await compose({ from: 'alice@example.net', to: TEAM, cc: FEED, subject: `report ${++seq}`, text: 'A phishing site at https://bad.example.net/' }), 'alice@example.net', TEAM));
    expect(await reports()).toBe(before.reports + 1);
    expect((await imports()).length).toBe(before.imports + 1);
  });

  it('quarantines mail from a sender not allowed, without anything to import, or to a disabled feed — never a report', async () => {
    const before = { imports: (await imports()).length, reports: await reports() };
    const csv = { filename: 'x.csv', content: fixture('shadowserver/2026-11-20-scan_http-taiwan-geo.csv'), contentType: 'text/csv' };
    const spoofed = await quarantined(await deliverRaw(await compose({ from: 'reports@evil.example', to: FEED, subject: `s ${++seq}`, text: 'x', attachments: [csv] }), 'reports@evil.example'));
    expect(spoofed).toMatchObject({ code: 'feed-sender-refused' });
    expect(spoofed.detail).toContain('reports@evil.example');
    // "@shadowserver.org" is that domain, not any name ending with it.
    const lookalike = await quarantined(await deliverRaw(await compose({ from: 'x@shadowserver.org.evil.example', to: FEED, subject: `s ${++seq}`, text: 'x', attachments: [csv] }), SENDER));
    expect(lookalike.code).toBe('feed-sender-refused');
    const empty = await quarantined(await deliverRaw(await compose({ from: 'analyst@partner.example', to: FEED, subject: `s ${++seq}`, text: 'no file today', attachments: [{ filename: 'logo.png', content: Buffer.from('89504e47', 'hex'), contentType: 'image/png' }] }), 'analyst@partner.example'));
    expect(empty.code).toBe('feed-no-attachment');
    expect(empty.detail).toContain('logo.png');
    const off = await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${feed}`, payload: { enabled: false } });
    expect(off.statusCode, off.body).toBe(200);
    const disabled = await quarantined(await deliverRaw(await compose({ from: SENDER, to: FEED, subject: `s ${++seq}`, text: 'x', attachments: [csv] }), SENDER));
    expect(disabled.code).toBe('feed-disabled');
    await as(t, admin, { method: 'PATCH', url: `/api/v1/feeds/${feed}`, payload: { enabled: true } });
    expect((await imports()).length).toBe(before.imports);
    expect(await reports()).toBe(before.reports);
  });
});

describe('feed files in mail', () => {
  const att = (filename: string | null, content: Buffer, contentType = 'application/octet-stream'): ParsedAttachment => ({ filename, contentType, size: content.length, sha256: '', inline: false, contentId: null, content, omitted: null, ref: null, decryptedFrom: null });

  it('reads stored and deflated Info-ZIP entries, checks the CRC and refuses what it cannot read', async () => {
    await withTools(async (dir) => {
      await writeFile(join(dir, 'a.csv'), 'ip\n192.0.2.1\n'.repeat(1000));
      await writeFile(join(dir, 'b.json'), '[]');
      await run('zip', ['-q', '-0', join(dir, 'stored.zip'), 'a.csv', 'b.json'], { cwd: dir });
      await run('zip', ['-q', '-r', '-9', join(dir, 'deflated.zip'), '.', '-i', 'a.csv', 'b.json'], { cwd: dir });
      for (const name of ['stored.zip', 'deflated.zip']) {
        const entries = unzip(await readFile(join(dir, name)), { maxEntryBytes: 1 << 20, maxEntries: 10 });
        expect(entries.map((e) => e.name).sort()).toEqual(['a.csv', 'b.json']);
        expect(entries.find((e) => e.name === 'a.csv')!.content.equals(await readFile(join(dir, 'a.csv')))).toBe(true);
      }
      const zip = await readFile(join(dir, 'stored.zip'));
      const broken = Buffer.from(zip);
      broken[zip.indexOf('192.0.2.1')] = 0x39; // one byte of a.csv changed: the CRC no longer matches
      expect(() => unzip(broken, { maxEntryBytes: 1 << 20, maxEntries: 10 })).toThrow(ArchiveError);
      const deflated = await readFile(join(dir, 'deflated.zip'));
      expect(() => unzip(deflated, { maxEntryBytes: 100, maxEntries: 10 })).toThrow(/over the limit/);
      expect(() => unzip(Buffer.from('not a zip at all, just text'), { maxEntryBytes: 100, maxEntries: 10 })).toThrow(ArchiveError);
      await run('zip', ['-q', '-P', 'secret', join(dir, 'locked.zip'), 'a.csv'], { cwd: dir });
      const locked = feedFiles([att('locked.zip', await readFile(join(dir, 'locked.zip')))], 1 << 20);
      expect(locked.files).toEqual([]);
      expect(locked.skipped[0]).toContain('encrypted');
    });
  });

  it('takes CSV, JSON and text by name or type, skips the rest, and matches senders by address or exact domain', () => {
    const r = feedFiles([att('report.CSV', Buffer.from('a')), att(null, Buffer.from('{}'), 'application/json'), att('../../etc/x.txt', Buffer.from('t')), att('photo.jpg', Buffer.from('j')), att('empty.csv', Buffer.alloc(0))], 1 << 20);
    expect(r.files.map((f) => f.name)).toEqual(['report.CSV', 'attachment-2.json', 'x.txt']);
    expect(r.skipped).toEqual(['photo.jpg: not CSV, JSON, text, .zip or .gz', 'empty.csv: empty']);
    expect(senderAllowed(['@shadowserver.org'], 'AutoReports@ShadowServer.org')).toBe(true);
    expect(senderAllowed(['@shadowserver.org'], 'x@mail.shadowserver.org')).toBe(false);
    expect(senderAllowed(['@shadowserver.org'], 'x@evilshadowserver.org')).toBe(false);
    expect(senderAllowed(['analyst@partner.example'], 'analyst@partner.example')).toBe(true);
    expect(senderAllowed(['analyst@partner.example'], 'other@partner.example')).toBe(false);
    expect(senderAllowed([], 'analyst@partner.example')).toBe(false);
  });
});
