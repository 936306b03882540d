/**
 * Automatic acknowledgements of new mail reports are limited per address and hour
 * (TOCSIN_MAIL_AUTOACK_PER_HOUR, default 10), counted from the outbox: a flood or a mail loop from
 * one address is filed report by report, but answered at most ten times an hour; other senders are
 * not affected; the skipped acknowledgements are audited. Real SMTP in (swaks to the listener) and
 * out (the outbox's job to a sink). SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import type { Actor } from '../src/modules/auth/policy.js';
import { startMailIntake, type MailIntakeRunner } from '../src/modules/mail/intake-runner.js';
import { startSmtpSink, waitFor, type SmtpSink } from '../src/modules/mail/testing/smtp-sink.js';
import { swaksSend } from '../src/modules/mail/testing/swaks.js';
import { buildTestApp, TestClock, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const TEAM = 'report@cert.example.tw';
const FLOOD = 'flood_1@example.net'; // "_" is a LIKE wildcard: it must match itself only
const LOOKALIKE = 'flood11@example.net'; // what "flood_1" would match as a pattern
const OTHER = 'other@example.org';
const PASSPHRASE = 'mail autoack test passphrase';
const SYSTEM: Actor = { kind: 'system', component: 'test' };
const MINUTE = 60_000;

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

describe.each(testDialects())('automatic acknowledgements per address and hour (%s)', (dialect) => {
  let t: TestApp;
  let clock: TestClock;
  let sink: SmtpSink;
  let runner: MailIntakeRunner;
  let seq = 0;

  async function deliver(from: string, headerFrom = from): Promise<string> {
    const n = ++seq;
    const data = crlf(`From: Sender ${n} <${headerFrom}>\nTo: ${TEAM}\nSubject: phishing site ${n}\nMessage-ID: <flood-${n}-${dialect}@example.net>\n\nA phishing site at https://bad${n}.example.net/\n`);
    const r = await swaksSend({ port: runner.smtp!.port, from, to: TEAM, data });
    const id = /^250 .*queued as (\S+)/.exec(r.dataReply ?? '')?.[1];
    if (!id) throw new Error(`not accepted: ${r.dataReply}\n${r.output}`);
    return id;
  }
  /** Waits until every one of these spooled messages is a report; returns the reports' ids. */
  async function filed(spoolIds: string[]): Promise<string[]> {
    return waitFor(async () => {
      const rows = await t.c.db.selectFrom('mail_inbound').select(['spool_id', 'report_id']).where('spool_id', 'in', spoolIds).execute();
      return rows.length === spoolIds.length ? rows.map((r) => r.report_id) : undefined;
    }, 30_000, `${spoolIds.length} reports`);
  }
  const acksTo = async (address: string) => (await t.c.db.selectFrom('mail_outbox').select(['to_addresses', 'report_id']).where('kind', '=', 'acknowledgement').execute()).filter((r) => (JSON.parse(r.to_addresses) as { address: string }[]).some((a) => a.address.toLowerCase() === address));
  const skipped = () => t.c.db.selectFrom('audit_log').select(['target_id', 'details']).where('action', '=', 'report.acknowledgement_skipped').execute();
  const runJobs = async () => {
    while ((await t.c.queue.runReady()) > 0);
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    clock = new TestClock(Date.now()); // the team key is made at real time
    t = await buildTestApp(dialect, {
      clock,
      env: { TOCSIN_SMTP_PORT: '0', TOCSIN_MAIL_ADDRESSES: TEAM, TOCSIN_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, TOCSIN_PUBLIC_URL: 'https://cert.example.tw', TOCSIN_PGP_PASSPHRASE: PASSPHRASE },
    });
    await t.c.settings.update(SYSTEM, { email: TEAM, teamName: { 'zh-TW': '台灣電腦網路危機處理暨協調中心', en: 'TWCERT/CC' } });
    await t.c.mail.keys.generateTeam(SYSTEM, { name: 'TWCERT/CC', email: TEAM });
    runner = await startMailIntake(t.c.mail, t.c.config, { sweepMs: 3_600_000 });
    clock.advance(1000);
  });

  afterAll(async () => {
    await runner?.stop();
    await t?.close();
    await sink?.close();
  });

  it('defaults to 10 an hour; 0 turns the limit off; other values are refused at start', () => {
    expect(t.c.config.mail.autoAckPerHour).toBe(10);
    expect(loadConfig({ TOCSIN_MAIL_AUTOACK_PER_HOUR: '0' }).mail.autoAckPerHour).toBe(0);
    expect(loadConfig({ TOCSIN_MAIL_AUTOACK_PER_HOUR: '250' }).mail.autoAckPerHour).toBe(250);
    for (const bad of ['-1', 'ten', '2.5']) expect(() => loadConfig({ TOCSIN_MAIL_AUTOACK_PER_HOUR: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ TOCSIN_MAIL_AUTOACK_PER_HOUR: 'ten' })).toThrow(/TOCSIN_MAIL_AUTOACK_PER_HOUR must be a whole number/);
  });

  it('files 12 reports from one address but acknowledges 10 of them; another sender still gets its acknowledgement', async () => {
    // A look-alike address first: its acknowledgement must not count for FLOOD (nor the reverse).
    await filed([await deliver(LOOKALIKE)]);
    // All twelve at once: intake files several in one transaction (group commit), which must count too.
    // The last two use another case in From (the acknowledgement goes to From): still the same address.
    const spoolIds = await Promise.all(Array.from({ length: 12 }, (_, i) => deliver(FLOOD, i >= 10 ? FLOOD.toUpperCase() : FLOOD)));
    const reports = await filed(spoolIds);
    expect(new Set(reports).size).toBe(12);
    const reportCount = await t.c.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', reports).executeTakeFirstOrThrow();
    expect(Number(reportCount.n)).toBe(12);

    const acks = await acksTo(FLOOD);
    expect(acks).toHaveLength(10);
    const audit = await skipped();
    expect(audit).toHaveLength(2);
    // The skipped ones are exactly the reports without an acknowledgement; the entry names no address.
    const acked = new Set(acks.map((a) => a.report_id));
    expect(audit.map((a) => a.target_id).sort()).toEqual(reports.filter((r) => !acked.has(r)).sort());
    for (const a of audit) {
      expect(JSON.parse(a.details)).toMatchObject({ reason: 'rate-limit', perHour: 10 });
      expect(a.details).not.toContain('example.net');
    }

    await filed([await deliver(OTHER)]);
    expect(await acksTo(OTHER)).toHaveLength(1);
    expect(await acksTo(LOOKALIKE)).toHaveLength(1);

    // What was queued is what goes out.
    await runJobs();
    expect(sink.to(FLOOD)).toHaveLength(10);
    expect(sink.to(OTHER)).toHaveLength(1);
    expect(sink.to(LOOKALIKE)).toHaveLength(1);
  });

  it('counts the last hour only, and sends no more while the hour is full', async () => {
    clock.advance(30 * MINUTE);
    await filed([await deliver(FLOOD)]);
    expect(await acksTo(FLOOD)).toHaveLength(10);
    expect(await skipped()).toHaveLength(3);
    clock.advance(31 * MINUTE); // the first ten are now more than an hour old
    await filed([await deliver(FLOOD)]);
    expect(await acksTo(FLOOD)).toHaveLength(11);
    expect(await skipped()).toHaveLength(3);
  });

  it('acknowledges every report when the limit is 0', async () => {
    t.c.config.mail.autoAckPerHour = 0; // read per message, like the rest of the mail settings
    try {
      await filed(await Promise.all(Array.from({ length: 10 }, () => deliver(FLOOD))));
      expect(await acksTo(FLOOD)).toHaveLength(21);
      expect(await skipped()).toHaveLength(3);
    } finally {
      t.c.config.mail.autoAckPerHour = 10;
    }
  });
});
