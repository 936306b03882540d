import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A small SMTP server standing in for the outbound relay in tests: it keeps every message it
 * accepts, byte for byte, with the parameters of MAIL FROM and RCPT TO, and can refuse recipients
 * (4xx or 5xx) to exercise retries. With `dsn` it advertises DSN (RFC 3461) in its EHLO reply, as a
 * relay that returns delivery status notifications does; without it, it does not. Test support only.
 */
export type SmtpParams = Record<string, string | true>;

export interface SinkMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  /** MAIL FROM's parameters (names upper-case): e.g. RET and ENVID. */
  mailParams: SmtpParams;
  /** Each recipient's RCPT TO parameters (by lower-case address): e.g. NOTIFY and ORCPT. */
  rcptParams: Record<string, SmtpParams>;
}

function params(address: SMTPServerAddress | false): SmtpParams {
  const out: SmtpParams = {};
  if (!address || !address.args) return out;
  for (const [k, v] of Object.entries(address.args as Record<string, unknown>)) if (typeof v === 'string' || v === true) out[k.toUpperCase()] = v;
  return out;
}

export interface SmtpSink {
  port: number;
  messages: SinkMessage[];
  /** Messages that went to an address. */
  to(address: string): SinkMessage[];
  close(): Promise<void>;
}

export async function startSmtpSink(opts: {
  refuse?: (address: string) => { code: number; message: string } | null;
  /** Advertise DSN in the EHLO reply. */
  dsn?: boolean;
  /** Advertise DSN, yet answer MAIL FROM with DSN parameters 555 (a relay broken that way). */
  refuseDsnParams?: boolean;
} = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    hideDSN: !opts.dsn && !opts.refuseDsnParams,
    onMailFrom(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const given = params(address);
      if (opts.refuseDsnParams && (given.RET !== undefined || given.ENVID !== undefined)) return callback(Object.assign(new Error('5.5.4 MAIL FROM parameters not implemented'), { responseCode: 555 }));
      callback();
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const refusal = opts.refuse?.(address.address.toLowerCase());
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        messages.push({
          mailFrom: mailFrom ? mailFrom.address : '',
          rcptTo: rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks),
          mailParams: params(mailFrom),
          rcptParams: Object.fromEntries(rcptTo.map((r) => [r.address.toLowerCase(), params(r)])),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    to: (address) => messages.filter((m) => m.rcptTo.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
