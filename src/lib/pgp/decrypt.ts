import * as openpgp from 'openpgp';
import type { Message } from 'openpgp';
import { errorMessage, type TeamKey } from './keys.js';
import { evaluateSignatures, failed, type VerifyContext } from './verify.js';
import { emptyPgpStatus, mergePgpStatus, type PgpFormat, type PgpStatus } from './status.js';

export interface DecryptContext extends VerifyContext {
  /** The unlocked team key; null when none is configured (every encrypted message then fails with no-key). */
  teamKey: TeamKey | null;
  /** Cap on decompressed plaintext, against compression bombs. Default 64 MiB. */
  maxPlaintextBytes?: number;
}

export interface DecryptResult {
  /** The plaintext bytes, or null when decryption failed. */
  data: Uint8Array | null;
  /** The file name stored in the literal data packet, if any. */
  filename: string | null;
  status: PgpStatus;
}

const DEFAULT_MAX_PLAINTEXT = 64 * 1024 * 1024;

async function readAnyMessage(input: string | Uint8Array): Promise<Message<Uint8Array | string>> {
  const binary = typeof input === 'string' ? dearmorMessage(input) : input;
  return binary
    ? ((await openpgp.readMessage({ binaryMessage: binary })) as Message<Uint8Array>)
    : ((await openpgp.readMessage({ armoredMessage: input as string })) as Message<string>);
}

/**
 * Decodes a plain "BEGIN PGP MESSAGE" armor with Node's native base64 decoder (OpenPGP.js's own
 * is several times slower on the 100 KB+ messages reports with evidence come as). The CRC line is
 * ignored, as RFC 9580 asks; integrity comes from the encryption (MDC/AEAD). Returns null for
 * anything unusual, which then goes through OpenPGP.js's decoder.
 */
export function dearmorMessage(text: string): Uint8Array | null {
  const begin = text.indexOf('-----BEGIN PGP MESSAGE-----');
  const end = text.indexOf('-----END PGP MESSAGE-----', begin);
  if (begin < 0 || end < 0) return null;
  const lines = text.slice(begin, end).split(/\r?\n/);
  lines.shift(); // the BEGIN line
  let i = 0;
  while (i < lines.length && lines[i]!.trim() !== '') {
    if (!/^[A-Za-z0-9-]+: /.test(lines[i]!)) return null; // not an armor header: not plain armor
    i++;
  }
  const body = lines
    .slice(i + 1)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (body.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(body[body.length - 1]!)) body.pop(); // CRC24 checksum line
  const joined = body.join('');
  const bytes = Buffer.from(joined, 'base64');
  // Node's decoder skips characters outside the alphabet; a round trip proves there were none.
  if (bytes.length === 0 || bytes.toString('base64') !== joined) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Decrypts an OpenPGP message (armored or binary) with the team key and verifies the signatures
 * it carries against the known keys. A message that is only signed (not encrypted) is verified.
 * Never throws: every failure is a status with a reason.
 */
export async function openPgpMessage(input: string | Uint8Array, ctx: DecryptContext, format: PgpFormat): Promise<DecryptResult> {
  const config = { maxDecompressedMessageSize: ctx.maxPlaintextBytes ?? DEFAULT_MAX_PLAINTEXT };
  const fullConfig = { ...openpgp.config, ...config };
  let message: Message<Uint8Array | string>;
  try {
    message = await readAnyMessage(input);
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'malformed', `not an OpenPGP message: ${errorMessage(err)}`) };
  }
  const encryptedTo = message.getEncryptionKeyIDs().map((k) => k.toHex());
  const encrypted = encryptedTo.length > 0 || message.packets.some((p) => isEncryptedDataPacket(p));
  if (!encrypted) return verifyOnly(message, input, ctx, format, config);

  if (!ctx.teamKey) {
    return { data: null, filename: null, status: failed(format, 'no-key', 'message is encrypted but no team key is configured', false, true) };
  }
  const ours = new Set(ctx.teamKey.privateKey.getKeys().map((k) => k.getKeyID().toHex()));
  const wildcard = '0000000000000000';
  if (encryptedTo.length > 0 && !encryptedTo.some((id) => ours.has(id) || id === wildcard)) {
    return {
      data: null,
      filename: null,
      status: failed(format, 'no-key', `encrypted to key(s) ${encryptedTo.join(', ')}, none of which is the team key`, false, true),
    };
  }
  // One decryption pass through the Message API: the signing key IDs are only known once
  // decrypted, and verifying the decrypted message afterwards avoids decrypting twice.
  let decrypted: Message<Uint8Array | string>;
  try {
    decrypted = (await message.decrypt([ctx.teamKey.privateKey], undefined, undefined, undefined, fullConfig)) as Message<Uint8Array | string>;
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'decrypt-failed', errorMessage(err), false, true) };
  }
  let data: Uint8Array | null;
  let filename: string | null;
  try {
    data = decrypted.getLiteralData() as Uint8Array | null;
    filename = decrypted.getFilename() || null;
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'malformed', `decrypted content: ${errorMessage(err)}`, false, true) };
  }
  if (!data) return { data: null, filename: null, status: failed(format, 'malformed', 'no literal data in the decrypted message', false, true) };
  const base: PgpStatus = { ...emptyPgpStatus(), formats: [format], encrypted: true, decrypted: true };
  const keyIds = [...new Set(decrypted.getSigningKeyIDs().map((k) => k.toHex()))];
  if (keyIds.length === 0) return { data, filename, status: base };

  const keys = await ctx.lookupKeys(keyIds);
  let sigStatus: PgpStatus;
  if (keys.length === 0) {
    sigStatus = { ...failed(format, 'unknown-signer', `signed by key ${keyIds.join(', ')}, which is not known`, true), signerKeyIds: keyIds };
  } else {
    try {
      const results = await decrypted.verify(keys, ctx.date ?? new Date(), fullConfig);
      sigStatus = await evaluateSignatures(results, keys, format, ctx.fromAddress);
    } catch (err) {
      sigStatus = failed(format, 'bad-signature', errorMessage(err), true);
    }
  }
  return { data, filename, status: mergePgpStatus(base, sigStatus) };
}

async function verifyOnly(
  message: Message<Uint8Array | string>,
  input: string | Uint8Array,
  ctx: DecryptContext,
  format: PgpFormat,
  config: { maxDecompressedMessageSize: number },
): Promise<DecryptResult> {
  const keyIds = message.getSigningKeyIDs().map((k) => k.toHex());
  const keys = keyIds.length ? await ctx.lookupKeys(keyIds) : [];
  try {
    // With no keys openpgp still parses the data and reports each signature as unverifiable.
    const result = await openpgp.verify({
      message: await readAnyMessage(input),
      verificationKeys: keys,
      format: 'binary',
      config,
      ...(ctx.date ? { date: ctx.date } : {}),
    });
    const status = await evaluateSignatures(result.signatures, keys, format, ctx.fromAddress);
    if (keyIds.length > 0 && keys.length === 0) status.failure = { code: 'unknown-signer', detail: `signed by key ${keyIds.join(', ')}, which is not known` };
    return { data: result.data, filename: null, status };
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'malformed', errorMessage(err), keyIds.length > 0) };
  }
}

function isEncryptedDataPacket(p: unknown): boolean {
  const tag = (p as { constructor?: { tag?: number } }).constructor?.tag;
  return (
    tag === openpgp.enums.packet.symEncryptedIntegrityProtectedData ||
    tag === openpgp.enums.packet.aeadEncryptedData ||
    tag === openpgp.enums.packet.symmetricallyEncryptedData
  );
}
