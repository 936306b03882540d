import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

/**
 * Sending composed raw messages through the configured SMTP relay. The durable outbox (retries,
 * backoff, per-message status) is built on top of sendRaw and classifySendError.
 */
export interface RelayConfig {
  host: string;
  port: number;
  /** Implicit TLS (465). Otherwise STARTTLS when offered (or required with requireTLS). */
  secure?: boolean;
  requireTLS?: boolean;
  auth?: { user: string; pass: string };
  /** Accept a self-signed relay certificate (lab setups only). */
  allowUntrustedCertificate?: boolean;
  /** Name sent in EHLO. */
  clientName?: string;
  connectionTimeoutMs?: number;
}

export type RelayTransport = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

export function createRelayTransport(config: RelayConfig): RelayTransport {
  return createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    requireTLS: config.requireTLS ?? false,
    ...(config.auth ? { auth: config.auth } : {}),
    ...(config.clientName ? { name: config.clientName } : {}),
    ...(config.allowUntrustedCertificate ? { tls: { rejectUnauthorized: false } } : {}),
    connectionTimeout: config.connectionTimeoutMs ?? 30_000,
    greetingTimeout: config.connectionTimeoutMs ?? 30_000,
    socketTimeout: 120_000,
  });
}

/**
 * Delivery status notifications to ask for (RFC 3461). Sent only when the relay offers DSN in its
 * EHLO reply (nodemailer checks): a relay without it takes the message as usual, without them.
 */
export interface DsnRequest {
  /** NOTIFY, for every recipient. */
  notify: ('SUCCESS' | 'FAILURE' | 'DELAY')[];
  /** ENVID: our identifier of this message, quoted back as Original-Envelope-Id in every notification. */
  envid: string;
}

export interface SendEnvelope {
  from: string;
  to: string[];
  dsn?: DsnRequest;
}

export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** The relay's final reply, e.g. "250 2.0.0 Ok: queued as ABC". */
  response: string;
  /**
   * Whether the DSN parameters went out (`requested`), the relay does not offer DSN (`not-offered`)
   * or offered it but refused the parameters, so the message went without them (`refused`); null: none asked.
   */
  dsn: 'requested' | 'not-offered' | 'refused' | null;
}

/** A relay that offers DSN yet answers our parameters with "syntax error" or "parameter not implemented". */
function refusesDsnParameters(err: unknown): boolean {
  const e = err as { responseCode?: number; command?: string } | null;
  return (e?.command === 'MAIL FROM' || e?.command === 'RCPT TO') && (e.responseCode === 501 || e.responseCode === 504 || e.responseCode === 555);
}

/** Sends a raw message as is (it is already signed/encrypted: nothing may change it). */
export async function sendRaw(transport: RelayTransport, envelope: SendEnvelope, raw: Buffer): Promise<SendResult> {
  const dsn = envelope.dsn
    ? {
        notify: envelope.dsn.notify,
        envid: envelope.dsn.envid,
        // RET=HDRS: the returned headers carry our Message-ID; the body need not come back.
        ret: 'HDRS' as const,
        // ORCPT is given once for every RCPT TO, so only when there is one recipient.
        ...(envelope.to.length === 1 ? { orcpt: `rfc822;${envelope.to[0]!}` } : {}),
      }
    : undefined;
  const plain = { envelope: { from: envelope.from, to: envelope.to }, raw };
  let info: SMTPTransport.SentMessageInfo;
  let refused = false;
  try {
    info = await transport.sendMail(dsn ? { ...plain, dsn } : plain);
  } catch (err) {
    // The notifications are a nicety; the message is not: once more, without them.
    if (!dsn || !refusesDsnParameters(err)) throw err;
    info = await transport.sendMail(plain);
    refused = true;
  }
  // nodemailer hands back the relay's EHLO keywords with the result; DSN among them means it took the parameters.
  const ehlo = (info as { ehlo?: unknown }).ehlo;
  const offered = Array.isArray(ehlo) && ehlo.some((l) => typeof l === 'string' && /^DSN\b/i.test(l));
  return { accepted: [...info.accepted], rejected: [...info.rejected], response: info.response, dsn: !dsn ? null : refused ? 'refused' : offered ? 'requested' : 'not-offered' };
}

/**
 * Whether a send failure is worth retrying: 4xx replies and network errors are temporary, 5xx
 * replies permanent (the relay or the recipient's server refused the message).
 */
export function classifySendError(err: unknown): 'temporary' | 'permanent' {
  const e = err as { responseCode?: number; code?: string } | null;
  if (e?.responseCode && e.responseCode >= 500 && e.responseCode < 600) return 'permanent';
  if (e?.code === 'EENVELOPE' && !e.responseCode) return 'permanent';
  return 'temporary';
}
