/**
 * Named conversions from feed text to harmonised values, used by every parser and by declarative mappings.
 * A converter returns the value, `undefined` when the text is invalid (the caller rejects the row or keeps the
 * raw text in `extra`), or `null` when the text means "no value" (ASN 0, country "-").
 */
import { normaliseIp, normaliseNetwork, trimIfNeeded } from './ip.js';
import { normaliseFqdn, normaliseUrl, refang } from './host.js';
import { normaliseTime, parseEpoch, toIso } from './time.js';
import { isRsitTaxonomy, isRsitType } from '../taxonomy.js';
import type { FieldKind } from '../event.js';

export type Conversion =
  | FieldKind
  | 'int'
  | 'float'
  | 'bool'
  | 'upper'
  | 'epoch'
  | 'epoch-ms'
  | 'refanged-url';

export type Converted = string | number | boolean | null | undefined;
export type Converter = (raw: string) => Converted;

function toInt(raw: string, min: number, max: number): number | undefined {
  const s = trimIfNeeded(raw);
  const n = s.length;
  if (n === 0 || n > 10) return undefined;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  return v >= min && v <= max ? v : undefined;
}

export function convertPort(raw: string): number | undefined {
  return toInt(raw, 0, 65535);
}

export function convertAsn(raw: string): number | null | undefined {
  let s = trimIfNeeded(raw);
  const c0 = s.charCodeAt(0);
  if (c0 === 65 || c0 === 97) {
    const c1 = s.charCodeAt(1);
    if (c1 !== 83 && c1 !== 115) return undefined;
    s = s.slice(2);
  }
  const v = toInt(s, 0, 4294967295);
  return v === 0 ? null : v;
}

export function convertCc(raw: string): string | null | undefined {
  const s = trimIfNeeded(raw);
  if (s === '-' || s === '--' || s === 'XX' || s === 'ZZ') return null;
  if (s.length !== 2) return undefined;
  const a = s.charCodeAt(0) | 0x20;
  const b = s.charCodeAt(1) | 0x20;
  if (a < 97 || a > 122 || b < 97 || b > 122) return undefined;
  return s.toUpperCase();
}

function convertBool(raw: string): boolean | undefined {
  switch (trimIfNeeded(raw).toLowerCase()) {
    case 'y':
    case 'yes':
    case 'true':
    case 't':
    case '1':
    case 'enabled':
      return true;
    case 'n':
    case 'no':
    case 'false':
    case 'f':
    case '0':
    case 'disabled':
      return false;
    default:
      return undefined;
  }
}

function convertFloat(raw: string): number | undefined {
  const s = trimIfNeeded(raw);
  if (s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function convertInt(raw: string): number | undefined {
  const s = trimIfNeeded(raw);
  if (!/^-?\d{1,15}$/.test(s)) return undefined;
  return Number(s);
}

export const CONVERTERS: Readonly<Record<Conversion, Converter>> = {
  string: (raw) => trimIfNeeded(raw),
  lower: (raw) => trimIfNeeded(raw).toLowerCase(),
  upper: (raw) => trimIfNeeded(raw).toUpperCase(),
  ip: normaliseIp,
  network: normaliseNetwork,
  port: convertPort,
  asn: convertAsn,
  fqdn: normaliseFqdn,
  url: normaliseUrl,
  'refanged-url': (raw) => normaliseUrl(refang(trimIfNeeded(raw))),
  cc: convertCc,
  time: normaliseTime,
  epoch: (raw) => toIso(parseEpoch(raw, 's')),
  'epoch-ms': (raw) => toIso(parseEpoch(raw, 'ms')),
  taxonomy: (raw) => {
    const s = trimIfNeeded(raw).toLowerCase();
    return isRsitTaxonomy(s) ? s : undefined;
  },
  type: (raw) => {
    const s = trimIfNeeded(raw).toLowerCase();
    return isRsitType(s) ? s : undefined;
  },
  int: convertInt,
  float: convertFloat,
  bool: convertBool,
};

export function isConversion(name: string): name is Conversion {
  return Object.prototype.hasOwnProperty.call(CONVERTERS, name);
}
