import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { DomainError, Invalid, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { BlobStore } from '../../lib/blobs.js';
import { formatFingerprint, headerValue, parseHeaderBlock } from '../../lib/pgp.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/policy.js';
import type { ReportsRepository } from '../reports/reports.repository.js';
import type { CreateReportInput } from '../reports/reports.schemas.js';
import { sanitiseFilename, type ReportsService, type StoredFile } from '../reports/reports.service.js';
import { isEmail } from '../reports/reports.validation.js';
import type { SettingsService } from '../settings/settings.service.js';
import {
  decodeHeaderValue,
  isSpoolId,
  processMessage,
  processPending,
  recipientMatcher,
  type ParsedInbound,
  type ParseOptions,
  type ProcessorOptions,
  type ProcessRunResult,
  type QuarantineReason,
  type Spool,
  type SpoolEnvelope,
} from './inbound/index.js';
import type { KeysService } from './keys.service.js';
import type { MailLogger } from './logger.js';
import { silentLogger } from './logger.js';
import { authorizeMail } from './mail.policy.js';
import type { MailRepository } from './mail.repository.js';
import { ownMessageIdMatcher } from './outbound/index.js';
import { parseAddress, type OutboxService } from './outbox.service.js';
import type { TemplatesService } from './templates.service.js';

/**
 * Mail intake: spooled messages become reports (channel `email`) or, when they answer one of our
 * messages or carry a tracking number, reporter messages on an existing report. Every message ends
 * either recorded in `mail_inbound` (keyed on its raw SHA-256, so a rerun after a crash files
 * nothing twice) or in the spool's quarantine with a reason; nothing is dropped.
 */
export const INTAKE_ACTOR: Actor = { kind: 'system', component: 'mail-intake' };

/** Longest description stored on the report; the whole text is attached beside it when longer. */
const MAX_DESCRIPTION_CHARS = 100_000;
/** A parsed message the database keeps refusing is quarantined (visible, releasable) after this many tries. */
const MAX_FILING_FAILURES = 10;

/** Text for the database: PostgreSQL cannot store U+0000 (garbage bodies carry it), so it becomes U+FFFD. */
function dbText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s;
}

export interface QuarantineItem {
  id: string;
  code: string;
  detail: string;
  from: string | null;
  subject: string | null;
  messageId: string | null;
  date: string | null;
  receivedAt: string;
  quarantinedAt: string | null;
  size: number;
  source: string;
}

export type ReleaseOutcome = { outcome: 'processed'; reportId: string | null } | { outcome: 'quarantined'; code: string; detail: string } | { outcome: 'pending'; error: string };

