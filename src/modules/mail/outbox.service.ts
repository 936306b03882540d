import type { MailConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import { exponentialBackoff, defineJob, type Queue } from '../../jobs/queue.js';
import type { BlobStore } from '../../lib/blobs.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import { DEFAULT_SETTINGS, type SiteSettings } from '../settings/settings.service.js';
import type { KeysService } from './keys.service.js';
import type { MailLogger } from './logger.js';
import { silentLogger } from './logger.js';
import type { MailRepository, OutboxRow } from './mail.repository.js';
import { classifySendError, composeMessage, createRelayTransport, newMessageId, sendRaw, type OutboundAddress, type OutboundAttachment, type RelayTransport } from './outbound/index.js';

/**
 * The durable outbox. A message is queued as a row (rendered text, recipients, threading) plus a
 * `mail.send` job in the caller's transaction; the job composes it once (PGP/MIME: signed with the
 * team key, encrypted when every recipient has a usable key in pgp_keys), stores the raw bytes on
 * the row, and sends exactly those bytes through the relay. Temporary failures (4xx, network) are
 * retried with backoff; permanent ones (5xx) mark the row failed at once with the relay's answer.
 * A rerun after a crash resends the same bytes with the same Message-ID (at least once).
 * Attachments are written to the blob store when the message is queued and named on the row
 * (filename, type, SHA-256, size); the job reads them back when it composes the message, so they
 * are signed (and encrypted) with the rest of it. Notice mail asks for delivery status
 * notifications (NOTIFY=SUCCESS,FAILURE, RET=HDRS, ENVID = the row's id) where the relay offers DSN;
 * intake reads them back (a failure bounces the row, `delivered` leaves it `sent`).
 */
export type OutboxKind = 'acknowledgement' | 'reply' | 'notice';
export type OutboxState = 'queued' | 'sent' | 'failed' | 'bounced';

export interface QueueMailInput {
  kind: OutboxKind;
  to: OutboundAddress[];
  subject: string;
  body: string;
  language: 'zh-TW' | 'en';
  reportId?: string | null;
  incidentId?: string | null;
  commentId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  autoSubmitted?: 'auto-replied' | 'auto-generated' | null;
  headers?: Record<string, string>;
  /** From header; default: see fromAddress. */
  from?: string;
  /** Files to attach (a notice's CSV of affected hosts, say); stored in the blob store. */
  attachments?: OutboundAttachment[];
}

/** An attachment as listed on the outbox row; the bytes are in the blob store under `sha256`. */
export interface OutboxAttachment {
  filename: string;
  contentType: string;
  sha256: string;
  size: number;
}

/** Most attachments per message, and their total size (a relay refuses bigger mail anyway). */
const MAX_ATTACHMENTS = 20;
const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export interface OutboxView {
  id: string;
  kind: string;
  state: string;
  to: OutboundAddress[];
  from: string;
  subject: string;
  language: string;
  reportId: string | null;
  incidentId: string | null;
  commentId: string | null;
  messageId: string;
  encrypted: boolean | null;
  attachments: OutboxAttachment[];
  attempts: number;
  lastError: string | null;
  relayResponse: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export const SEND_MAX_ATTEMPTS = 8;

/** "Name <a@b>" or "a@b" → address parts. */
export function parseAddress(value: string): OutboundAddress {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return m[1] ? { name: m[1].trim(), address: m[2]! } : { address: m[2]! };
  return { address: value.trim() };
}

function formatAddress(a: OutboundAddress): string {
  return a.name ? `"${a.name.replace(/["\\\r\n]/g, '')}" <${a.address}>` : a.address;
}

function errorText(err: unknown): string {
  const e = err as { responseCode?: number; response?: string; message?: string; code?: string } | null;
  const text = e?.response ?? e?.message ?? String(err);
  return (e?.responseCode && !text.startsWith(String(e.responseCode)) ? `${e.responseCode} ${text}` : text).slice(0, 2000);
}

export function toOutboxView(r: OutboxRow): OutboxView {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    to: JSON.parse(r.to_addresses) as OutboundAddress[],
    from: r.from_address,
    subject: r.subject,
    language: r.language,
    reportId: r.report_id,
    incidentId: r.incident_id,
    commentId: r.comment_id,
    messageId: r.message_id,
    encrypted: r.encrypted === null ? null : Number(r.encrypted) === 1,
    attachments: JSON.parse(r.attachments) as OutboxAttachment[],
    attempts: Number(r.attempts),
    lastError: r.last_error,
    relayResponse: r.relay_response,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  };
}

export function createOutboxService(deps: {
  db: Db;
  repo: MailRepository;
  blobs: BlobStore;
  keys: KeysService;
  settingsRepo: SettingsRepository;
  audit: AuditService;
  queue: Queue;
  clock: Clock;
  config: Pick<MailConfig, 'relay' | 'from'>;
  logger?: MailLogger;
}) {
  const { db, repo, blobs, keys, settingsRepo, audit, queue, clock, config } = deps;

  async function readBlob(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of blobs.open(sha256) as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const log = deps.logger ?? silentLogger;
  let transport: RelayTransport | null = null;

  function relay(): RelayTransport | null {
    if (!config.relay) return null;
    transport ??= createRelayTransport({
      host: config.relay.host,
      port: config.relay.port,
      secure: config.relay.secure,
      ...(config.relay.user && config.relay.password ? { auth: { user: config.relay.user, pass: config.relay.password } } : {}),
      connectionTimeoutMs: 20_000,
    });
    return transport;
  }

  async function handle(payload: { outboxId: string }, ctx: { attempt: number }): Promise<void> {
    const row = await repo.outbox(db, payload.outboxId);
    if (!row || row.state !== 'queued') return; // sent, failed or bounced already: nothing to do
    const now = () => clock.now().toISOString();
    const fail = async (message: string) => {
      await repo.updateOutbox(db, row.id, { state: 'failed', attempts: ctx.attempt, last_error: message, updated_at: now() });
      log.warn({ outboxId: row.id, attempt: ctx.attempt }, 'outbound mail failed');
    };
    const retry = async (message: string, err: unknown) => {
      if (ctx.attempt >= SEND_MAX_ATTEMPTS) return fail(message);
      await repo.updateOutbox(db, row.id, { attempts: ctx.attempt, last_error: message, updated_at: now() });
      throw err instanceof Error ? err : new Error(message);
    };
    const t = relay();
    if (!t) return retry('no relay configured (TOCSIN_RELAY_URL)', null);

    let raw: Buffer | null = row.raw === null ? null : Buffer.from(row.raw, 'latin1');
    const to = JSON.parse(row.to_addresses) as OutboundAddress[];
    if (!raw) {
      const teamKey = await keys.teamKey().catch(() => null);
      if (!teamKey) return retry('no team key to sign with (tocsin keys generate | import)', null);
      const recipients = await Promise.all(to.map(async (a) => ({ ...a, key: await keys.encryptionKeyFor(a.address) })));
      const from = parseAddress(row.from_address);
      const listed = JSON.parse(row.attachments) as OutboxAttachment[];
      let attachments: OutboundAttachment[];
      try {
        attachments = await Promise.all(listed.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await readBlob(a.sha256) })));
      } catch (err) {
        return retry(`an attachment is missing from the blob store: ${errorText(err)}`, err);
      }
      const composed = await composeMessage(
        {
          from,
          to: recipients,
          subject: row.subject,
          text: row.body,
          inReplyTo: row.in_reply_to,
          references: JSON.parse(row.reference_ids) as string[],
          messageIdDomain: from.address.split('@')[1] ?? 'localhost',
          messageId: row.message_id,
          language: row.language === 'en' ? 'en' : 'zh-TW',
          headers: JSON.parse(row.headers) as Record<string, string>,
          ...(attachments.length ? { attachments } : {}),
          ...(row.auto_submitted ? { autoSubmitted: row.auto_submitted as 'auto-replied' | 'auto-generated' } : {}),
          date: clock.now(),
        },
        { teamKey, encryption: 'auto' },
      );
      raw = composed.raw;
      // Stored before sending: a retry sends the very same bytes.
      await repo.updateOutbox(db, row.id, { raw: raw.toString('latin1'), encrypted: composed.encrypted ? 1 : 0, updated_at: now() });
    }
    try {
      // A notice asks for delivery status notifications, success too: a report saying `delivered`
      // marks the notice delivered (intake), a failure bounces it. ENVID is the outbox row's id.
      const dsn = row.kind === 'notice' ? { notify: ['SUCCESS', 'FAILURE'] as ('SUCCESS' | 'FAILURE')[], envid: row.id } : undefined;
      const result = await sendRaw(t, { from: parseAddress(row.from_address).address, to: to.map((a) => a.address), ...(dsn ? { dsn } : {}) }, raw);
      let response = result.rejected.length ? `${result.response} (refused: ${result.rejected.join(', ')})` : result.response;
      if (result.dsn === 'not-offered') response += ' (the relay offers no DSN: no delivery confirmation will come)';
      if (result.dsn === 'refused') response += ' (the relay refused the DSN parameters; sent without them: no delivery confirmation will come)';
      await repo.updateOutbox(db, row.id, { state: 'sent', attempts: ctx.attempt, last_error: null, relay_response: response.slice(0, 2000), sent_at: now(), updated_at: now() });
      log.info({ outboxId: row.id, attempt: ctx.attempt, ...(result.dsn ? { dsn: result.dsn } : {}) }, 'outbound mail sent');
    } catch (err) {
      if (classifySendError(err) === 'permanent') return fail(errorText(err));
      return retry(errorText(err), err);
    }
  }

  const sendJob = defineJob<{ outboxId: string }>({
    name: 'mail.send',
    maxAttempts: SEND_MAX_ATTEMPTS,
    backoffMs: exponentialBackoff(60_000, 3_600_000),
    timeoutMs: 180_000,
    handler: handle,
  });
  queue.register(sendJob);

  return {
    sendJob,

    /**
     * Default From: TOCSIN_MAIL_FROM, else the team name and e-mail of the site settings (read
     * through `executor`, so it works inside a transaction on SQLite's single connection).
     */
    async fromAddress(language: 'zh-TW' | 'en', executor: Db = db): Promise<string> {
      if (config.from) return config.from;
      const site = { ...DEFAULT_SETTINGS, ...((await settingsRepo.get<Partial<SiteSettings>>(executor, 'site')) ?? {}) };
      return formatAddress({ name: site.teamName[language], address: site.email });
    },

    /** Queues a message in the caller's transaction; it is sent once that transaction commits. */
    async queueMail(trx: Db, input: QueueMailInput): Promise<{ id: string; messageId: string }> {
      const files = input.attachments ?? [];
      if (files.length > MAX_ATTACHMENTS || files.reduce((n, f) => n + f.content.length, 0) > MAX_ATTACHMENT_BYTES) throw new Invalid('mail.outbox.attachments-too-large', `at most ${MAX_ATTACHMENTS} attachments and ${MAX_ATTACHMENT_BYTES} bytes`);
      for (const f of files) {
        if (!f.filename || f.filename.length > 200 || [...f.filename].some((ch) => ch.charCodeAt(0) < 32 || ch === '/' || ch === '\\')) throw new Invalid('mail.outbox.bad-attachment-name', `bad attachment name ${JSON.stringify(f.filename)}`);
      }
      // Written before the row: a blob nobody names (the transaction rolled back) is harmless, a row
      // naming a missing blob would not be. Content-addressed, so a retry writes nothing new.
      const attachments: OutboxAttachment[] = [];
      for (const f of files) attachments.push({ filename: f.filename, contentType: f.contentType, ...(await blobs.putBuffer(f.content)) });
      const nowDate = clock.now();
      const nowIso = nowDate.toISOString();
      const from = input.from ?? (await this.fromAddress(input.language, trx));
      const id = uuidv7(nowDate.getTime());
      const messageId = newMessageId(parseAddress(from).address.split('@')[1] ?? 'localhost');
      await repo.insertOutbox(trx, {
        id,
        kind: input.kind,
        state: 'queued',
        to_addresses: JSON.stringify(input.to.map((a) => (a.name ? { name: a.name, address: a.address } : { address: a.address }))),
        from_address: from,
        subject: input.subject,
        body: input.body,
        language: input.language,
        headers: JSON.stringify(input.headers ?? {}),
        report_id: input.reportId ?? null,
        incident_id: input.incidentId ?? null,
        comment_id: input.commentId ?? null,
        message_id: messageId,
        in_reply_to: input.inReplyTo ?? null,
        reference_ids: JSON.stringify(input.references ?? []),
        auto_submitted: input.autoSubmitted ?? null,
        raw: null,
        encrypted: null,
        last_error: null,
        relay_response: null,
        created_at: nowIso,
        updated_at: nowIso,
        sent_at: null,
        attachments: JSON.stringify(attachments),
      });
      await queue.enqueue(trx, sendJob, { outboxId: id }, { dedupeKey: `mail.send:${id}` });
      return { id, messageId };
    },

    async list(actor: Actor, f: { state?: string | undefined; reportId?: string | undefined; limit: number; before?: { createdAt: string; id: string } | undefined }): Promise<OutboxView[]> {
      authorize(actor, 'mail:read');
      return (await repo.listOutbox(db, f)).map(toOutboxView);
    },

    async get(actor: Actor, id: string): Promise<OutboxView> {
      authorize(actor, 'mail:read');
      const r = await repo.outbox(db, id);
      if (!r) throw new NotFound('not_found');
      return toOutboxView(r);
    },

    /** Sends a failed message again (after the address was fixed at the relay, say). */
    async retry(actor: Actor, id: string): Promise<OutboxView> {
      authorize(actor, 'mail:quarantine');
      return db.transaction().execute(async (trx) => {
        const r = await repo.outbox(trx, id);
        if (!r) throw new NotFound('not_found');
        if (r.state !== 'failed' && r.state !== 'bounced') throw new Conflict('mail.outbox.not-failed', 'only failed or bounced messages can be retried');
        const nowIso = clock.now().toISOString();
        await repo.updateOutbox(trx, id, { state: 'queued', last_error: null, updated_at: nowIso });
        await queue.enqueue(trx, sendJob, { outboxId: id }, { dedupeKey: `mail.send:${id}:${uuidv7()}` });
        await audit.record(trx, actor, { action: 'mail.outbox.retry', targetType: 'mail_outbox', targetId: id, details: { previousState: r.state } });
        return toOutboxView({ ...r, state: 'queued', last_error: null, updated_at: nowIso });
      });
    },

    counts: () => repo.outboxCounts(db),

    close(): void {
      transport?.close();
      transport = null;
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
