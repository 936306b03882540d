import * as openpgp from 'openpgp';
import type { Message, SessionKey } from 'openpgp';
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
  return typeof input === 'string'
    ? ((await openpgp.readMessage({ armoredMessage: input })) as Message<string>)
    : ((await openpgp.readMessage({ binaryMessage: input })) as Message<Uint8Array>);
}

/**
 * Decrypts an OpenPGP message (armored or binary) with the team key and verifies the signatures
 * it carries against the known keys. A message that is only signed (not encrypted) is verified.
 * Never throws: every failure is a status with a reason.
 */
export async function openPgpMessage(input: string | Uint8Array, ctx: DecryptContext, format: PgpFormat): Promise<DecryptResult> {
  const config = { maxDecompressedMessageSize: ctx.maxPlaintextBytes ?? DEFAULT_MAX_PLAINTEXT };
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
  let sessionKeys: SessionKey[];
  try {
    const decrypted = await openpgp.decryptSessionKeys({ message, decryptionKeys: ctx.teamKey.privateKey, config });
    sessionKeys = decrypted.map((k) => ({ data: k.data, algorithm: k.algorithm ?? 'aes256' }));
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'decrypt-failed', `session key: ${errorMessage(err)}`, false, true) };
  }
  // First pass without verification keys: it yields the plaintext and the key IDs the signatures
  // claim (unknown until decrypted); a second, symmetric-only pass verifies with the keys found.
  let first: { data: Uint8Array; filename: string; signatures: { keyID: { toHex(): string } }[] };
  try {
    first = await openpgp.decrypt({ message: await readAnyMessage(input), sessionKeys, format: 'binary', config });
  } catch (err) {
    return { data: null, filename: null, status: failed(format, 'decrypt-failed', errorMessage(err), false, true) };
  }
  const base: PgpStatus = { ...emptyPgpStatus(), formats: [format], encrypted: true, decrypted: true };
  const keyIds = [...new Set(first.signatures.map((s) => s.keyID.toHex()))];
  const filename = first.filename || null;
  if (keyIds.length === 0) return { data: first.data, filename, status: base };

  const keys = await ctx.lookupKeys(keyIds);
  let sigStatus: PgpStatus;
  if (keys.length === 0) {
    sigStatus = { ...failed(format, 'unknown-signer', `signed by key ${keyIds.join(', ')}, which is not known`, true), signerKeyIds: keyIds };
  } else {
    try {
      const second = await openpgp.decrypt({
        message: await readAnyMessage(input),
        sessionKeys,
        verificationKeys: keys,
        format: 'binary',
        config,
        ...(ctx.date ? { date: ctx.date } : {}),
      });
      sigStatus = await evaluateSignatures(second.signatures, keys, format, ctx.fromAddress);
    } catch (err) {
      sigStatus = failed(format, 'bad-signature', errorMessage(err), true);
    }
  }
  return { data: first.data, filename, status: mergePgpStatus(base, sigStatus) };
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
