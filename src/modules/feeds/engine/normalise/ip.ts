/**
 * IP address and CIDR parsing without regular expressions or BigInt: these run once or twice per feed row,
 * so they scan character codes directly.
 *
 * IPv4 addresses are unsigned 32-bit numbers. IPv6 addresses are four unsigned 32-bit words, most
 * significant first (`w[0]` holds the first two groups).
 */

/** Parses a dotted quad; returns the address as an unsigned 32-bit number, or -1 when invalid.
 *  Leading zeros ("010.1.1.1") are rejected, as Python's ipaddress (IntelMQ) does: they are ambiguous (octal). */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  const len = end - start;
  if (len < 7 || len > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

const groups = new Uint16Array(8);

/** Words of an IPv6 address, most significant first. */
export type Words128 = Uint32Array;

export function newWords(): Words128 {
  return new Uint32Array(4);
}

/** Parses an IPv6 address (with `::` compression and an optional dotted IPv4 tail) into `out`.
 *  Zone identifiers (`%eth0`) are not accepted: they have no meaning outside the host that wrote them. */
export function parseIPv6(s: string, out: Words128, start = 0, end = s.length): boolean {
  const len = end - start;
  if (len < 2 || len > 45) return false;
  let gi = 0;
  let compressAt = -1;
  let i = start;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    compressAt = 0;
    i += 2;
  }
  while (i < end) {
    if (gi === 8) return false;
    let v = 0;
    let d = 0;
    let j = i;
    while (j < end) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
      if (++d > 4) return false;
    }
    if (j < end && s.charCodeAt(j) === 46) {
      if (gi > 6) return false;
      const v4 = parseIPv4(s, i, end);
      if (v4 < 0) return false;
      groups[gi++] = v4 >>> 16;
      groups[gi++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (d === 0) return false;
    groups[gi++] = v;
    i = j;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i === end) return false;
    if (s.charCodeAt(i) === 58) {
      if (compressAt >= 0) return false;
      compressAt = gi;
      i++;
    }
  }
  if (compressAt < 0) {
    if (gi !== 8) return false;
  } else {
    if (gi > 7) return false;
    const tail = gi - compressAt;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[gi - 1 - k]!;
    for (let k = compressAt; k < 8 - tail; k++) groups[k] = 0;
  }
  out[0] = ((groups[0]! << 16) | groups[1]!) >>> 0;
  out[1] = ((groups[2]! << 16) | groups[3]!) >>> 0;
  out[2] = ((groups[4]! << 16) | groups[5]!) >>> 0;
  out[3] = ((groups[6]! << 16) | groups[7]!) >>> 0;
  return true;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥2) of zero groups as `::`. */
export function formatIPv6(w: ArrayLike<number>): string {
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    g[2 * k] = (w[k]! >>> 16) & 0xffff;
    g[2 * k + 1] = w[k]! & 0xffff;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (g[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && g[e] === 0) e++;
    if (e - k > bestLen) {
      bestStart = k;
      bestLen = e - k;
    }
    k = e;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += g[k]!.toString(16);
  }
  return out;
}

const scratch = newWords();

