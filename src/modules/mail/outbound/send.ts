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

export interface SendEnvelope {
  from: string;
  to: string[];
}

export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** The relay's final reply, e.g. "250 2.0.0 Ok: queued as ABC". */
  response: string;
}

/** Sends a raw message as is (it is already signed/encrypted: nothing may change it). */
export async function sendRaw(transport: RelayTransport, envelope: SendEnvelope, raw: Buffer): Promise<SendResult> {
  const info = await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
  return { accepted: [...info.accepted], rejected: [...info.rejected], response: info.response };
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
