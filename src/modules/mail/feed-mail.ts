import type { Db, Row } from '../../db/database.js';
import type { BlobStore } from '../../lib/blobs.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/policy.js';
import type { ParsedAttachment, ParsedInbound, QuarantineReason, SpoolEnvelope } from './inbound/index.js';
import { ArchiveError, gunzip, unzip } from './inbound/unzip.js';

/**
 * Feeds by mail: a message whose envelope recipient (or, for mail fetched by IMAP, To/Cc) is a feed
 * source's `mail_address`, from a sender its `mail_senders` allows (an address, or "@domain"), has
 * its CSV, JSON and text attachments — also inside .zip and .gz — imported as that source's feed
 * (method `mail`, one import per file), never turned into a report. A disabled source, a sender not
 * allowed or nothing importable quarantines the message with a reason code. Idempotent per message:
 * the imports and an audit entry keyed on the raw message's SHA-256 are written in one transaction,
 * so the same bytes twice (a rerun after a crash, the sender delivering twice) import once.
 */
export const FEED_MAIL_ACTOR: Actor = { kind: 'system', component: 'feeds-mail' };

/** The part of the feeds service this needs: queue an already stored file as an import, in the caller's transaction. */
export interface FeedImportQueue {
  queueStoredImport(trx: Db, actor: Actor, sourceId: string, input: { blob: { sha256: string; size: number }; fileName: string | null; method: 'mail' }): Promise<string>;
}

export type FeedMailOutcome = { imports: { id: string; fileName: string }[]; already: boolean } | { quarantine: QuarantineReason };

const USABLE = ['.csv', '.json', '.txt'];
const BY_TYPE: Record<string, string> = { 'text/csv': '.csv', 'application/csv': '.csv', 'application/json': '.json', 'text/plain': '.txt' };
/** Decompressed files are held in memory before they go to the blob store. */
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 50;

/** Whether `senders` ("a@b.example" or "@b.example") allow this address. */
export function senderAllowed(senders: readonly string[], address: string): boolean {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = a.slice(at + 1);
  return senders.some((s) => {
    const v = s.trim().toLowerCase();
    return v.startsWith('@') ? v.slice(1) === domain : v === a;
  });
}

const extOf = (name: string) => {
  const lower = name.toLowerCase();
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? '' : lower.slice(dot);
};

/** The last path segment, without control characters, at most 200 characters (keeping the extension). */
function cleanName(name: string): string {
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/\p{Cc}/gu, '').trim();
  if (base.length <= 200) return base;
  const ext = extOf(base).slice(0, 10);
  return base.slice(0, 200 - ext.length) + ext;
}

/** Importable files of a message: CSV/JSON/TXT attachments, and those inside .zip and .gz ones. */
export function feedFiles(attachments: readonly ParsedAttachment[], maxBytes: number): { files: { name: string; content: Buffer }[]; skipped: string[] } {
  const limit = Math.min(maxBytes, MAX_UNPACKED_BYTES);
  const files: { name: string; content: Buffer }[] = [];
  const skipped: string[] = [];
  let n = 0;
  const take = (name: string, content: Buffer) => {
    if (content.length === 0) skipped.push(`${name}: empty`);
    else if (content.length > limit) skipped.push(`${name}: over ${limit} bytes`);
    else files.push({ name, content });
  };
  for (const a of attachments) {
    n++;
    const type = a.contentType.toLowerCase().split(';')[0]!.trim();
    let name = cleanName(a.filename ?? '');
    if (!name) name = `attachment-${n}${BY_TYPE[type] ?? (type === 'application/zip' ? '.zip' : type === 'application/gzip' ? '.gz' : '')}`;
    if (!a.content) {
      skipped.push(`${name}: ${a.omitted === 'too-large' ? 'over the attachment size limit' : 'no content'}`);
      continue;
    }
    const ext = extOf(name);
    try {
      if (USABLE.includes(ext)) take(name, a.content);
      else if (ext === '.zip' || type === 'application/zip' || type === 'application/x-zip-compressed') {
        const entries = unzip(a.content, { maxEntryBytes: limit, maxEntries: MAX_FILES });
        let used = 0;
        for (const e of entries) {
          const inner = cleanName(e.name);
          if (USABLE.includes(extOf(inner))) {
            take(inner, e.content);
            used++;
          } else skipped.push(`${name}/${inner}: not CSV, JSON or text`);
        }
        if (used === 0 && entries.length === 0) skipped.push(`${name}: empty archive`);
      } else if (ext === '.gz' || type === 'application/gzip' || type === 'application/x-gzip') {
        const inner = ext === '.gz' ? name.slice(0, -3) : name;
        if (USABLE.includes(extOf(inner))) take(inner, gunzip(a.content, limit));
        else skipped.push(`${name}: not a compressed CSV, JSON or text file`);
      } else skipped.push(`${name}: not CSV, JSON, text, .zip or .gz`);
    } catch (err) {
      if (!(err instanceof ArchiveError)) throw err;
      skipped.push(`${name}: ${err.message}`);
    }
  }
  return { files: files.slice(0, MAX_FILES), skipped: files.length > MAX_FILES ? [...skipped, `only the first ${MAX_FILES} files are imported`] : skipped };
}