function isIPv4Mapped(w: ArrayLike<number>): boolean {
  return w[0] === 0 && w[1] === 0 && w[2] === 0xffff;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Trims only when needed (most feed values are already clean, and trim() would allocate). */
export function trimIfNeeded(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return isWhitespace(s.charCodeAt(0)) || isWhitespace(s.charCodeAt(n - 1)) ? s.trim() : s;
}

/** Canonical text of an IPv4 or IPv6 address, or undefined when `s` is not one.
 *  IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are written as IPv4: they name the same host. */
export function normaliseIp(input: string): string | undefined {
  const s = trimIfNeeded(input);
  if (s.indexOf(':') < 0) return parseIPv4(s) >= 0 ? s : undefined;
  let v6 = s;
  if (s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93) v6 = s.slice(1, -1);
  if (!parseIPv6(v6, scratch)) return undefined;
  return isIPv4Mapped(scratch) ? formatIPv4(scratch[3]!) : formatIPv6(scratch);
}

export interface Cidr4 {
  version: 4;
  /** First address. */
  start: number;
  /** Last address. */
  end: number;
  prefix: number;
  /** The input had bits set beyond the prefix (`10.0.0.1/8`); start/end are masked. */
  hostBitsSet: boolean;
}

export interface Cidr6 {
  version: 6;
  start: Words128;
  end: Words128;
  prefix: number;
  hostBitsSet: boolean;
}

export type Cidr = Cidr4 | Cidr6;

function parsePrefixLength(s: string, from: number, max: number): number {
  const n = s.length - from;
  if (n < 1 || n > 3) return -1;
  let v = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    if (i > from && v === 0) return -1;
    v = v * 10 + (c - 48);
  }
  return v <= max ? v : -1;
}

/**
 * An IPv4 CIDR (or bare address) without allocating: returns start·128 + prefix·2 + (host bits set ? 1 : 0),
 * exact in a double, or -1 when `s` is not an IPv4 CIDR. For bulk loading netblocks.
 */
export function parseCidr4Packed(input: string): number {
  const s = trimIfNeeded(input);
  const slash = s.indexOf('/');
  const ip = parseIPv4(s, 0, slash < 0 ? s.length : slash);
  if (ip < 0) return -1;
  const prefix = slash < 0 ? 32 : parsePrefixLength(s, slash + 1, 32);
  if (prefix < 0) return -1;
  const start = (ip & mask4(prefix)) >>> 0;
  return start * 128 + prefix * 2 + (start !== ip ? 1 : 0);
}

export function mask4(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/len`, `x:y::/len` or a bare address (a host route). */
export function parseCidr(input: string): Cidr | undefined {
  const s = trimIfNeeded(input);
  const slash = s.indexOf('/');
  const addrEnd = slash < 0 ? s.length : slash;
  if (s.indexOf(':') < 0) {
    const ip = parseIPv4(s, 0, addrEnd);
    if (ip < 0) return undefined;
    const prefix = slash < 0 ? 32 : parsePrefixLength(s, slash + 1, 32);
    if (prefix < 0) return undefined;
    const m = mask4(prefix);
    const start = (ip & m) >>> 0;
    return { version: 4, start, end: (start | ~m) >>> 0, prefix, hostBitsSet: start !== ip };
  }
  const w = newWords();
  if (!parseIPv6(s, w, 0, addrEnd)) return undefined;
  const prefix = slash < 0 ? 128 : parsePrefixLength(s, slash + 1, 128);
  if (prefix < 0) return undefined;
  const start = newWords();
  const end = newWords();
  let hostBitsSet = false;
  for (let k = 0; k < 4; k++) {
    const bits = Math.min(32, Math.max(0, prefix - 32 * k));
    const m = mask4(bits);
    start[k] = (w[k]! & m) >>> 0;
    end[k] = (start[k]! | ~m) >>> 0;
    if (start[k] !== w[k]) hostBitsSet = true;
  }
  return { version: 6, start, end, prefix, hostBitsSet };
}

/** Canonical text of a CIDR (host bits cleared), or undefined. IPv4-mapped IPv6 prefixes of /96 or longer
 *  are written as IPv4 prefixes. */
export function formatCidr(c: Cidr): string {
  if (c.version === 4) return `${formatIPv4(c.start)}/${c.prefix}`;
  if (isIPv4Mapped(c.start) && c.prefix >= 96) return `${formatIPv4(c.start[3]!)}/${c.prefix - 96}`;
  return `${formatIPv6(c.start)}/${c.prefix}`;
}

export function normaliseNetwork(input: string): string | undefined {
  const c = parseCidr(input);
  return c === undefined ? undefined : formatCidr(c);
}

/** Compares two 128-bit values. */
export function compareWords(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
  for (let k = 0; k < 4; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
