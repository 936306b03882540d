import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { PublicKey } from 'openpgp';
import type { DecryptContext } from './decrypt.js';
import { openPgpMessage } from './decrypt.js';
import type { TeamKey } from './keys.js';
import {
  decodeBody,
  DEFAULT_MIME_LIMITS,
  headerValue,
  parseMimeTree,
  spliceEntity,
  toCrlf,
  walkMime,
  type MimeEntity,
  type MimeLimits,
} from './mime-tree.js';
import { emptyPgpStatus, mergePgpStatus, type PgpStatus } from './status.js';
import { failed, verifyDetached } from './verify.js';

/* ------------------------------------------------------------------ reading (RFC 3156) */

export interface OpenPgpMimeContext extends DecryptContext {
  limits?: MimeLimits;
}

export interface OpenPgpMimeResult {
  /** The message with every PGP/MIME layer replaced by its content (unchanged when there was none or it failed). */
  raw: Buffer;
  status: PgpStatus;
  /** Subject from an encrypted part's protected headers (RFC "protected-headers=v1"), if any. */
  protectedSubject: string | null;
}

/** Layers (encrypted inside signed inside encrypted...) opened at most; deeper ones are left as they are. */
const MAX_LAYERS = 4;

/**
 * Opens PGP/MIME: decrypts multipart/encrypted with the team key and verifies multipart/signed
 * against the known keys, splicing the content back so the result parses as an ordinary message.
 * Looks through the whole tree except inside attached messages (message/rfc822): a forwarded
 * encrypted mail is evidence, not ours to open. Never throws for bad input: a MimeLimitError is the
 * one exception, for the caller to quarantine a bomb.
 */
export async function openPgpMime(raw: Buffer, ctx: OpenPgpMimeContext): Promise<OpenPgpMimeResult> {
  const limits = ctx.limits ?? DEFAULT_MIME_LIMITS;
  let status = emptyPgpStatus();
  let current = raw;
  let protectedSubject: string | null = null;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const root = parseMimeTree(current, limits);
    const target = findPgpMimeEntity(root);
    if (!target) break;
    if (target.contentType.subtype === 'encrypted') {
      const opened = await openEncrypted(current, target, ctx);
      status = mergePgpStatus(status, opened.status);
      if (!opened.entity) break;
      const inner = parseMimeTree(opened.entity, limits);
      const isProtected = inner.contentType.params['protected-headers'] === 'v1';
      const subject = isProtected ? headerValue(inner.headers, 'subject') : undefined;
      if (subject !== undefined && target === root) protectedSubject = decodeLatin1AsUtf8(subject);
      current = spliceEntity(current, root, target, opened.entity);
    } else {
      const opened = await openSigned(current, target, ctx);
      status = mergePgpStatus(status, opened.status);
      if (!opened.entity) break;
      current = spliceEntity(current, root, target, opened.entity);
    }
  }
  return { raw: current, status, protectedSubject };
}

function findPgpMimeEntity(root: MimeEntity): MimeEntity | null {
  let found: MimeEntity | null = null;
  walkMime(root, (e) => {
    if (found || e.embedded) return false;
    const ct = e.contentType;
    if (ct.type === 'multipart' && e.children.length >= 2) {
      const protocol = (ct.params.protocol ?? '').toLowerCase();
      if (ct.subtype === 'encrypted' && (protocol === 'application/pgp-encrypted' || protocol === '')) found = e;
      else if (ct.subtype === 'signed' && protocol === 'application/pgp-signature') found = e;
      if (found) return false;
    }
    return true;
  });
  return found;
}

async function openEncrypted(buf: Buffer, target: MimeEntity, ctx: OpenPgpMimeContext): Promise<{ entity: Buffer | null; status: PgpStatus }> {
  const payloadPart = target.children[1]!;
  const payload = decodeBody(buf, payloadPart);
  const armored = payload.toString('latin1');
  const input = armored.includes('-----BEGIN PGP MESSAGE-----') ? armored : new Uint8Array(payload);
  const result = await openPgpMessage(input, ctx, 'pgp-mime');
  // multipart/encrypted is encrypted content even when its payload is unreadable
  if (!result.data) return { entity: null, status: { ...result.status, encrypted: true, decrypted: false } };
  return { entity: asEntity(Buffer.from(result.data)), status: result.status };
}

async function openSigned(buf: Buffer, target: MimeEntity, ctx: OpenPgpMimeContext): Promise<{ entity: Buffer | null; status: PgpStatus }> {
  const [signedPart, sigPart] = target.children as [MimeEntity, MimeEntity];
  const signedBytes = buf.subarray(signedPart.start, signedPart.end);
  const sigType = sigPart.contentType.mediaType;
  if (sigType !== 'application/pgp-signature') {
    return { entity: Buffer.from(signedBytes), status: failed('pgp-mime', 'malformed', `signature part has type ${sigType}`, true) };
  }
  const sig = decodeBody(buf, sigPart);
  const sigInput = sig.includes('-----BEGIN PGP SIGNATURE-----') ? sig.toString('latin1') : new Uint8Array(sig);
  const status = await verifyDetached(new Uint8Array(toCrlf(Buffer.from(signedBytes))), sigInput, ctx);
  return { entity: Buffer.from(signedBytes), status };
}

