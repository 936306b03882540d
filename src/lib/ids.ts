import { createHash, randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Time-ordered, so primary keys
 * index well and sort by creation. A per-process counter in the random part keeps ids minted in
 * the same millisecond strictly increasing.
 */
let lastMs = 0;
let seq = 0;
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  if (now <= lastMs) {
    now = lastMs;
    seq = (seq + 1) & 0xfff;
    if (seq === 0) now = ++lastMs;
  } else {
    lastMs = now;
    seq = bytes.readUInt16BE(6) & 0x7ff; // start low so the counter rarely wraps
  }
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** A URL-safe secret with `bytes` of entropy (tracking tokens, session ids, API tokens). */
export function secretToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Secrets are stored only as SHA-256 digests: a database leak does not reveal live tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Human-readable number, e.g. TC-2026-000123. */
export function formatTrackingNumber(prefix: string, year: number, seqNo: number): string {
  return `${prefix}-${year}-${String(seqNo).padStart(6, '0')}`;
}
