import * as openpgp from 'openpgp';
import type { Key, PrivateKey, PublicKey } from 'openpgp';
import { Invalid } from '../errors.js';

/**
 * The team key pair (the CERT's own key): generated or imported once, stored armored and
 * passphrase-encrypted (the passphrase comes from configuration, never from the database), and
 * unlocked into memory at start-up.
 */
export type TeamKeyAlgorithm = 'curve25519' | 'rsa4096';

export interface TeamKeyIdentity {
  name: string;
  email: string;
  comment?: string;
}

export interface TeamKeyMaterial {
  /** Armored private key, encrypted with the passphrase: what is stored at rest. */
  armoredPrivateKey: string;
  armoredPublicKey: string;
  fingerprint: string;
  /** Armored revocation certificate, to be kept offline by the team (only for generated keys). */
  revocationCertificate: string | null;
}

/** The unlocked team key, held in memory only. */
export interface TeamKey {
  privateKey: PrivateKey;
  publicKey: PublicKey;
  fingerprint: string;
  /** E-mail addresses in the key's user IDs. */
  emails: string[];
}

export interface GenerateTeamKeyOptions {
  identities: TeamKeyIdentity[];
  passphrase: string;
  /** Default curve25519 (Ed25519 signing key + Curve25519 encryption subkey, readable by GnuPG 2.2+). */
  algorithm?: TeamKeyAlgorithm;
  /** Key lifetime in seconds; 0 or undefined: no expiry. */
  expiresInSeconds?: number;
  date?: Date;
}

const MIN_PASSPHRASE_LENGTH = 12;

function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Invalid('pgp.passphrase.too-short', `the team key passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`, {
      params: { min: MIN_PASSPHRASE_LENGTH },
    });
  }
}

/** Upper-case hex, as GnuPG prints it. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/\s+/g, '').toUpperCase();
}

/** "ABCD 1234 ..." in groups of four, for people to compare by eye. */
export function formatFingerprint(fp: string): string {
  const hex = normalizeFingerprint(fp);
  const groups = hex.match(/.{1,4}/g) ?? [];
  if (groups.length === 10) return `${groups.slice(0, 5).join(' ')}  ${groups.slice(5).join(' ')}`;
  return groups.join(' ');
}

export async function generateTeamKey(opts: GenerateTeamKeyOptions): Promise<TeamKeyMaterial> {
  checkPassphrase(opts.passphrase);
  if (opts.identities.length === 0) throw new Invalid('pgp.key.no-user-id', 'the team key needs at least one user ID');
  const common = {
    userIDs: opts.identities.map((i) => ({ name: i.name, email: i.email, ...(i.comment ? { comment: i.comment } : {}) })),
    passphrase: opts.passphrase,
    keyExpirationTime: opts.expiresInSeconds ?? 0,
    ...(opts.date ? { date: opts.date } : {}),
    format: 'armored' as const,
  };
  const generated =
    (opts.algorithm ?? 'curve25519') === 'rsa4096'
      ? await openpgp.generateKey({ ...common, type: 'rsa', rsaBits: 4096 })
      : await openpgp.generateKey({ ...common, type: 'ecc', curve: 'curve25519Legacy' });
  const pub = await openpgp.readKey({ armoredKey: generated.publicKey });
  return {
    armoredPrivateKey: generated.privateKey,
    armoredPublicKey: generated.publicKey,
    fingerprint: normalizeFingerprint(pub.getFingerprint()),
    revocationCertificate: generated.revocationCertificate,
  };
}

export interface ImportTeamKeyOptions {
  /** Armored private key as exported by GnuPG (`gpg --export-secret-keys --armor`) or another tool. */
  armoredPrivateKey: string;
  /** The passphrase the key is currently protected with (omit for an unprotected key). */
  currentPassphrase?: string;
  /** The passphrase from configuration that protects it at rest from now on. */
  passphrase: string;
}

/** Imports an existing key pair and re-protects it with the configured passphrase. */
export async function importTeamKey(opts: ImportTeamKeyOptions): Promise<TeamKeyMaterial> {
  checkPassphrase(opts.passphrase);
  let key: PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: opts.armoredPrivateKey });
  } catch (err) {
    throw new Invalid('pgp.key.malformed', `not an OpenPGP private key: ${errorMessage(err)}`);
  }
  if (!key.isDecrypted()) {
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase: opts.currentPassphrase ?? '' });
    } catch {
      throw new Invalid('pgp.key.wrong-passphrase', 'the current passphrase does not unlock this key');
    }
  }
  await assertUsableTeamKey(key);
  const locked = await openpgp.encryptKey({ privateKey: key, passphrase: opts.passphrase });
  return {
    armoredPrivateKey: locked.armor(),
    armoredPublicKey: key.toPublic().armor(),
    fingerprint: normalizeFingerprint(key.getFingerprint()),
    revocationCertificate: null,
  };
}

