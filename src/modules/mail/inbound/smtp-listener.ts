import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { MailLogger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { SpoolTooLarge, type Spool, type SpoolEnvelope } from './spool.js';

/**
 * The built-in SMTP listener for the reporting addresses. Its one promise: a message that got a
 * 250 reply is on disk (fsynced and committed to the spool) — the reply is sent only after that.
 * Anything refused gets a 4xx (sender retries) or 5xx (sender bounces) so nothing vanishes silently.
 */
export interface SmtpListenerOptions {
  spool: Spool;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Name in the greeting and Received lines. */
  serverName?: string;
  /** Largest message accepted, bytes (announced with SIZE; larger ones are refused with 552). */
  maxMessageBytes?: number;
  /**
   * Recipient addresses accepted ("cert@example.org"), or whole domains ("@example.org").
   * Anything else is refused with 550 — the listener is not an open relay.
   */
  acceptRecipients: string[];
  /** Further addresses looked up per RCPT TO (feed sources' addresses, from the database). */
  acceptRecipient?: (address: string) => Promise<boolean>;
  maxRecipients?: number;
  /** STARTTLS with this certificate and key (PEM files); without it STARTTLS is not offered. */
  tls?: { certPath: string; keyPath: string };
  maxClients?: number;
  socketTimeoutMs?: number;
  /** Called after a message is durably stored and acknowledged. Errors are logged, never fatal. */
  onStored?: (spoolId: string) => void | Promise<void>;
  logger?: MailLogger;
}

export interface SmtpListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export function recipientMatcher(accept: readonly string[]): (address: string) => boolean {
  const exact = new Set<string>();
  const domains = new Set<string>();
  for (const a of accept) {
    const v = a.trim().toLowerCase();
    if (v.startsWith('@')) domains.add(v.slice(1));
    else if (v) exact.add(v);
  }
  return (address) => {
    const v = address.trim().toLowerCase();
    const at = v.lastIndexOf('@');
    return exact.has(v) || (at > 0 && domains.has(v.slice(at + 1)));
  };
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const log = opts.logger ?? silentLogger;
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_BYTES;
  const accepts = recipientMatcher(opts.acceptRecipients);
  const tlsFiles = opts.tls ? { cert: await readFile(opts.tls.certPath), key: await readFile(opts.tls.keyPath) } : null;

  const server = new SMTPServer({
    name: opts.serverName ?? 'tocsin',
    banner: 'Tocsin report intake',
    size: maxBytes,
    authOptional: true,
    disabledCommands: tlsFiles ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tlsFiles ? { cert: tlsFiles.cert, key: tlsFiles.key } : {}),
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: false,
    maxClients: opts.maxClients ?? 100,
    socketTimeout: opts.socketTimeoutMs ?? 60_000,
    closeTimeout: 5_000,
    maxRecipients: opts.maxRecipients ?? 50,

    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      if (accepts(address.address)) return callback();
      const refuse = () => callback(smtpError(550, `<${address.address}>: recipient not accepted here`));
      if (!opts.acceptRecipient) return refuse();
      opts.acceptRecipient(address.address).then(
        (ok) => (ok ? callback() : refuse()),
        (err: unknown) => {
          // The lookup failed (database down): the sender keeps the message and tries again.
          log.error({ err }, 'recipient lookup failed');
          callback(smtpError(451, 'Temporary failure checking the recipient, try again later'));
        },
      );
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void) {
      const envelope: SpoolEnvelope = {
        source: 'smtp',
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        receivedAt: new Date().toISOString(),
        remoteAddress: session.remoteAddress,
        clientHostname: session.clientHostname,
        helo: session.hostNameAppearsAs || '',
        secure: session.secure,
      };
      opts.spool
        .store(stream, envelope, { maxBytes })
        .then(({ id, size }) => {
          log.info({ spoolId: id, size }, 'mail accepted');
          callback(null, `OK: queued as ${id}`);
          if (opts.onStored) {
            Promise.resolve()
              .then(() => opts.onStored!(id))
              .catch((err: unknown) => log.error({ spoolId: id, err }, 'onStored failed'));
          }
        })
        .catch((err: unknown) => {
          if (err instanceof SpoolTooLarge) {
            log.warn({ limit: maxBytes, remote: session.remoteAddress }, 'mail refused: too large');
            return callback(smtpError(552, `Message exceeds fixed maximum message size ${maxBytes}`));
          }
          // Disk full, permissions...: a temporary failure, so the sender keeps the message and retries.
          log.error({ err, remote: session.remoteAddress }, 'mail could not be stored');
          callback(smtpError(451, 'Temporary failure storing the message, try again later'));
        });
    },
  });
  server.on('error', (err) => log.error({ err }, 'smtp listener error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(opts.port ?? 2525, opts.host ?? '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  log.info({ host: address.address, port: address.port }, 'smtp listener ready');
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
