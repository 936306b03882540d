/**
 * Timestamps. Feeds write `2024-01-15 03:12:45` (Shadowserver), ISO 8601 with or without zone, RFC 2822
 * (`Mon, 15 Jan 2024 10:30:00 GMT`) or epoch seconds. Times without a zone are UTC, as IntelMQ assumes for
 * Shadowserver; we never let the host's local zone leak in (Date.parse would use it).
 */
import { trimIfNeeded } from './ip.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Parses `YYYY-MM-DD` (or `YYYY/MM/DD`), `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z| UTC|±HH[:]MM]`; NaN when not of that form. */
export function parseIsoLike(s: string): number {
  const n = s.length;
  // Date separators: '-' (ISO) or '/' (zone-h and other exports write 2024/01/15).
  const sep1 = s.charCodeAt(4);
  if (n < 10 || (sep1 !== 45 && sep1 !== 47) || s.charCodeAt(7) !== sep1) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return NaN;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return NaN;
  if (n === 10) return Date.UTC(year, month - 1, day);
  const sep = s.charCodeAt(10);
  if ((sep !== 84 && sep !== 116 && sep !== 32) || n < 16 || s.charCodeAt(13) !== 58) return NaN;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    second = digits(s, 17, 2);
    if (second < 0 || second > 60) return NaN;
    i = 19;
    if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
      i++;
      let scale = 100;
      const from = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === from) return NaN;
      ms = Math.floor(ms);
    }
  }
  let offsetMinutes = 0;
  if (i < n) {
    let z = i;
    if (s.charCodeAt(z) === 32) z++;
    const c = s.charCodeAt(z);
    if ((c === 90 || c === 122) && z === n - 1) {
      // Z
    } else if (s.slice(z) === 'UTC' || s.slice(z) === 'GMT') {
      // explicit UTC
    } else if (c === 43 || c === 45) {
      const oh = digits(s, z + 1, 2);
      let om = 0;
      const rest = n - (z + 3);
      if (rest === 3 && s.charCodeAt(z + 3) === 58) om = digits(s, z + 4, 2);
      else if (rest === 2) om = digits(s, z + 3, 2);
      else if (rest !== 0) return NaN;
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
      offsetMinutes = (c === 43 ? 1 : -1) * (oh * 60 + om);
    } else {
      return NaN;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

const ZONE_IN_TEXT = /(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})\s*$/;

/** Milliseconds since the epoch, or NaN. */
export function parseTime(input: string): number {
  const s = trimIfNeeded(input);
  const t = parseIsoLike(s);
  if (!Number.isNaN(t)) return t;
  // Other textual forms only when they state their zone: never the host's local time.
  if (ZONE_IN_TEXT.test(s)) {
    const d = Date.parse(s);
    if (!Number.isNaN(d)) return d;
  }
  return NaN;
}

/** Seconds (or milliseconds with `unit` 'ms') since the epoch, as text, to ms; NaN when not a number. */
export function parseEpoch(s: string, unit: 's' | 'ms' = 's'): number {
  const trimmed = s.trim();
  if (trimmed === '' || !/^\d+(?:\.\d+)?$/.test(trimmed)) return NaN;
  const v = Number(trimmed);
  return unit === 's' ? Math.round(v * 1000) : Math.round(v);
}

const MIN_TIME = Date.UTC(1970, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/** ISO 8601 UTC text with milliseconds, as Date#toISOString writes it (which is slow: this is ~5x faster),
 *  or undefined outside 1970–2199. Civil date from days since the epoch after H. Hinnant's algorithm. */
export function toIso(ms: number): string | undefined {
  if (!(ms >= MIN_TIME && ms < MAX_TIME)) return undefined;
  const t = Math.floor(ms);
  const days = Math.floor(t / 86_400_000);
  let rest = t - days * 86_400_000;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${pad3(milli)}Z`;
}

let lastInput = '';
let lastOutput: string | undefined;

/** Canonical ISO 8601 UTC text of a timestamp, or undefined. Consecutive rows of a feed often share a
 *  timestamp, so the last answer is remembered. */
export function normaliseTime(input: string): string | undefined {
  if (input === lastInput) return lastOutput;
  const out = toIso(parseTime(input));
  lastInput = input;
  lastOutput = out;
  return out;
}

let lastIso = '';
let lastIsoMs = NaN;

/** Fast inverse of toIso for canonical text (`2024-01-15T03:12:45.000Z`); consecutive events usually share
 *  their time, so the last answer is remembered. */
export function isoToMs(iso: string): number {
  if (iso === lastIso) return lastIsoMs;
  lastIsoMs = parseIsoLike(iso);
  lastIso = iso;
  return lastIsoMs;
}
