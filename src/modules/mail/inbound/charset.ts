import { isAscii, isUtf8 } from 'node:buffer';
import { decodeBody, decodeQuotedPrintable, headerValue, walkMime, type MimeEntity } from '../../../lib/pgp.js';

/**
 * Character set repair. Mail from Taiwan and the region arrives in UTF-8, Big5 and GB2312/GBK,
 * and is often mislabelled (Big5 bytes declared as UTF-8, UTF-8 declared as us-ascii, 8-bit
 * headers with no encoding at all). Before mailparser decodes a message we check each text part
 * and the top-level header fields against their declared charset, and relabel or re-encode what
 * does not fit, so the result reads as text instead of replacement characters.
 */

/** Tried in this order when the declared charset does not fit the bytes. Big5 before GB18030: Taiwan first. */
export const FALLBACK_CHARSETS = ['utf-8', 'big5', 'gb18030'] as const;

const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', '646']);
/** Single-byte Western charsets that can never fail to decode (so validity says nothing). */
const LATIN_LABELS = new Set(['iso-8859-1', 'latin1', 'l1', 'windows-1252', 'cp1252', 'iso_8859-1', 'iso-8859-15']);

function normalizeLabel(charset: string): string {
  const c = charset.trim().toLowerCase().replace(/^"|"$/g, '');
  if (c === 'utf8') return 'utf-8';
  if (c === 'x-big5' || c === 'big5-hkscs' || c === 'cp950') return 'big5';
  if (c === 'gb2312' || c === 'x-gbk' || c === 'cp936' || c === 'euc-cn') return 'gbk';
  return c;
}

