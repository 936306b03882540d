import MimeNode from 'nodemailer/lib/mime-node';
import type { PublicKey } from 'openpgp';
import { Invalid } from '../../../lib/errors.js';
import { encryptMimeEntity, signMimeEntity, type PgpMimeMultipart, type TeamKey } from '../../../lib/pgp.js';
import { newMessageId } from './message-id.js';

/**
 * Composes outbound mail as raw MIME: the content is built with nodemailer's MIME builder, then
 * signed with the team key (RFC 3156 multipart/signed) — or, when every recipient has a known key,
 * encrypted to them (and to the team key) and signed inside (multipart/encrypted). Sending and the
 * durable outbox are separate (sendRaw, and the outbox built on top).
 */

export interface OutboundAddress {
  name?: string;
  address: string;
}

export interface OutboundRecipient extends OutboundAddress {
  /** The recipient's public key, when known (contact, constituent, partner). */
  key?: PublicKey | null;
}

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface ComposeInput {
  from: OutboundAddress;
  to: OutboundRecipient[];
  cc?: OutboundRecipient[];
  replyTo?: OutboundAddress;
  subject: string;
  text: string;
  html?: string;
  attachments?: OutboundAttachment[];
  /** Threading: the Message-ID replied to, and the chain (angle brackets optional). */
  inReplyTo?: string | null;
  references?: string[];
  /** Domain for the generated Message-ID (the team's mail domain). */
  messageIdDomain: string;
  /** A Message-ID chosen beforehand (the outbox assigns one when it queues a message); else one is generated. */
  messageId?: string;
  /** RFC 3834: set for automatic mail (acknowledgements: 'auto-replied'). */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
  language?: 'zh-TW' | 'en';
  /** Extra headers (e.g. X-Tocsin-Tracking). Names must be X- headers. */
  headers?: Record<string, string>;
  date?: Date;
}

export type EncryptionPolicy =
  /** Encrypt when every recipient has a key, else sign only (default). */
  | 'auto'
  /** Refuse to compose unless every recipient has a key (TLP:AMBER and above, say). */
  | 'required'
  /** Sign only. */
  | 'never';

export interface ComposeSecurity {
  teamKey: TeamKey;
  encryption?: EncryptionPolicy;
}

export interface ComposedMessage {
  raw: Buffer;
  /** With angle brackets, as in the header. */
  messageId: string;
  envelope: { from: string; to: string[] };
  encrypted: boolean;
  signed: true;
}

function angle(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

function formatAddress(a: OutboundAddress): { name: string; address: string } {
  return { name: a.name ?? '', address: a.address };
}

/** Builds the signed/encrypted body entity (no message headers) with nodemailer's MIME builder. */
async function buildContentEntity(input: ComposeInput): Promise<Buffer> {
  // A throw-away root: nodemailer adds Date, Message-ID and MIME-Version to root nodes only, and
  // those belong to the outer message, not inside the signed part.
  const scratch = new MimeNode('multipart/mixed', { disableFileAccess: true, disableUrlAccess: true });
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
  const attachments = input.attachments ?? [];
  const top = attachments.length > 0 ? scratch.createChild('multipart/mixed') : scratch;
  const bodyParent = input.html ? top.createChild('multipart/alternative') : top;
  const textNode = bodyParent.createChild('text/plain; charset=utf-8');
  textNode.setContent(crlf(input.text));
  if (input.html) bodyParent.createChild('text/html; charset=utf-8').setContent(crlf(input.html));
  for (const a of attachments) {
    top.createChild(a.contentType, { filename: a.filename }).setContent(a.content);
  }
  const entityNode = attachments.length > 0 ? top : input.html ? bodyParent : textNode;
  return entityNode.build();
}

export async function composeMessage(input: ComposeInput, security: ComposeSecurity): Promise<ComposedMessage> {
  const recipients = [...input.to, ...(input.cc ?? [])];
  if (recipients.length === 0) throw new Invalid('mail.compose.no-recipient', 'a message needs at least one recipient');
  for (const h of Object.keys(input.headers ?? {})) {
    if (!/^X-[A-Za-z0-9-]+$/.test(h)) throw new Invalid('mail.compose.bad-header', `only X- headers may be added, not ${h}`);
  }
  const policy = security.encryption ?? 'auto';
  const keys = recipients.map((r) => r.key ?? null);
  const allKeyed = keys.every((k): k is PublicKey => k !== null);
  if (policy === 'required' && !allKeyed) {
    const missing = recipients.filter((r) => !r.key).map((r) => r.address);
    throw new Invalid('mail.compose.missing-recipient-key', `no OpenPGP key for ${missing.join(', ')}`, { params: { addresses: missing.join(', ') } });
  }
  const encrypt = policy !== 'never' && allKeyed;

  const entity = await buildContentEntity(input);
  const pgp: PgpMimeMultipart = encrypt
    ? await encryptMimeEntity(entity, security.teamKey, keys as PublicKey[])
    : await signMimeEntity(entity, security.teamKey);

  const messageId = input.messageId ? angle(input.messageId) : newMessageId(input.messageIdDomain);
  const root = new MimeNode(pgp.contentType, { disableFileAccess: true, disableUrlAccess: true });
  root.setHeader('From', formatAddress(input.from));
  root.setHeader('To', input.to.map(formatAddress));
  if (input.cc?.length) root.setHeader('Cc', input.cc.map(formatAddress));
  if (input.replyTo) root.setHeader('Reply-To', formatAddress(input.replyTo));
  root.setHeader('Subject', input.subject.replace(/[\r\n]+/g, ' '));
  root.setHeader('Date', input.date ?? new Date());
  root.setHeader('Message-ID', messageId);
  if (input.inReplyTo) root.setHeader('In-Reply-To', angle(input.inReplyTo));
  if (input.references?.length) root.setHeader('References', input.references.map(angle).join(' '));
  if (input.autoSubmitted) root.setHeader('Auto-Submitted', input.autoSubmitted);
  if (input.language) root.setHeader('Content-Language', input.language);
  for (const [k, v] of Object.entries(input.headers ?? {})) root.setHeader(k, v.replace(/[\r\n]+/g, ' '));
  for (const part of pgp.parts) root.createChild('application/octet-stream').setRaw(part);

  const raw = await root.build();
  return {
    raw,
    messageId,
    envelope: { from: input.from.address, to: recipients.map((r) => r.address) },
    encrypted: encrypt,
    signed: true,
  };
}
