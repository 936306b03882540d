/**
 * Turning a parsed record into a valid FeedEvent. Parsers fill an EventDraft with converted values and call
 * completeEvent; anything else (API pushes, re-validation in the database layer) calls harmoniseEvent on a
 * loose object of IntelMQ-named fields.
 */
import { EVENT_FIELDS, isEventField } from './event.js';
import type { FeedEvent, JsonValue } from './event.js';
import { CONVERTERS } from './normalise/convert.js';
import { hostOfCanonicalUrl } from './normalise/host.js';
import { parseIPv4 } from './normalise/ip.js';
import { isRsitTaxonomy, taxonomyOfType } from './taxonomy.js';

/** An event under construction: IntelMQ field names to already-normalised values. */
export type EventDraft = { [field: string]: JsonValue | undefined; extra?: { [key: string]: JsonValue } };

/**
 * Fills derived fields and checks the invariants; returns a reason when the event cannot stand.
 * - `classification.taxonomy` follows from `classification.type` when missing; a contradiction is an error.
 * - `source.fqdn` (or `source.ip`) comes from the host of `source.url` when missing (IntelMQ's url2fqdn).
 * - An event needs something that identifies its source: ip, url, fqdn or network.
 */
export function completeEvent(draft: EventDraft): string | undefined {
  const type = draft['classification.type'];
  if (typeof type !== 'string' || type === '') return 'missing classification.type';
  const derived = taxonomyOfType(type);
  const given = draft['classification.taxonomy'];
  if (given === undefined) {
    if (derived === undefined) return `classification.type "${type}" is not an RSIT type; set classification.taxonomy`;
    draft['classification.taxonomy'] = derived;
  } else if (typeof given !== 'string' || !isRsitTaxonomy(given)) {
    return `invalid classification.taxonomy "${String(given)}"`;
  } else if (derived !== undefined && derived !== given) {
    return `classification.type "${type}" belongs to taxonomy "${derived}", not "${given}"`;
  }
  const url = draft['source.url'];
  if (typeof url === 'string' && draft['source.fqdn'] === undefined && draft['source.ip'] === undefined) {
    const host = hostOfCanonicalUrl(url);
    if (host.indexOf(':') >= 0 || parseIPv4(host) >= 0) draft['source.ip'] = host;
    else if (host.indexOf('.') > 0) draft['source.fqdn'] = host;
  }
  if (
    draft['source.ip'] === undefined &&
    draft['source.url'] === undefined &&
    draft['source.fqdn'] === undefined &&
    draft['source.network'] === undefined
  ) {
    return 'no source: need source.ip, source.url, source.fqdn or source.network';
  }
  if (typeof draft['feed.name'] !== 'string' || draft['feed.name'] === '') return 'missing feed.name';
  if (typeof draft['time.observation'] !== 'string') return 'missing time.observation';
  return undefined;
}

export type HarmoniseResult = { ok: true; event: FeedEvent } | { ok: false; reason: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toJsonValue(v: unknown): JsonValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const j = toJsonValue(x);
      if (j !== undefined) out.push(j);
    }
    return out;
  }
  if (isPlainObject(v)) {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) {
      const j = toJsonValue(x);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

/**
 * Validates and normalises a loose event: IntelMQ field names (flat, `extra.*` allowed, or a nested `extra`
 * object). Unknown field names are an error, as in IntelMQ. Empty strings count as absent.
 */
export function harmoniseEvent(input: Record<string, unknown>): HarmoniseResult {
  const draft: EventDraft = {};
  let extra: { [key: string]: JsonValue } | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'extra') {
      if (!isPlainObject(value)) return { ok: false, reason: 'extra must be an object' };
      for (const [k, v] of Object.entries(value)) {
        const j = toJsonValue(v);
        if (j !== undefined) (extra ??= {})[k] = j;
      }
      continue;
    }
    if (key.startsWith('extra.')) {
      const j = toJsonValue(value);
      if (j !== undefined) (extra ??= {})[key.slice(6)] = j;
      continue;
    }
    if (!isEventField(key)) return { ok: false, reason: `unknown field "${key}"` };
    if (typeof value !== 'string' && typeof value !== 'number') {
      return { ok: false, reason: `${key} must be text or a number` };
    }
    const converted = CONVERTERS[EVENT_FIELDS[key]](String(value));
    if (converted === undefined) return { ok: false, reason: `invalid ${key} "${String(value).slice(0, 100)}"` };
    if (converted !== null) draft[key] = converted;
  }
  if (extra !== undefined) draft.extra = extra;
  const reason = completeEvent(draft);
  if (reason !== undefined) return { ok: false, reason };
  return { ok: true, event: draft as unknown as FeedEvent };
}