function hasEightBit(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

function decodesStrictly(bytes: Uint8Array, charset: string): boolean {
  if (charset === 'utf-8') return isUtf8(bytes);
  try {
    new TextDecoder(charset, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function isKnownCharset(charset: string): boolean {
  const label = normalizeLabel(charset);
  if (ASCII_LABELS.has(label)) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Whether bytes plausibly are in the declared charset. */
export function fitsCharset(bytes: Uint8Array, declared: string): boolean {
  const label = normalizeLabel(declared);
  if (!hasEightBit(bytes)) return isKnownCharset(label) || label === '';
  if (ASCII_LABELS.has(label)) return false;
  // Latin-1 decodes anything; but 8-bit text that is valid UTF-8 is almost surely UTF-8.
  if (LATIN_LABELS.has(label)) return !decodesStrictly(bytes, 'utf-8');
  if (!isKnownCharset(label)) return false;
  return decodesStrictly(bytes, label);
}

/** The first fallback charset the bytes decode in without error. */
export function detectCharset(bytes: Uint8Array): string {
  if (!hasEightBit(bytes)) return 'us-ascii';
  for (const cs of FALLBACK_CHARSETS) if (decodesStrictly(bytes, cs)) return cs;
  return 'gb18030'; // decodes nearly anything; replacement characters for the rest
}

/** Decodes bytes in the declared charset if they fit, else in a detected one. Never throws. */
export function decodeTolerant(bytes: Uint8Array, declared?: string | null): { text: string; charset: string; repaired: boolean } {
  if (declared && fitsCharset(bytes, declared)) {
    const label = normalizeLabel(declared);
    const text = ASCII_LABELS.has(label) ? Buffer.from(bytes).toString('latin1') : new TextDecoder(label).decode(bytes);
    return { text, charset: label, repaired: false };
  }
  const cs = detectCharset(bytes);
  const text = cs === 'us-ascii' ? Buffer.from(bytes).toString('latin1') : new TextDecoder(cs).decode(bytes);
  return { text, charset: cs, repaired: Boolean(declared) || hasEightBit(bytes) };
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function encodedWordBytes(encoding: string, payload: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(payload, 'base64');
  return decodeQuotedPrintable(Buffer.from(payload.replace(/_/g, ' '), 'latin1'));
}

/** Decodes RFC 2047 encoded words (and raw 8-bit text) of a header value given as latin1, tolerantly. */
export function decodeHeaderValue(latin1: string): string {
  const raw = Buffer.from(latin1, 'latin1');
  const base = hasEightBit(raw) ? decodeTolerant(raw, 'utf-8').text : latin1;
  // whitespace between adjacent encoded words is not part of the text (RFC 2047 6.2)
  return base.replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?)/g, '$1').replace(ENCODED_WORD, (_m, charset: string, enc: string, payload: string) => {
    const label = charset.split('*')[0]!; // RFC 2231 language suffix
    return decodeTolerant(encodedWordBytes(enc, payload), label).text;
  });
}

/** Re-encodes a header value whose raw bytes or encoded words do not fit their charset; null if it is fine. */
function repairHeaderValue(latin1: string): string | null {
  const raw = Buffer.from(latin1, 'latin1');
  let changed = false;
  let value = latin1;
  if (hasEightBit(raw) && !decodesStrictly(raw, 'utf-8')) {
    value = decodeTolerant(raw, null).text;
    changed = true;
  }
  value = value.replace(ENCODED_WORD, (m, charset: string, enc: string, payload: string) => {
    const label = charset.split('*')[0]!;
    const bytes = encodedWordBytes(enc, payload);
    if (fitsCharset(bytes, label)) return m;
    changed = true;
    return `=?UTF-8?B?${Buffer.from(decodeTolerant(bytes, label).text, 'utf8').toString('base64')}?=`;
  });
  if (!changed) return null;
  // Any non-ASCII text left (from raw 8-bit bytes) goes out as UTF-8 encoded words.
  return value.replace(/[\u0080-\u{10ffff}]+(?:\s+[\u0080-\u{10ffff}]+)*/gu, (s) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);
}

interface Edit {
  start: number;
  end: number;
  replacement: Buffer;
}

const REPAIRABLE_HEADERS = new Set(['subject', 'from', 'to', 'cc', 'reply-to', 'sender', 'comments', 'keywords', 'thread-topic']);

/**
 * Relabels text parts whose bytes do not fit the declared charset and re-encodes top-level header
 * fields that are raw 8-bit or carry encoded words in the wrong charset. Bodies are never changed.
 */
export function repairCharsets(raw: Buffer, root: MimeEntity): { raw: Buffer; repairs: string[] } {
  const edits: Edit[] = [];
  const repairs: string[] = [];
  for (const h of root.headers) {
    if (!REPAIRABLE_HEADERS.has(h.name)) continue;
    const fixed = repairHeaderValue(h.value);
    if (fixed === null) continue;
    const name = raw.toString('latin1', h.start, raw.indexOf(0x3a, h.start));
    edits.push({ start: h.start, end: h.end, replacement: Buffer.from(`${name}: ${fixed}\r\n`, 'latin1') });
    repairs.push(`header ${h.name} re-encoded`);
  }
  walkMime(root, (e) => {
    if (e.children.length > 0 || e.contentType.type !== 'text') return true;
    // Attachments are kept byte for byte; only bodies meant to be read as text are relabelled.
    if (/^\s*attachment/i.test(headerValue(e.headers, 'content-disposition') ?? '')) return true;
    const field = e.headers.find((h) => h.name === 'content-type');
    const declared = e.contentType.params.charset ?? null;
    const body = decodeBody(raw, e);
    if (declared ? fitsCharset(body, declared) : !hasEightBit(body)) return true;
    const detected = detectCharset(body);
    const params = Object.entries(e.contentType.params)
      .filter(([k]) => k !== 'charset')
      .map(([k, v]) => `; ${k}="${v.replace(/["\\]/g, '\\$&')}"`)
      .join('');
    const line = Buffer.from(`Content-Type: ${e.contentType.mediaType}; charset="${detected}"${params}\r\n`, 'latin1');
    if (field) edits.push({ start: field.start, end: field.end, replacement: line });
    else if (e.headers.length === 0 && e.bodyStart === e.start) {
      // no header block at all: add one, with the blank line that ends it
      edits.push({ start: e.start, end: e.start, replacement: Buffer.concat([line, Buffer.from('\r\n')]) });
    } else edits.push({ start: e.start, end: e.start, replacement: line });
    repairs.push(`part ${e.contentType.mediaType} declared ${declared ?? 'no charset'}, read as ${detected}`);
    return true;
  });
  if (edits.length === 0) return { raw, repairs };
  edits.sort((a, b) => a.start - b.start);
  const chunks: Buffer[] = [];
  let pos = 0;
  for (const edit of edits) {
    if (edit.start < pos) continue; // overlapping (cannot happen for distinct fields); keep the first
    chunks.push(raw.subarray(pos, edit.start), edit.replacement);
    pos = edit.end;
  }
  chunks.push(raw.subarray(pos));
  return { raw: Buffer.concat(chunks), repairs };
}
