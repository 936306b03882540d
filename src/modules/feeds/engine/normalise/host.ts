/**
 * Host names and URLs: lower-case, punycode for IDNs, trailing dots removed, default ports dropped, so that
 * the same site written two ways deduplicates and matches as one. The WHATWG URL parser is avoided on the hot
 * path (it costs microseconds); we only need scheme and host to be canonical.
 */
import { domainToASCII } from 'node:url';
import { newWords, parseIPv4, parseIPv6, formatIPv6, formatIPv4, trimIfNeeded } from './ip.js';

function hasUpperOrNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return true;
  }
  return false;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

function toAsciiLower(s: string): string | undefined {
  if (!hasUpperOrNonAscii(s)) return s;
  if (isAscii(s)) return s.toLowerCase();
  const a = domainToASCII(s.normalize('NFC'));
  return a === '' ? undefined : a;
}

const HOST_INVALID = -1;
const HOST_OK = 0;
/** Valid so far, but has upper case or non-ASCII: lower-case / punycode it, then check again. */
const HOST_NEEDS_FOLDING = 1;
/** Only digits and dots: possibly an IPv4 address. */
const HOST_NUMERIC = 2;

/** One pass over s[start, end): DNS name syntax for lower-case ASCII, or a hint of what else it is. */
function scanHost(s: string, start: number, end: number, requireDot: boolean): number {
  const n = end - start;
  if (n === 0 || n > 253) return HOST_INVALID;
  let labelLen = 0;
  let dots = 0;
  let letters = false;
  let prev = 46;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) letters = true;
    else if (c === 46) {
      if (labelLen === 0 || prev === 45) return HOST_INVALID;
      labelLen = 0;
      dots++;
      prev = c;
      continue;
    } else if (c === 45) {
      if (labelLen === 0) return HOST_INVALID;
    } else if (c === 95) letters = true;
    else if (c < 48 || c > 57) {
      return (c >= 65 && c <= 90) || c > 127 ? HOST_NEEDS_FOLDING : HOST_INVALID;
    }
    if (++labelLen > 63) return HOST_INVALID;
    prev = c;
  }
  if (labelLen === 0 || prev === 45) return HOST_INVALID;
  if (requireDot && dots === 0) return HOST_INVALID;
  return letters ? HOST_OK : HOST_NUMERIC;
}

/** The last name found canonical: a row often checks the same host twice (as its FQDN and in its URL). */
let lastCanonicalHost = '';

/** Whether s is already a canonical host name (lower-case ASCII DNS name with at least one dot). */
export function isCanonicalHostName(s: string): boolean {
  if (s === lastCanonicalHost) return true;
  if (scanHost(s, 0, s.length, true) !== HOST_OK) return false;
  lastCanonicalHost = s;
  return true;
}

/** Canonical FQDN (lower-case ASCII, punycode, no trailing dot), or undefined. IP literals are not FQDNs. */
export function normaliseFqdn(input: string): string | undefined {
  if (input === lastCanonicalHost) return input;
  let s = trimIfNeeded(input);
  if (s.charCodeAt(s.length - 1) === 46) s = s.slice(0, -1);
  let r = scanHost(s, 0, s.length, true);
  if (r === HOST_NEEDS_FOLDING) {
    const folded = toAsciiLower(s);
    if (folded === undefined) return undefined;
    s = folded;
    r = scanHost(s, 0, s.length, true);
  }
  // Digits and dots only (HOST_NUMERIC) is an address or nonsense, never a name: top-level domains have letters.
  if (r !== HOST_OK) return undefined;
  lastCanonicalHost = s;
  return s;
}

/** C0 controls and DEL: never valid in a URL (browsers percent-encode or drop them); a URL holding them is
 *  refused rather than guessed at. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21', ws: '80', wss: '443' };

export interface UrlParts {
  /** Canonical URL. */
  url: string;
  /** Canonical host: an FQDN or an IP address (IPv6 without brackets). */
  host: string;
  hostIsIp: boolean;
}

const words = newWords();

function isSchemeChar(c: number, first: boolean): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return true;
  return !first && ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46);
}

function isDefaultPort(scheme: string, port: string): boolean {
  return DEFAULT_PORTS[scheme] === port;
}

/** Index of the first of '/', '?', '#', '\\' at or after `from`, or s.length. */
function authorityEnd(s: string, from: number): number {
  let end = s.indexOf('/', from);
  if (end < 0) end = s.length;
  let k = s.indexOf('?', from);
  if (k >= 0 && k < end) end = k;
  k = s.indexOf('#', from);
  if (k >= 0 && k < end) end = k;
  k = s.indexOf('\\', from);
  if (k >= 0 && k < end) end = k;
  return end;
}

/** Canonicalises a URL's scheme, host and port, leaving path, query and fragment as given (minus surrounding
 *  whitespace). A URL without a scheme gets `http://`, as IntelMQ does. An input that is already canonical is
 *  returned as the same string. */
