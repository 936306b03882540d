import { ImapFlow } from 'imapflow';
import type { MailLogger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Spool } from './spool.js';

/**
 * Optional intake from an existing mailbox (when the reporting address lives on another mail
 * server). Each unseen message is stored durably in the spool BEFORE it is flagged \Seen or moved,
 * so a crash in between leads to the message being fetched again (at-least-once: the processor
 * deduplicates by Message-ID / raw SHA-256), never to it being lost.
 */
export interface ImapPollOptions {
  spool: Spool;
  host: string;
  port: number;
  /** Implicit TLS (993). Otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string };
  mailbox?: string;
  /** After spooling: flag \Seen (default) or move to another mailbox. */
  after?: 'seen' | { moveTo: string };
  /** Messages larger than this are left in the mailbox (logged), as SMTP would refuse them. */
  maxMessageBytes?: number;
  /** Accept a self-signed certificate (test and lab setups only). */
  allowUntrustedCertificate?: boolean;
  onStored?: (spoolId: string) => void | Promise<void>;
  logger?: MailLogger;
}

export interface ImapPollResult {
  stored: string[];
  /** UIDs left in the mailbox because they were too large. */
  skipped: number[];
}

const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/** Fetches every unseen message once: spool, then flag or move. */
export async function pollImapOnce(opts: ImapPollOptions): Promise<ImapPollResult> {
  const log = opts.logger ?? silentLogger;
  const mailbox = opts.mailbox ?? 'INBOX';
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_BYTES;
  const client = new ImapFlow({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.auth,
    logger: false,
    disableAutoIdle: true,
    ...(opts.allowUntrustedCertificate ? { tls: { rejectUnauthorized: false } } : {}),
  });
  const result: ImapPollResult = { stored: [], skipped: [] };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uidValidity = client.mailbox && typeof client.mailbox === 'object' ? String(client.mailbox.uidValidity) : '';
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids) {
        // One message at a time, never inside a fetch iterator: imapflow cannot run other
        // commands (flagging) while a FETCH is being streamed.
        const msg = await client.fetchOne(String(uid), { uid: true, size: true, source: true }, { uid: true });
        if (!msg || !msg.source) continue;
        if ((msg.size ?? msg.source.length) > maxBytes) {
          log.warn({ uid, size: msg.size }, 'imap message too large: left in the mailbox');
          result.skipped.push(uid);
          continue;
        }
        const { id } = await opts.spool.store(msg.source, {
          source: 'imap',
          mailFrom: null,
          rcptTo: [],
          receivedAt: new Date().toISOString(),
          imap: { host: opts.host, mailbox, uid, uidValidity },
        });
        result.stored.push(id);
        // Only now, with the message durable, may the mailbox forget about it.
        if (opts.after && typeof opts.after === 'object') await client.messageMove(String(uid), opts.after.moveTo, { uid: true });
        else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        log.info({ spoolId: id, uid }, 'imap message spooled');
        if (opts.onStored) {
          Promise.resolve()
            .then(() => opts.onStored!(id))
            .catch((err: unknown) => log.error({ spoolId: id, err }, 'onStored failed'));
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

export interface ImapPoller {
  /** Stops polling and waits for a running poll to finish. */
  stop(): Promise<void>;
}

/** Polls every `intervalMs`; errors are logged and the next poll tries again. */
export function startImapPoller(opts: ImapPollOptions & { intervalMs: number }): ImapPoller {
  const log = opts.logger ?? silentLogger;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = pollImapOnce(opts)
      .then(
        () => undefined,
        (err: unknown) => log.error({ err, host: opts.host }, 'imap poll failed'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
