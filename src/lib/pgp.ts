/**
 * OpenPGP for Tocsin: the team key, contacts' keys, PGP/MIME (RFC 3156) and inline PGP, cleartext
 * signatures and the Web Key Directory. Built on OpenPGP.js; interoperability with GnuPG is tested.
 */
export {
  generateTeamKey,
  importTeamKey,
  loadTeamKey,
  importContactKey,
  importContactKeys,
  readPublicKeys,
  describePublicKey,
  keyEmails,
  normalizeFingerprint,
  formatFingerprint,
  extractArmoredBlock,
  type TeamKey,
  type TeamKeyAlgorithm,
  type TeamKeyIdentity,
  type TeamKeyMaterial,
  type GenerateTeamKeyOptions,
  type ImportTeamKeyOptions,
  type ContactKeyInfo,
} from './pgp/keys.js';
export { readTeamKeyFile, writeTeamKeyFile } from './pgp/key-file.js';
export { keyLookupFromList, noKnownKeys, type KeyLookup } from './pgp/lookup.js';
export {
  emptyPgpStatus,
  mergePgpStatus,
  isSignatureFailure,
  type PgpStatus,
  type PgpFailure,
  type PgpFailureCode,
  type PgpFormat,
} from './pgp/status.js';
export { openPgpMessage, type DecryptContext, type DecryptResult } from './pgp/decrypt.js';
export { verifyDetached, type VerifyContext } from './pgp/verify.js';
export {
  openPgpMime,
  signMimeEntity,
  encryptMimeEntity,
  serializePgpMime,
  type OpenPgpMimeContext,
  type OpenPgpMimeResult,
  type PgpMimeMultipart,
  type EncryptMimeOptions,
} from './pgp/pgp-mime.js';
export { clearsign, verifyCleartext, openInlinePgp, hasInlinePgp, type CleartextResult, type InlinePgpResult } from './pgp/inline.js';
export { wkdHash, wkdLocation, wkdHuPath, wkdKeyFor, wkdPolicy, zBase32, type WkdLocation } from './pgp/wkd.js';
export {
  parseMimeTree,
  parseHeaderBlock,
  decodeBody,
  decodeQuotedPrintable,
  headerValue,
  parseContentType,
  toCrlf,
  walkMime,
  spliceEntity,
  MimeLimitError,
  DEFAULT_MIME_LIMITS,
  type MimeEntity,
  type MimeHeaderField,
  type MimeLimits,
  type MimeLimitCode,
  type ContentType,
} from './pgp/mime-tree.js';