export function parseUrl(input: string): UrlParts | undefined {
  const s = trimIfNeeded(input);
  if (s.length === 0 || s.length > 8192) return undefined;
  let schemeEnd = s.indexOf('://');
  let scheme: string;
  let rest: number;
  let canonical = true;
  if (schemeEnd > 0 && schemeEnd < 16) {
    for (let i = 0; i < schemeEnd; i++) {
      const c = s.charCodeAt(i);
      if (!isSchemeChar(c, i === 0)) return undefined;
      if (c >= 65 && c <= 90) canonical = false;
    }
    scheme = s.slice(0, schemeEnd);
    if (!canonical) scheme = scheme.toLowerCase();
    rest = schemeEnd + 3;
  } else {
    rest = s.startsWith('//') ? 2 : 0;
    scheme = 'http';
    schemeEnd = -1;
    canonical = false;
  }
  const authEnd = authorityEnd(s, rest);
  if (authEnd === s.length || s.charCodeAt(authEnd) !== 47) canonical = false;
  const at = s.lastIndexOf('@', authEnd - 1);
  const hostStart = at >= rest ? at + 1 : rest;
  let hostEnd = authEnd;
  let port = '';
  let host: string;
  let hostIsIp = false;
  if (s.charCodeAt(hostStart) === 91) {
    const close = s.indexOf(']', hostStart);
    if (close < 0 || close > authEnd) return undefined;
    if (!parseIPv6(s, words, hostStart + 1, close)) return undefined;
    host = words[0] === 0 && words[1] === 0 && words[2] === 0xffff ? formatIPv4(words[3]!) : formatIPv6(words);
    hostIsIp = true;
    canonical = false;
    hostEnd = close + 1;
    if (hostEnd < authEnd) {
      if (s.charCodeAt(hostEnd) !== 58) return undefined;
      port = s.slice(hostEnd + 1, authEnd);
    }
  } else {
    const colon = s.indexOf(':', hostStart);
    if (colon >= 0 && colon < authEnd) {
      hostEnd = colon;
      port = s.slice(colon + 1, authEnd);
    }
    if (s.charCodeAt(hostEnd - 1) === 46) {
      hostEnd--;
      canonical = false;
    }
    let r = scanHost(s, hostStart, hostEnd, false);
    host = s.slice(hostStart, hostEnd);
    if (r === HOST_NEEDS_FOLDING) {
      const folded = toAsciiLower(host);
      if (folded === undefined) return undefined;
      host = folded;
      canonical = false;
      r = scanHost(host, 0, host.length, false);
    }
    if (r === HOST_NUMERIC) {
      if (parseIPv4(host) < 0) return undefined;
      hostIsIp = true;
    } else if (r !== HOST_OK) return undefined;
  }
  if (port !== '') {
    if (port.length > 5) return undefined;
    for (let i = 0; i < port.length; i++) {
      const c = port.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    const p = Number(port);
    if (p > 65535) return undefined;
    const text = String(p);
    if (text !== port || isDefaultPort(scheme, text)) canonical = false;
    port = isDefaultPort(scheme, text) ? '' : text;
  }
  if (canonical) return CONTROL_CHARS.test(s) ? undefined : { url: s, host, hostIsIp };
  const userinfo = at >= rest ? s.slice(rest, at + 1) : '';
  const hostText = hostIsIp && host.indexOf(':') >= 0 ? `[${host}]` : host;
  let tail = s.slice(authEnd);
  if (CONTROL_CHARS.test(tail)) return undefined;
  const t0 = tail.charCodeAt(0);
  if (tail === '' || t0 === 63 || t0 === 35) tail = `/${tail}`;
  const url = `${scheme}://${userinfo}${hostText}${port === '' ? '' : `:${port}`}${tail}`;
  return { url, host, hostIsIp };
}

export function normaliseUrl(input: string): string | undefined {
  return parseUrl(input)?.url;
}

/** Undoes common defanging in shared indicators: `hxxp://`, `[.]`, `(.)`, `[:]`, `[://]`. */
export function refang(s: string): string {
  if (s.indexOf('[') < 0 && s.indexOf('(') < 0 && !/^h(?:xx|XX)p/.test(s)) return s;
  return s
    .replace(/^h(?:xx|XX)p(s?)/, 'http$1')
    .replace(/\[\.\]|\(\.\)|\{\.\}/g, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[:\/\/\]/g, '://');
}

/** Host of a URL already canonicalised by parseUrl (lower-case, no brackets for IPv6), without a full parse. */
export function hostOfCanonicalUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  let start = schemeEnd < 0 ? 0 : schemeEnd + 3;
  let end = url.indexOf('/', start);
  if (end < 0) end = url.length;
  const at = url.lastIndexOf('@', end - 1);
  if (at >= start) start = at + 1;
  if (url.charCodeAt(start) === 91) return url.slice(start + 1, url.indexOf(']', start));
  const colon = url.indexOf(':', start);
  return url.slice(start, colon >= 0 && colon < end ? colon : end);
}
