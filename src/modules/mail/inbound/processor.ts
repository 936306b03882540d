import type { MailLogger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { parseInbound, type ParsedInbound, type ParseOptions } from './parse.js';
import type { QuarantineReason, Spool, SpoolEnvelope } from './spool.js';

/**
 * Drives the spool: every pending message is parsed, handed to `onParsed` (the reports module
 * creates or threads a report there), then marked processed; a quarantine verdict moves it to
 * quarantine with its reason. The order makes a crash safe: a message is marked processed only
 * after `onParsed` succeeded, so after a crash it is handed over again — `onParsed` must be
 * idempotent (key it on the spool id or the raw SHA-256). When `onParsed` throws (database down),
 * the message stays pending for the next run.
 */
export interface ProcessorOptions {
  spool: Spool;
  /** Parse options; `envelopeFrom` is filled in from each message's envelope. */
  parse: Omit<ParseOptions, 'envelopeFrom'>;
  /**
   * Files the message. May instead return a quarantine verdict when the message parsed but cannot
   * be filed (the reports module refused it): it is then quarantined with that reason, not retried.
   */
  onParsed: (input: { spoolId: string; envelope: SpoolEnvelope; message: ParsedInbound }) => Promise<void | { quarantine: QuarantineReason }>;
  /** Told about each quarantined message (e.g. to count it or alert the console). */
  onQuarantined?: (input: { spoolId: string; code: string; detail: string }) => void | Promise<void>;
  concurrency?: number;
  logger?: MailLogger;
}

export interface ProcessRunResult {
  processed: string[];
  quarantined: string[];
  /** Left pending because onParsed (or the spool) failed; retried on the next run. */
  failed: string[];
}

export async function processMessage(opts: ProcessorOptions, id: string): Promise<'processed' | 'quarantined'> {
  const { raw, envelope } = await opts.spool.read(id);
  const result = await parseInbound(raw, { ...opts.parse, envelopeFrom: envelope.mailFrom });
  if (result.kind === 'quarantine') {
    await opts.spool.quarantine(id, result.reason);
    await opts.onQuarantined?.({ spoolId: id, code: result.reason.code, detail: result.reason.detail });
    return 'quarantined';
  }
  const verdict = await opts.onParsed({ spoolId: id, envelope, message: result.message });
  if (verdict) {
    await opts.spool.quarantine(id, verdict.quarantine);
    await opts.onQuarantined?.({ spoolId: id, code: verdict.quarantine.code, detail: verdict.quarantine.detail });
    return 'quarantined';
  }
  await opts.spool.markProcessed(id);
  return 'processed';
}

/** Processes every message pending right now (oldest first), `concurrency` at a time. */
export async function processPending(opts: ProcessorOptions): Promise<ProcessRunResult> {
  const log = opts.logger ?? silentLogger;
  const ids = await opts.spool.listPending();
  const result: ProcessRunResult = { processed: [], quarantined: [], failed: [] };
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        const outcome = await processMessage(opts, id);
        result[outcome].push(id);
      } catch (err) {
        log.error({ spoolId: id, err }, 'inbound message not processed; it stays in the spool');
        result.failed.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  return result;
}
