import * as openpgp from 'openpgp';
import type { PublicKey, Signature } from 'openpgp';
import { errorMessage, keyEmails, normalizeFingerprint } from './keys.js';
import type { KeyLookup } from './lookup.js';
import { emptyPgpStatus, type PgpFailureCode, type PgpFormat, type PgpStatus } from './status.js';

/** The shape of openpgp's per-signature verification result. */
interface VerificationLike {
  keyID: { toHex(): string };
  verified: Promise<true>;
  signature: Promise<Signature>;
}

export interface VerifyContext {
  lookupKeys: KeyLookup;
  /** The message's From address, to report whether the signing key belongs to the sender. */
  fromAddress?: string | null;
  date?: Date;
}

/**
 * Turns openpgp's verification results into a status. `keys` are the known keys that were passed
 * to openpgp for these signatures.
 */
export async function evaluateSignatures(
  results: readonly VerificationLike[],
  keys: readonly PublicKey[],
  format: PgpFormat,
  fromAddress: string | null | undefined,
): Promise<PgpStatus> {
  const status = emptyPgpStatus();
  status.formats = [format];
  if (results.length === 0) return status;
  status.signed = true;
  status.signerKeyIds = [...new Set(results.map((r) => r.keyID.toHex()))];
  let firstFailure: { code: PgpFailureCode; detail: string } | null = null;
  for (const result of results) {
    const keyId = result.keyID.toHex();
    const owner = keys.find((k) => k.getKeys().some((sub) => sub.getKeyID().toHex() === keyId));
    try {
      await result.verified;
      if (!owner) continue; // cannot happen: openpgp only verifies with a key it was given
      const sig = await result.signature;
      status.verified = true;
      status.signerFingerprint = normalizeFingerprint(owner.getFingerprint());
      status.signedAt = sig.packets[0]?.created ?? null;
      if (fromAddress) status.signerMatchesFrom = keyEmails(owner).includes(fromAddress.toLowerCase());
      break;
    } catch (err) {
      firstFailure ??= classifySignatureError(err, owner !== undefined, keyId);
    }
  }
  if (!status.verified) status.failure = firstFailure;
  return status;
}

function classifySignatureError(err: unknown, keyKnown: boolean, keyId: string): { code: PgpFailureCode; detail: string } {
  const message = errorMessage(err);
  if (!keyKnown || /could not find signing key/i.test(message)) {
    return { code: 'unknown-signer', detail: `signed by key ${keyId}, which is not known` };
  }
  if (/revoked/i.test(message)) return { code: 'signer-key-revoked', detail: `key ${keyId}: ${message}` };
  if (/expired/i.test(message)) return { code: 'signer-key-expired', detail: `key ${keyId}: ${message}` };
  if (/unsupported|unknown (hash|algorithm)/i.test(message)) return { code: 'unsupported', detail: `key ${keyId}: ${message}` };
  return { code: 'bad-signature', detail: `key ${keyId}: ${message}` };
}

/**
 * Verifies a detached signature (PGP/MIME multipart/signed) over `data`. Line endings of the
 * signed part must already be canonical (CRLF), as RFC 3156 requires.
 */
export async function verifyDetached(data: Uint8Array, armoredOrBinarySignature: string | Uint8Array, ctx: VerifyContext): Promise<PgpStatus> {
  let signature: Signature;
  try {
    signature =
      typeof armoredOrBinarySignature === 'string'
        ? await openpgp.readSignature({ armoredSignature: armoredOrBinarySignature })
        : await openpgp.readSignature({ binarySignature: armoredOrBinarySignature });
  } catch (err) {
    return failed('pgp-mime', 'malformed', `unreadable signature: ${errorMessage(err)}`, true);
  }
  const keyIds = signature.getSigningKeyIDs().map((k) => k.toHex());
  const keys = await ctx.lookupKeys(keyIds);
  if (keys.length === 0) {
    const status = failed('pgp-mime', 'unknown-signer', `signed by key ${keyIds.join(', ')}, which is not known`, true);
    status.signerKeyIds = keyIds;
    return status;
  }
  try {
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: data }),
      signature,
      verificationKeys: keys,
      format: 'binary',
      ...(ctx.date ? { date: ctx.date } : {}),
    });
    return await evaluateSignatures(result.signatures, keys, 'pgp-mime', ctx.fromAddress);
  } catch (err) {
    return failed('pgp-mime', 'malformed', `signature verification failed: ${errorMessage(err)}`, true);
  }
}

export function failed(format: PgpFormat, code: PgpFailureCode, detail: string, signed = false, encrypted = false): PgpStatus {
  const status = emptyPgpStatus();
  status.formats = [format];
  status.signed = signed;
  status.encrypted = encrypted;
  status.failure = { code, detail };
  return status;
}