/** Unlocks the stored key with the configured passphrase. */
export async function loadTeamKey(armoredPrivateKey: string, passphrase: string): Promise<TeamKey> {
  let locked: PrivateKey;
  try {
    locked = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  } catch (err) {
    throw new Invalid('pgp.key.malformed', `stored team key is not an OpenPGP private key: ${errorMessage(err)}`);
  }
  let privateKey: PrivateKey;
  try {
    privateKey = locked.isDecrypted() ? locked : await openpgp.decryptKey({ privateKey: locked, passphrase });
  } catch {
    throw new Invalid('pgp.key.wrong-passphrase', 'the configured passphrase does not unlock the team key');
  }
  await assertUsableTeamKey(privateKey);
  const publicKey = privateKey.toPublic();
  return { privateKey, publicKey, fingerprint: normalizeFingerprint(privateKey.getFingerprint()), emails: keyEmails(publicKey) };
}

async function assertUsableTeamKey(key: PrivateKey): Promise<void> {
  if (await key.isRevoked()) throw new Invalid('pgp.key.revoked', 'the key is revoked');
  try {
    await key.getSigningKey();
  } catch (err) {
    throw new Invalid('pgp.key.cannot-sign', `the key has no valid signing key: ${errorMessage(err)}`);
  }
  try {
    await key.getEncryptionKey();
  } catch (err) {
    throw new Invalid('pgp.key.cannot-encrypt', `the key has no valid encryption subkey: ${errorMessage(err)}`);
  }
}

/** A contact's (reporter, constituent, partner CERT) public key, as inspected at import. */
export interface ContactKeyInfo {
  fingerprint: string;
  /** 16 lower-case hex, the primary key's ID. */
  keyId: string;
  /** Key IDs of the primary key and every subkey (signatures name the subkey that made them). */
  allKeyIds: string[];
  userIds: string[];
  emails: string[];
  algorithm: string;
  bits: number | null;
  curve: string | null;
  createdAt: Date;
  /** null: never expires. */
  expiresAt: Date | null;
  expired: boolean;
  revoked: boolean;
  canEncrypt: boolean;
  canSign: boolean;
  /** Armored public key only (whatever else the input carried is dropped). */
  armored: string;
}

/** Reads armored or binary public keys; one block may carry several. */
export async function readPublicKeys(input: string | Uint8Array): Promise<PublicKey[]> {
  let keys: Key[];
  try {
    keys =
      typeof input === 'string'
        ? await openpgp.readKeys({ armoredKeys: extractArmoredBlock(input, 'PUBLIC KEY BLOCK') ?? input })
        : await openpgp.readKeys({ binaryKeys: input });
  } catch (err) {
    throw new Invalid('pgp.key.malformed', `not an OpenPGP public key: ${errorMessage(err)}`);
  }
  if (keys.some((k) => k.isPrivate())) {
    throw new Invalid('pgp.key.private', 'this is a private key: import only the public key, and never share the private one');
  }
  return keys as PublicKey[];
}

/** Validates and describes every key in the input (armored or binary). */
export async function importContactKeys(input: string | Uint8Array, now: Date = new Date()): Promise<ContactKeyInfo[]> {
  const keys = await readPublicKeys(input);
  return Promise.all(keys.map((k) => describePublicKey(k, now)));
}

/** Like importContactKeys but the input must carry exactly one key. */
export async function importContactKey(input: string | Uint8Array, now: Date = new Date()): Promise<ContactKeyInfo> {
  const keys = await importContactKeys(input, now);
  if (keys.length !== 1) throw new Invalid('pgp.key.not-one', `expected one key, found ${keys.length}`, { params: { count: keys.length } });
  return keys[0]!;
}

export async function describePublicKey(key: PublicKey, now: Date = new Date()): Promise<ContactKeyInfo> {
  const info = key.getAlgorithmInfo();
  const revoked = await key.isRevoked(undefined, undefined, now);
  let expiresAt: Date | null = null;
  let expired = false;
  try {
    const exp = await key.getExpirationTime();
    if (exp instanceof Date) expiresAt = exp;
    else if (exp === null) expired = true; // no valid self-signature at all
  } catch {
    expired = true;
  }
  if (expiresAt && expiresAt.getTime() <= now.getTime()) expired = true;
  const canEncrypt = await key.getEncryptionKey(undefined, now).then(
    () => true,
    () => false,
  );
  const canSign = await key.getSigningKey(undefined, now).then(
    () => true,
    () => false,
  );
  return {
    fingerprint: normalizeFingerprint(key.getFingerprint()),
    keyId: key.getKeyID().toHex(),
    allKeyIds: key.getKeys().map((k) => k.getKeyID().toHex()),
    userIds: key.getUserIDs(),
    emails: keyEmails(key),
    algorithm: info.algorithm,
    bits: info.bits ?? null,
    curve: info.curve ?? null,
    createdAt: key.getCreationTime(),
    expiresAt,
    expired,
    revoked,
    canEncrypt,
    canSign,
    armored: key.toPublic().armor(),
  };
}

/** Lower-cased e-mail addresses in a key's user IDs. */
export function keyEmails(key: Key): string[] {
  const out = new Set<string>();
  for (const user of key.users) {
    const email = user.userID?.email;
    if (email) out.add(email.toLowerCase());
  }
  return [...out];
}

/** Returns the first armored block of the given type in a text (keys pasted with surrounding text). */
export function extractArmoredBlock(text: string, type: string): string | null {
  const begin = `-----BEGIN PGP ${type}-----`;
  const end = `-----END PGP ${type}-----`;
  const start = text.indexOf(begin);
  if (start < 0) return null;
  const stop = text.indexOf(end, start);
  if (stop < 0) return null;
  return text.slice(start, stop + end.length) + '\n';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
