/**
 * What OpenPGP processing of one message found. Shown on a report ("encrypted, signed, verified by
 * key X" or "failed: why"), so the failure codes are stable and translated by the UI, and `detail`
 * is an English diagnostic for operators that never contains message content.
 */
export type PgpFailureCode =
  /** Encrypted, but not to a key we hold (or we hold no team key at all). */
  | 'no-key'
  /** Encrypted to our key, but decryption failed (corrupt data, integrity check, bad passphrase). */
  | 'decrypt-failed'
  /** A signature by a key we know did not verify: the content was altered or forged. */
  | 'bad-signature'
  /** Signed by a key we do not know: the signature cannot be checked. */
  | 'unknown-signer'
  /** Signed by a known key that has expired. */
  | 'signer-key-expired'
  /** Signed by a known key that has been revoked. */
  | 'signer-key-revoked'
  /** Not valid OpenPGP / PGP/MIME structure. */
  | 'malformed'
  /** Valid OpenPGP we do not handle (an unsupported algorithm or packet). */
  | 'unsupported';

export interface PgpFailure {
  code: PgpFailureCode;
  detail: string;
}

export type PgpFormat = 'pgp-mime' | 'inline' | 'cleartext';

export interface PgpStatus {
  /** The message (or a part of it) was OpenPGP-encrypted. */
  encrypted: boolean;
  /** ...and we could decrypt it. */
  decrypted: boolean;
  /** The message carried at least one OpenPGP signature. */
  signed: boolean;
  /** At least one signature verified against a key we know. */
  verified: boolean;
  /** Primary-key fingerprint (40 or 64 upper-case hex) of the key that verified the signature. */
  signerFingerprint: string | null;
  /** Key IDs (16 lower-case hex) the signatures claim, known to us or not. */
  signerKeyIds: string[];
  /** Creation time of the verified signature. */
  signedAt: Date | null;
  /** Whether a user ID of the verifying key carries the message's From address (null: not checked). */
  signerMatchesFrom: boolean | null;
  formats: PgpFormat[];
  /** The first problem met; null when everything present was handled and verified. */
  failure: PgpFailure | null;
}

export function emptyPgpStatus(): PgpStatus {
  return {
    encrypted: false,
    decrypted: false,
    signed: false,
    verified: false,
    signerFingerprint: null,
    signerKeyIds: [],
    signedAt: null,
    signerMatchesFrom: null,
    formats: [],
    failure: null,
  };
}

/**
 * Folds the status of one more layer (an inner signature, another inline block) into `into`.
 * A verified signature anywhere wins over an unverifiable one elsewhere; the first failure is kept.
 */
export function mergePgpStatus(into: PgpStatus, layer: PgpStatus): PgpStatus {
  const out: PgpStatus = {
    encrypted: into.encrypted || layer.encrypted,
    // decrypted: every encrypted layer was decrypted (and there was at least one)
    decrypted:
      (into.encrypted || layer.encrypted) && (!into.encrypted || into.decrypted) && (!layer.encrypted || layer.decrypted),
    signed: into.signed || layer.signed,
    verified: into.verified || layer.verified,
    signerFingerprint: into.signerFingerprint ?? layer.signerFingerprint,
    signerKeyIds: [...new Set([...into.signerKeyIds, ...layer.signerKeyIds])],
    signedAt: into.signedAt ?? layer.signedAt,
    signerMatchesFrom: into.signerMatchesFrom ?? layer.signerMatchesFrom,
    formats: [...new Set([...into.formats, ...layer.formats])],
    failure: into.failure ?? layer.failure,
  };
  // A signature problem is moot once another signature verified (e.g. an outer one by an unknown
  // key around an inner one by a known key); decryption problems never are.
  if (out.verified && out.failure && isSignatureFailure(out.failure.code)) {
    const other = [into.failure, layer.failure].find((f) => f && !isSignatureFailure(f.code));
    out.failure = other ?? null;
  }
  return out;
}

export function isSignatureFailure(code: PgpFailureCode): boolean {
  return code === 'bad-signature' || code === 'unknown-signer' || code === 'signer-key-expired' || code === 'signer-key-revoked';
}
