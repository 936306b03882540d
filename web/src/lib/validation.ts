// Client-side syntax rules that mirror the server's, so people see mistakes as they type.
// The server stays the authority: its `details` are shown too.

export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 4) return false;
  return parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function groupsOf(value: string): string[] {
  return value === '' ? [] : value.split(':');
}

export function isIPv6(input: string): boolean {
  let value = input.split('%')[0] ?? ''; // drop a zone index (fe80::1%eth0)
  const lastColon = value.lastIndexOf(':');
  if (lastColon === -1) return false;
  const tail = value.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for two hextets.
    if (!isIPv4(tail)) return false;
    value = `${value.slice(0, lastColon + 1)}0:0`;
  }
  const halves = value.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) {
    const groups = groupsOf(value);
    return groups.length === 8 && groups.every((g) => HEXTET.test(g));
  }
  const groups = [...groupsOf(halves[0] ?? ''), ...groupsOf(halves[1] ?? '')];
  return groups.length <= 7 && groups.every((g) => HEXTET.test(g));
}

export function isIp(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash === -1) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (isIPv4(address)) return bits <= 32;
  if (isIPv6(address)) return bits <= 128;
  return false;
}

/** Domain or host name; labels of letters (any script), digits and hyphens; a trailing dot is allowed. */
export function isHostname(input: string): boolean {
  const value = input.endsWith('.') ? input.slice(0, -1) : input;
  if (value.length === 0 || value.length > 253) return false;
  if (/^[\d.]+$/.test(value)) return false; // looks like a broken IPv4 address
  return value
    .split('.')
    .every((label) => label.length >= 1 && label.length <= 63 && /^[\p{L}\p{N}](?:[\p{L}\p{N}_-]*[\p{L}\p{N}])?$/u.test(label));
}

export function isUrl(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    if (!['http:', 'https:', 'ftp:', 'ftps:'].includes(url.protocol)) return false;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return isIp(host) || isHostname(decodeURIComponent(host));
  } catch {
    return false;
  }
}

/** Anything the API accepts in `assets`: IP, CIDR, URL, domain or host name. */
export function isAsset(value: string): boolean {
  return isIp(value) || isCidr(value) || isUrl(value) || isHostname(value);
}

export function isIpOrCidr(value: string): boolean {
  return isIp(value) || isCidr(value);
}

export function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return /^[^\s@"(),:;<>[\\\]]+$/.test(local) && local.length <= 64 && domain.includes('.') && isHostname(domain);
}

export function isPort(value: string): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) <= 65535;
}

export function isPhone(value: string): boolean {
  return /^\+?[\d\s()\-#*.]{4,40}$/.test(value) && /\d{4,}/.test(value.replace(/\D/g, ''));
}

/** Splits a free-text list: one item per line, or separated by commas/semicolons/spaces. */
export function splitList(value: string, separators: RegExp = /[\s,;]+/): string[] {
  return value
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** One item per line (URLs may legitimately contain commas). */
export function splitLines(value: string): string[] {
  return splitList(value, /\r?\n/);
}