/** Decrypted content should be a MIME entity; a bare text body (some clients) gets a text/plain header. */
function asEntity(data: Buffer): Buffer {
  const head = data.subarray(0, 2048).toString('latin1');
  if (/^[A-Za-z0-9-]+:/.test(head) || /^\r?\n/.test(head)) return data;
  return Buffer.concat([Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\n'), data]);
}

function decodeLatin1AsUtf8(value: string): string {
  return Buffer.from(value, 'latin1').toString('utf8');
}

/* ------------------------------------------------------------------ writing (RFC 3156) */

/**
 * A multipart PGP/MIME entity as parts: the caller (nodemailer's MIME builder in the outbound
 * module, or serializePgpMime) wraps them with a boundary of its own.
 */
export interface PgpMimeMultipart {
  /** Content-Type value without the boundary parameter. */
  contentType: string;
  /** Each part complete with its own headers, CRLF line breaks, 7-bit. */
  parts: Buffer[];
}

function assertSevenBit(entity: Buffer): void {
  for (const byte of entity) {
    if (byte > 0x7e && byte !== 0x7f) throw new Error('PGP/MIME content must be 7-bit (quoted-printable or base64 encoded)');
  }
}

function armorToCrlf(armored: string): Buffer {
  return Buffer.from(armored.replace(/\r?\n/g, '\r\n'), 'latin1');
}

/**
 * Signs a MIME entity (headers + body) with the team key: RFC 3156 multipart/signed. The signature
 * is a binary-mode detached signature over the entity in canonical CRLF form, which is what is sent.
 */
export async function signMimeEntity(entity: Buffer, team: TeamKey): Promise<PgpMimeMultipart> {
  const canonical = toCrlf(entity);
  assertSevenBit(canonical);
  const armored = await openpgp.sign({
    message: await openpgp.createMessage({ binary: new Uint8Array(canonical) }),
    signingKeys: team.privateKey,
    detached: true,
    format: 'armored',
  });
  const signature = await openpgp.readSignature({ armoredSignature: armored });
  const hash = signature.packets[0]?.hashAlgorithm;
  const micalg = hash != null ? `pgp-${openpgp.enums.read(openpgp.enums.hash, hash)}` : 'pgp-sha256';
  const sigPart = Buffer.concat([
    Buffer.from(
      'Content-Type: application/pgp-signature; name="signature.asc"\r\n' +
        'Content-Description: OpenPGP digital signature\r\n' +
        'Content-Disposition: attachment; filename="signature.asc"\r\n\r\n',
    ),
    armorToCrlf(armored),
  ]);
  return {
    contentType: `multipart/signed; micalg="${micalg}"; protocol="application/pgp-signature"`,
    parts: [canonical, sigPart],
  };
}

export interface EncryptMimeOptions {
  /** Sign inside the encryption (RFC 3156 6.2 combined method). Default true. */
  sign?: boolean;
  /** Also encrypt to the team key, so the team can read its own sent copy. Default true. */
  encryptToSelf?: boolean;
}

/** Encrypts (and by default signs) a MIME entity: RFC 3156 multipart/encrypted. */
export async function encryptMimeEntity(
  entity: Buffer,
  team: TeamKey,
  recipients: readonly PublicKey[],
  opts: EncryptMimeOptions = {},
): Promise<PgpMimeMultipart> {
  if (recipients.length === 0) throw new Error('encryptMimeEntity needs at least one recipient key');
  const canonical = toCrlf(entity);
  const encryptionKeys = opts.encryptToSelf === false ? [...recipients] : [...recipients, team.publicKey];
  const armored = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: new Uint8Array(canonical) }),
    encryptionKeys,
    ...(opts.sign === false ? {} : { signingKeys: team.privateKey }),
    format: 'armored',
  });
  return {
    contentType: 'multipart/encrypted; protocol="application/pgp-encrypted"',
    parts: [
      Buffer.from('Content-Type: application/pgp-encrypted\r\nContent-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n'),
      Buffer.concat([
        Buffer.from(
          'Content-Type: application/octet-stream; name="encrypted.asc"\r\n' +
            'Content-Description: OpenPGP encrypted message\r\n' +
            'Content-Disposition: inline; filename="encrypted.asc"\r\n\r\n',
        ),
        armorToCrlf(armored),
      ]),
    ],
  };
}

/** Serializes a PGP/MIME multipart as a standalone entity (Content-Type header + body). */
export function serializePgpMime(multipart: PgpMimeMultipart, boundary = `tocsin-${randomBytes(12).toString('hex')}`): Buffer {
  const chunks: Buffer[] = [Buffer.from(`Content-Type: ${multipart.contentType};\r\n boundary="${boundary}"\r\n\r\n`)];
  for (const part of multipart.parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`), part, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