export function createIntakeService(deps: {
  db: Db;
  repo: MailRepository;
  reportsRepo: ReportsRepository;
  reports: ReportsService;
  blobs: BlobStore;
  keys: KeysService;
  outbox: OutboxService;
  templates: TemplatesService;
  settings: SettingsService;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'maxAttachmentBytes' | 'mail'>;
  spool: () => Promise<Spool>;
  logger?: MailLogger;
}) {
  const { db, repo, reportsRepo, reports, blobs, keys, outbox, templates, settings, audit, clock, config } = deps;
  const log = deps.logger ?? silentLogger;
  const ourAddress = recipientMatcher(config.mail.addresses);
  const inFlight = new Set<string>();
  const filingFailures = new Map<string, number>();

  async function parseOptions(): Promise<Omit<ParseOptions, 'envelopeFrom'>> {
    const site = await settings.site();
    const from = parseAddress(await outbox.fromAddress('en')).address;
    const domains = [from, site.email, ...config.mail.addresses].map((a) => a.slice(a.lastIndexOf('@') + 1)).filter(Boolean);
    let teamKey = null;
    try {
      teamKey = await keys.teamKey();
    } catch (err) {
      log.error({ err }, 'team key could not be loaded; encrypted mail will be quarantined');
    }
    return {
      teamKey,
      lookupKeys: keys.lookup,
      trackingPrefix: site.trackingPrefix,
      isOwnMessageId: ownMessageIdMatcher([...new Set(domains)]),
      limits: { maxAttachmentBytes: config.maxAttachmentBytes },
    };
  }

  async function storeFiles(message: ParsedInbound, extraText: string | null): Promise<StoredFile[]> {
    const files: StoredFile[] = [];
    let n = 0;
    for (const a of message.attachments) {
      n++;
      if (!a.content) continue; // over the size limit: hashed, named in the warnings, not kept
      const stored = await blobs.putBuffer(a.content);
      files.push({ filename: sanitiseFilename(a.filename || `attachment-${n}${a.contentType === 'message/rfc822' ? '.eml' : ''}`), contentType: dbText(a.contentType || 'application/octet-stream').slice(0, 200), ...stored });
    }
    if (extraText !== null) {
      const stored = await blobs.putBuffer(Buffer.from(extraText, 'utf8'));
      files.push({ filename: 'message.txt', contentType: 'text/plain; charset=utf-8', ...stored });
    }
    return files;
  }

  function inboundRow(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound, kind: 'report' | 'reply', reportId: string, reportMessageId: string | null) {
    return {
      id: uuidv7(),
      spool_id: spoolId,
      raw_sha256: message.rawSha256,
      message_id: message.messageId ? dbText(message.messageId).slice(0, 500) : null,
      kind,
      report_id: reportId,
      report_message_id: reportMessageId,
      from_address: message.from ? dbText(message.from.address).slice(0, 320) : null,
      subject: dbText(message.subject) || null,
      auto_generated: message.autoGenerated ? 1 : 0,
      pgp: dbText(JSON.stringify(message.pgp)),
      warnings: dbText(JSON.stringify(message.warnings)),
      received_at: new Date(envelope.receivedAt).toISOString(),
      created_at: clock.now().toISOString(),
    };
  }

  async function threadedReport(message: ParsedInbound): Promise<string | null> {
    for (const n of message.trackingNumbers) {
      const r = await reportsRepo.byTrackingNumber(db, n);
      if (r) return r.id;
    }
    return repo.reportForMessageIds(db, [...(message.inReplyTo ? [message.inReplyTo] : []), ...message.references]);
  }

  async function addReply(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound, reportId: string): Promise<void> {
    const text = dbText(message.text.trim() ? message.text : message.subject || '(no text)');
    const files = await storeFiles(message, null);
    const nowIso = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const report = await reportsRepo.byId(trx, reportId);
      if (!report) throw new NotFound('not_found');
      const messageId = uuidv7();
      await reportsRepo.insertMessage(trx, { id: messageId, report_id: reportId, author: 'reporter', user_id: null, comment_id: null, body: text, created_at: nowIso });
      for (const f of files) await reportsRepo.insertAttachment(trx, { id: uuidv7(), report_id: reportId, filename: f.filename, content_type: f.contentType, size: f.size, sha256: f.sha256, uploaded_by: 'reporter', created_at: nowIso });
      await repo.insertInbound(trx, inboundRow(spoolId, envelope, message, 'reply', reportId, messageId));
      if (report.incident_id) {
        // On the incident's timeline too, so the team working it sees the reporter answered.
        await trx
          .insertInto('incident_history')
          .values({ id: uuidv7(), incident_id: report.incident_id, actor_id: null, action: 'reporter_message', changes: JSON.stringify({ reportId, messageId, channel: 'email', attachments: files.length }), at: nowIso })
          .execute();
      }
      await audit.record(trx, INTAKE_ACTOR, { action: 'report.reporter_message', targetType: 'report', targetId: reportId, details: { channel: 'email', spoolId, attachments: files.length } });
    });
  }

  async function createReport(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound): Promise<void> {
    const language = message.language;
    const fullText = dbText(message.text.replace(/\r\n/g, '\n'));
    const subject = dbText(message.subject).trim();
    const long = fullText.length > MAX_DESCRIPTION_CHARS;
    const description = fullText.trim() ? (long ? `${fullText.slice(0, MAX_DESCRIPTION_CHARS)}\n[…]` : fullText) : subject || '(empty message)';
    const files = await storeFiles(message, long ? fullText : null);
    const contact = message.replyTo[0] ?? message.from;
    const email = contact && isEmail(contact.address) && dbText(contact.address) === contact.address ? contact.address : undefined;
    const name = dbText(message.from?.name || contact?.name || '').trim().slice(0, 200);
    const input: CreateReportInput = {
      channel: 'email',
      category: 'other',
      description,
      language,
      ...(subject ? { title: subject.slice(0, 200) } : {}),
      ...(email || name ? { reporter: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {}),
    };
    const ackTo = !message.autoGenerated && email && !ourAddress(email) ? { ...(name ? { name } : {}), address: email } : null;
    const site = await settings.site();
    const teamKey = await keys.teamKey().catch(() => null);
    const from = await outbox.fromAddress(language);
    await reports.create(INTAKE_ACTOR, input, files, {
      pgp: JSON.parse(dbText(JSON.stringify(message.pgp))) as unknown,
      inTransaction: async (trx, created) => {
        await repo.insertInbound(trx, inboundRow(spoolId, envelope, message, 'report', created.id, null));
        if (!ackTo) return;
        const rendered = await templates.render(trx, 'acknowledgement', language, {
          teamName: site.teamName[language],
          trackingNumber: created.trackingNumber,
          trackingUrl: `${config.publicUrl}/track/${created.trackingToken}`,
          originalSubject: subject || (language === 'en' ? '(no subject)' : '（無主旨）'),
          teamEmail: parseAddress(from).address,
          teamFingerprint: teamKey ? formatFingerprint(teamKey.fingerprint) : '',
        });
        await outbox.queueMail(trx, {
          kind: 'acknowledgement',
          to: [ackTo],
          subject: rendered.subject,
          body: rendered.text,
          language,
          reportId: created.id,
          inReplyTo: message.messageId,
          references: [...message.references, ...(message.messageId ? [message.messageId] : [])].slice(-20),
          autoSubmitted: 'auto-replied',
          headers: { 'X-Tocsin-Tracking': created.trackingNumber },
          from,
        });
      },
    });
  }

  /**
   * A delivery status notification about one of our messages: the outbox row becomes `bounced`
   * (with the reason) and the notice is recorded on that report instead of becoming a report.
   * Returns false when the message is not such a bounce.
   */
  async function recordBounce(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound): Promise<boolean> {
    const machine = message.autoGeneratedReasons.some((r) => r === 'delivery-report' || r === 'null-sender' || r === 'mailer-daemon');
    if (!machine) return false;
    // The original's Message-ID is in the returned headers (text/rfc822-headers or message/rfc822 part).
    const texts = [message.text, ...message.attachments.filter((a) => a.content && a.size <= 256 * 1024).map((a) => a.content!.toString('latin1'))];
    const ids = [...(message.inReplyTo ? [message.inReplyTo] : []), ...message.references, ...texts.flatMap((x) => [...x.matchAll(/<(tocsin\.[A-Za-z0-9_-]+@[^<>\s]+)>/g)].map((m) => m[1]!))];
    const ours = (await repo.outboxByMessageIds(db, ids)).find((o) => o.report_id !== null);
    if (!ours) return false;
    const delayed = texts.some((x) => /^Action:\s*delayed/im.test(x)) && !texts.some((x) => /^Action:\s*failed/im.test(x));
    const status = texts.map((x) => /^Diagnostic-Code:\s*(.+(?:\r?\n[ \t].+)*)/im.exec(x)?.[1]).find(Boolean) ?? message.subject;
    const nowIso = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      if (!delayed) await repo.updateOutbox(trx, ours.id, { state: 'bounced', last_error: dbText(`bounced: ${status.replace(/\s+/g, ' ')}`).slice(0, 2000), updated_at: nowIso });
      await repo.insertInbound(trx, { ...inboundRow(spoolId, envelope, message, 'reply', ours.report_id!, null), kind: delayed ? 'delay' : 'bounce' });
      await audit.record(trx, INTAKE_ACTOR, { action: delayed ? 'mail.outbox.delayed' : 'mail.outbox.bounced', targetType: 'mail_outbox', targetId: ours.id, details: { spoolId } });
    });
    return true;
  }

  /** The processor's onParsed: idempotent by raw SHA-256; refused input is quarantined with the reason. */
  async function handleParsed(input: { spoolId: string; envelope: SpoolEnvelope; message: ParsedInbound }): Promise<void | { quarantine: QuarantineReason }> {
    const { spoolId, envelope, message } = input;
    const seen = await repo.inboundBySha(db, message.rawSha256);
    if (seen) {
      log.info({ spoolId, firstSpoolId: seen.spool_id }, 'inbound message already filed (same bytes)');
      return;
    }
    try {
      if (await recordBounce(spoolId, envelope, message)) return;
      const reportId = await threadedReport(message);
      if (reportId) await addReply(spoolId, envelope, message, reportId);
      else await createReport(spoolId, envelope, message);
    } catch (err) {
      // Raced with another run filing the same bytes: done. Refused as invalid: quarantine. Else retry later.
      if (await repo.inboundBySha(db, message.rawSha256)) return;
      if (err instanceof Invalid) return { quarantine: { code: 'intake-refused', detail: `${err.code}${err.details ? ` ${JSON.stringify(err.details)}` : ''}`.slice(0, 1000) } };
      const failures = (filingFailures.get(spoolId) ?? 0) + 1;
      filingFailures.set(spoolId, failures);
      if (failures >= MAX_FILING_FAILURES) {
        filingFailures.delete(spoolId);
        return { quarantine: { code: 'intake-failed', detail: `not filed after ${failures} attempts: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000) } };
      }
      throw err;
    }
  }

  async function processorOptions(): Promise<ProcessorOptions> {
    return {
      spool: await deps.spool(),
      parse: await parseOptions(),
      onParsed: handleParsed,
      onQuarantined: ({ spoolId, code }) => log.warn({ spoolId, code }, 'inbound message quarantined'),
      // Several at once: while one is parsed, others wait on disk or on the database, and
      // concurrent reports share a commit (group commit in the reports service).
      concurrency: 6,
      logger: log,
    };
  }

  let running: Promise<ProcessRunResult> | null = null;
  let again = false;

  async function runUntilIdle(): Promise<ProcessRunResult> {
    const total: ProcessRunResult = { processed: [], quarantined: [], failed: [] };
    do {
      again = false;
      const opts = await processorOptions();
      const pending = (await opts.spool.listPending()).filter((id) => !inFlight.has(id));
      if (pending.length === 0) break;
      pending.forEach((id) => inFlight.add(id));
      try {
        const r = await processPending({ ...opts, spool: onlyThese(opts.spool, pending) });
        total.processed.push(...r.processed);
        total.quarantined.push(...r.quarantined);
        total.failed.push(...r.failed);
      } finally {
        pending.forEach((id) => inFlight.delete(id));
      }
    } while (again);
    return total;
  }

  function summaryOf(head: Buffer) {
    try {
      const headers = parseHeaderBlock(head, head.length);
      const get = (n: string) => {
        const v = headerValue(headers, n);
        return v === undefined ? null : decodeHeaderValue(v).slice(0, 998);
      };
      return { from: get('from'), subject: get('subject'), messageId: get('message-id'), date: get('date') };
    } catch {
      return { from: null, subject: null, messageId: null, date: null };
    }
  }

  async function assertQuarantined(spool: Spool, id: string): Promise<void> {
    if (!isSpoolId(id) || (await spool.stateOf(id)) !== 'quarantined') throw new NotFound('not_found');
  }

  return {
    handleParsed,
    parseOptions,

    /**
     * Processes every pending spooled message (SMTP's onStored, start-up, a periodic sweep). Calls
     * while a run is going fold into one more run after it, so nothing stored meanwhile waits.
     */
    processPending(): Promise<ProcessRunResult> {
      if (running) {
        again = true;
        return running;
      }
      running = runUntilIdle().finally(() => (running = null));
      return running;
    },

    async listQuarantine(actor: Actor): Promise<QuarantineItem[]> {
      authorizeMail(actor, 'mail:quarantine');
      const spool = await deps.spool();
      const entries = await spool.listQuarantined();
      const items = await Promise.all(
        entries.map(async (e) => {
          try {
            const { envelope, head, size } = await spool.readHead(e.id);
            return { id: e.id, code: e.reason.code, detail: e.reason.detail, ...summaryOf(head), receivedAt: envelope.receivedAt, quarantinedAt: e.quarantinedAt?.toISOString() ?? null, size, source: envelope.source as string };
          } catch {
            return null; // released or moved meanwhile
          }
        }),
      );
      return items.filter((i): i is QuarantineItem => i !== null).reverse();
    },

    /** The raw message exactly as received (it holds personal data: the read is audited). */
    async quarantinedRaw(actor: Actor, id: string): Promise<Buffer> {
      authorizeMail(actor, 'mail:quarantine');
      const spool = await deps.spool();
      await assertQuarantined(spool, id);
      const raw = await spool.readRaw(id);
      await audit.recordAlone(actor, { action: 'mail.quarantine.download', targetType: 'mail_spool', targetId: null, details: { spoolId: id, size: raw.length } });
      return raw;
    },

    /** Puts a quarantined message back and processes it at once (after importing a key, say). */
    async release(actor: Actor, id: string): Promise<ReleaseOutcome> {
      authorizeMail(actor, 'mail:quarantine');
      const spool = await deps.spool();
      await assertQuarantined(spool, id);
      await audit.recordAlone(actor, { action: 'mail.quarantine.release', targetType: 'mail_spool', targetId: null, details: { spoolId: id } });
      inFlight.add(id);
      try {
        await spool.release(id);
        const outcome = await processMessage(await processorOptions(), id);
        if (outcome === 'quarantined') {
          const entry = (await spool.listQuarantined()).find((e) => e.id === id);
          return { outcome, code: entry?.reason.code ?? 'unknown', detail: entry?.reason.detail ?? '' };
        }
        const { raw } = await spool.read(id);
        const { createHash } = await import('node:crypto');
        const row = await repo.inboundBySha(db, createHash('sha256').update(raw).digest('hex'));
        return { outcome, reportId: row?.report_id ?? null };
      } catch (err) {
        log.error({ spoolId: id, err }, 'released message not processed; it stays in the spool');
        return { outcome: 'pending', error: err instanceof DomainError ? err.code : 'processing_failed' };
      } finally {
        inFlight.delete(id);
      }
    },
  };
}

/** A view of the spool whose pending list is fixed (what this run claimed). */
function onlyThese(spool: Spool, ids: string[]): Spool {
  return new Proxy(spool, {
    get(target, prop, receiver) {
      if (prop === 'listPending') return async () => ids;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

export type IntakeService = ReturnType<typeof createIntakeService>;
