import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Validation and normalisation of the network things reporters name: IPs, CIDRs, URLs, domains. */

export type AssetKind = 'ip' | 'cidr' | 'url' | 'domain';
export interface Asset {
  kind: AssetKind;
  value: string;
}

/** Canonical text of an IPv4 or IPv6 address, or null when it is not one. */
export function normaliseIp(input: string): string | null {
  const text = input.trim();
  const version = isIP(text);
  if (version === 4) {
    // node's isIP accepts only dotted-quad decimal without leading zeros; canonical already.
    return text;
  }
  if (version === 6) {
    return ipv6ToText(parseIpv6(text));
  }
  return null;
}

function parseIpv6(text: string): number[] {
  // isIP has already validated the syntax; expand to eight 16-bit groups.
  let body = text.toLowerCase();
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
    const o = last.split('.').map(Number);
    body = `${body.slice(0, lastColon + 1)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const parts = body.split('::');
  if (parts.length === 1) return parse(body);
  const head = parse(parts[0]!);
  const tail = parse(parts[1]!);
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952 text form: lowercase, longest run of zero groups (length ≥ 2) compressed. */
function ipv6ToText(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical CIDR with host bits cleared (192.0.2.7/24 → 192.0.2.0/24), or null. */
export function normaliseCidr(input: string): string | null {
  const [addr, bitsText, extra] = input.trim().split('/');
  if (addr === undefined || bitsText === undefined || extra !== undefined || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  const version = isIP(addr);
  if (version === 4) {
    if (bits > 32) return null;
    const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const net = (n & mask) >>> 0;
    return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${bits}`;
  }
  if (version === 6) {
    if (bits > 128) return null;
    const groups = parseIpv6(addr);
    for (let i = 0; i < 8; i++) {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      const mask = keep === 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
      groups[i] = groups[i]! & mask;
    }
    return `${ipv6ToText(groups)}/${bits}`;
  }
  return null;
}

const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lowercase ASCII (punycode) domain name with at least two labels, or null. */
export function normaliseDomain(input: string): string | null {
  let text = input.trim().replace(/\.$/, '');
  if (text.length === 0 || text.length > 253 || /[\s/:@?#]/.test(text)) return null;
  text = domainToASCII(text.toLowerCase());
  if (!text) return null;
  const labels = text.split('.');
  if (labels.length < 2) return null;
  if (!labels.every((l) => LABEL_RE.test(l))) return null;
  // The top-level label is never all digits (that would be an IPv4 address written oddly).
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null;
  return text;
}

const URL_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ftps:', 'ws:', 'wss:']);

/** Normalised absolute URL (scheme and host lowercased, IDN to punycode), or null. */
export function normaliseUrl(input: string): string | null {
  const text = input.trim();
  if (text.length > 4096 || !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!URL_SCHEMES.has(url.protocol) || url.hostname === '') return null;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0 && normaliseDomain(host) === null) return null;
  return url.href;
}

/** Classifies and normalises one asset a reporter names; null when it is none of the kinds. */
export function parseAsset(input: string): Asset | null {
  const text = input.trim();
  if (text.includes('/') && !text.includes('://')) {
    const cidr = normaliseCidr(text);
    return cidr ? { kind: 'cidr', value: cidr } : null;
  }
  const ip = normaliseIp(text);
  if (ip) return { kind: 'ip', value: ip };
  if (text.includes('://')) {
    const url = normaliseUrl(text);
    return url ? { kind: 'url', value: url } : null;
  }
  const domain = normaliseDomain(text);
  return domain ? { kind: 'domain', value: domain } : null;
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}
