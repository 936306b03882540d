import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { PublicKey } from 'openpgp';
import { Invalid } from '../errors.js';

/**
 * OpenPGP Web Key Directory (draft-koch-openpgp-webkey-service): clients such as GnuPG find the
 * team key at https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local-part> (direct method).
 */

const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** z-base-32 (RFC 6189 section 5.1.6 alphabet), as the WKD draft uses it. */
export function zBase32(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ZBASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ZBASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function splitAddress(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) throw new Invalid('pgp.wkd.bad-address', `not an e-mail address: ${email}`);
  return { local: email.slice(0, at), domain: email.slice(at + 1).toLowerCase() };
}

/** The WKD hash: z-base-32 of the SHA-1 of the lower-cased local part (32 characters). */
export function wkdHash(localPart: string): string {
  return zBase32(createHash('sha1').update(localPart.toLowerCase(), 'utf8').digest());
}

export interface WkdLocation {
  hash: string;
  localPart: string;
  domain: string;
  /** Path and query of the direct method, served on the address's own domain. */
  directPath: string;
  directUrl: string;
  /** URL of the advanced method (openpgpkey.<domain>). */
  advancedUrl: string;
  /** Policy file of the direct method (may be empty, but must exist). */
  policyPath: string;
}

export function wkdLocation(email: string): WkdLocation {
  const { local, domain } = splitAddress(email);
  const hash = wkdHash(local);
  const l = encodeURIComponent(local);
  return {
    hash,
    localPart: local,
    domain,
    directPath: `/.well-known/openpgpkey/hu/${hash}?l=${l}`,
    directUrl: `https://${domain}/.well-known/openpgpkey/hu/${hash}?l=${l}`,
    advancedUrl: `https://openpgpkey.${domain}/.well-known/openpgpkey/${domain}/hu/${hash}?l=${l}`,
    policyPath: '/.well-known/openpgpkey/policy',
  };
}

/** The hu/<hash> path segment the server matches on (the query is informational). */
export function wkdHuPath(email: string): string {
  return `/.well-known/openpgpkey/hu/${wkdLocation(email).hash}`;
}

/** Content of the policy file: empty is valid; a comment says who runs it. */
export function wkdPolicy(): string {
  return '# OpenPGP Web Key Directory policy (direct method), served by Tocsin\n';
}

/**
 * The binary (not armored) public key to serve for an address, as the draft requires: the key with
 * only the user IDs that carry that address, so a WKD lookup does not reveal the key's other identities.
 * Throws when the key has no user ID for the address.
 */
export async function wkdKeyFor(publicKey: PublicKey, email: string): Promise<Uint8Array> {
  const wanted = email.toLowerCase();
  const copy = await openpgp.readKey({ binaryKey: publicKey.toPublic().write() });
  const kept = copy.users.filter((u) => u.userID?.email.toLowerCase() === wanted);
  if (kept.length === 0) throw new Invalid('pgp.wkd.no-user-id', `the key has no user ID for ${email}`);
  copy.users = kept;
  return copy.write();
}