export function createFeedMail(deps: { db: Db; blobs: BlobStore; audit: AuditService; feeds: () => FeedImportQueue; maxFeedBytes: number }) {
  const { db, blobs, audit } = deps;
  /** The same bytes spooled twice may be processed at once: one at a time per message (the spool is this machine's). */
  const busy = new Map<string, Promise<unknown>>();

  async function sourceFor(envelope: SpoolEnvelope, message: ParsedInbound): Promise<Row<'feed_sources'> | null> {
    // The envelope says where the message was delivered; mail fetched by IMAP has none, so there
    // the To and Cc headers do (a header naming a feed beside the team's address on SMTP does not).
    const list = envelope.rcptTo.length > 0 ? envelope.rcptTo : [...message.to, ...message.cc].map((a) => a.address);
    const wanted = [...new Set(list.map((a) => a.trim().toLowerCase()).filter(Boolean))].slice(0, 50);
    if (wanted.length === 0) return null;
    const rows = await db.selectFrom('feed_sources').selectAll().where('mail_address', 'in', wanted).execute();
    // The first feed address in the order given, when a message names several.
    for (const w of wanted) {
      const r = rows.find((x) => x.mail_address === w);
      if (r) return r;
    }
    return null;
  }

  async function handleOne(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound): Promise<FeedMailOutcome | null> {
    const source = await sourceFor(envelope, message);
    if (!source) return null;
    const key = message.rawSha256.slice(0, 36);
    const done = await db.selectFrom('audit_log').select('details').where('target_type', '=', 'feed_mail').where('target_id', '=', key).where('action', '=', 'feed.mail_import').execute();
    for (const d of done) {
      const prior = JSON.parse(d.details) as { rawSha256?: string; sourceId?: string; imports?: { id: string; fileName: string }[] };
      if (prior.rawSha256 === message.rawSha256 && prior.sourceId === source.id) return { imports: prior.imports ?? [], already: true };
    }
    const where = `the feed "${source.name}" (${source.mail_address})`;
    if (Number(source.enabled) !== 1) return { quarantine: { code: 'feed-disabled', detail: `${where} is disabled` } };
    const sender = message.from?.address ?? envelope.mailFrom ?? '';
    const senders = JSON.parse(source.mail_senders) as string[];
    if (!sender || !senderAllowed(senders, sender)) {
      return { quarantine: { code: 'feed-sender-refused', detail: `${sender || '(no sender)'} may not send to ${where}${senders.length === 0 ? ': no senders are allowed' : ''}`.slice(0, 1000) } };
    }
    const { files, skipped } = feedFiles(message.attachments, deps.maxFeedBytes);
    if (files.length === 0) {
      return { quarantine: { code: 'feed-no-attachment', detail: `nothing to import for ${where}${skipped.length ? `: ${skipped.join('; ')}` : ': the message has no attachment'}`.slice(0, 1000) } };
    }
    const stored: { name: string; blob: { sha256: string; size: number } }[] = [];
    for (const f of files) stored.push({ name: f.name, blob: await blobs.putBuffer(f.content) });
    const imports: { id: string; fileName: string }[] = [];
    await db.transaction().execute(async (trx) => {
      for (const s of stored) imports.push({ id: await deps.feeds().queueStoredImport(trx, FEED_MAIL_ACTOR, source.id, { blob: s.blob, fileName: s.name, method: 'mail' }), fileName: s.name });
      await audit.record(trx, FEED_MAIL_ACTOR, {
        action: 'feed.mail_import',
        targetType: 'feed_mail',
        targetId: key,
        details: { rawSha256: message.rawSha256, sourceId: source.id, spoolId, from: sender, messageId: message.messageId, imports, skipped },
      });
    });
    return { imports, already: false };
  }

  return {
    /** For the SMTP listener: is this one of the feed sources' addresses? */
    async isFeedAddress(address: string): Promise<boolean> {
      const a = address.trim().toLowerCase();
      if (!a.includes('@') || a.length > 320) return false;
      return (await db.selectFrom('feed_sources').select('id').where('mail_address', '=', a).executeTakeFirst()) !== undefined;
    },

    /** Null when the message is not addressed to a feed source; else what became of it. */
    async handle(spoolId: string, envelope: SpoolEnvelope, message: ParsedInbound): Promise<FeedMailOutcome | null> {
      const before = busy.get(message.rawSha256);
      const run = (before ?? Promise.resolve()).catch(() => undefined).then(() => handleOne(spoolId, envelope, message));
      busy.set(message.rawSha256, run);
      try {
        return await run;
      } finally {
        if (busy.get(message.rawSha256) === run) busy.delete(message.rawSha256);
      }
    },
  };
}

export type FeedMail = ReturnType<typeof createFeedMail>;
