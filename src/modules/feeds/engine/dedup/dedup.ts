/**
 * Deduplication: sightings of the same thing — same feed, same classification (type and identifier), same
 * source (URL; else IP and port — IP alone for client-side types such as infected systems, whose source port
 * changes with every connection; else FQDN; else network) — within one time window are one event with a
 * sighting count and first/last seen.
 *
 * Windows are fixed, aligned intervals (`origin + k·window`), not sliding ones: which window a sighting falls
 * in depends only on its own time, never on what else was seen or in which order. That makes the key below a
 * pure function of the event, so a re-run of an import after a crash — or a second file covering the same
 * window — produces the same keys, and the database can use the key as a unique key (upsert) for idempotence.
 * The price: two sightings a minute apart on either side of a window boundary are two events.
 *
 * The key is the SHA-256 of the identity text (dedupIdentity), in hex (64 characters).
 *
 * Memory: an import keeps one small SightingState per distinct event (its key, counters and, for matched
 * events, the values its notice row needs), never the event itself; events are handed on when first seen.
 */
import { createHash, hash } from 'node:crypto';
import type { FeedEvent } from '../event.js';
import type { ConstituentMatch } from '../match/matcher.js';
import { isoToMs, toIso } from '../normalise/time.js';

export interface DedupOptions {
  /** Window length; default one day. */
  windowMs?: number;
  /** Where windows are anchored; default the epoch (UTC midnight for daily windows). For daily windows on
   *  Taiwan days, use -8 h (`Date.UTC(1970, 0, 1, -8)`). */
  originMs?: number;
}

const SEP = '\u001f';
export const DAY_MS = 86_400_000;

/**
 * Types whose source is a client (an infected host calling its controller, a brute-forcer, a scanner): its
 * source port is ephemeral, different on every connection, so it is left out of the identity — otherwise
 * each connection of one infected host would be an event of its own.
 */
export const EPHEMERAL_SOURCE_PORT_TYPES: ReadonlySet<string> = new Set([
  'infected-system',
  'brute-force',
  'scanner',
  'exploit',
  'ids-alert',
  'spam',
  'ddos',
  'dos',
]);

/** The source part of the identity. */
function sourceOf(e: FeedEvent): string {
  const url = e['source.url'];
  if (url !== undefined) return `u${url}`;
  const ip = e['source.ip'];
  if (ip !== undefined) {
    const port = e['source.port'];
    return port === undefined || EPHEMERAL_SOURCE_PORT_TYPES.has(e['classification.type']) ? `i${ip}` : `i${ip}${SEP}${port}`;
  }
  const fqdn = e['source.fqdn'];
  if (fqdn !== undefined) return `f${fqdn}`;
  return `n${e['source.network'] ?? ''}`;
}

/** The time a sighting counts at: when the source saw it, else when we received it. */
export function sightingTime(e: FeedEvent): number {
  const t = e['time.source'];
  return isoToMs(t !== undefined ? t : e['time.observation']);
}

/** The identity text of a sighting (what the key hashes). `scope` separates copies of one event made for
 *  several owners (a listed network touching several constituents). */
export function dedupIdentity(e: FeedEvent, windowStartMs: number, scope = ''): string {
  const id = e['classification.identifier'];
  const base = `${e['feed.name']}${SEP}${e['classification.type']}${SEP}${id ?? ''}${SEP}${sourceOf(e)}${SEP}${windowStartMs}`;
  return scope === '' ? base : `${base}${SEP}${scope}`;
}

const hasOneShotHash = typeof hash === 'function';

/** SHA-256 of the identity in hex (64 characters). The whole digest: truncating would only save a few
 *  bytes, and a substring would keep the full one alive anyway. */
export function dedupKeyOf(identity: string): string {
  return hasOneShotHash ? hash('sha256', identity, 'hex') : createHash('sha256').update(identity).digest('hex');
}

/** Window geometry shared by the states of one Deduplicator. */
export class Windows {
  constructor(
    readonly windowMs: number,
    readonly originMs: number,
  ) {}

  startOf(index: number): number {
    return this.originMs + index * this.windowMs;
  }
}

/** Counters of one deduplicated event. Small on purpose: an import holds one per distinct event. */
export class SightingState {
  count = 1;
  /** The notice row's cells (matched events only), set by the aggregator: see NoticeAggregator. */
  row: string | null = null;
  private firstOffset: number;
  private lastOffset: number;

  constructor(
    /** Deterministic key: see dedupKeyOf. */
    readonly key: string,
    readonly windowIndex: number,
    offset: number,
    private readonly windows: Windows,
  ) {
    this.firstOffset = offset;
    this.lastOffset = offset;
  }

  get windowStartMs(): number {
    return this.windows.startOf(this.windowIndex);
  }

  get firstSeenMs(): number {
    return this.windowStartMs + this.firstOffset;
  }

  get lastSeenMs(): number {
    return this.windowStartMs + this.lastOffset;
  }

  get firstSeen(): string {
    return toIso(this.firstSeenMs) ?? '';
  }

  get lastSeen(): string {
    return toIso(this.lastSeenMs) ?? '';
  }

  /** @internal */
  sighted(offset: number): void {
    this.count++;
    if (offset < this.firstOffset) this.firstOffset = offset;
    if (offset > this.lastOffset) this.lastOffset = offset;
  }
}

/** A deduplicated event: the first sighting's data and the live counters. */
export interface DedupedEvent {
  /** Deterministic key: SHA-256 (hex) of (feed, classification, source, window[, scope]). */
  readonly key: string;
  /** The first sighting as parsed. */
  readonly event: FeedEvent;
  /** Line of the first sighting in its input. */
  readonly line: number;
  /** Sightings merged into this event so far (final when the import has ended). */
  readonly count: number;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly windowStart: string;
  /** Owner, when matched. */
  readonly match: ConstituentMatch | null;
}

/** DedupedEvent over a state: counts read live. */
export class DedupedView implements DedupedEvent {
  constructor(
    readonly state: SightingState,
    readonly event: FeedEvent,
    readonly line: number,
    readonly match: ConstituentMatch | null,
  ) {}

  get key(): string {
    return this.state.key;
  }

  get count(): number {
    return this.state.count;
  }

  get firstSeenMs(): number {
    return this.state.firstSeenMs;
  }

  get lastSeenMs(): number {
    return this.state.lastSeenMs;
  }

  get firstSeen(): string {
    return this.state.firstSeen;
  }

  get lastSeen(): string {
    return this.state.lastSeen;
  }

  get windowStart(): string {
    return toIso(this.state.windowStartMs) ?? '';
  }
}

export class Deduplicator {
  /** key → state. Keying by the hash itself (which every event needs anyway) keeps no identity text or
   *  source string alive: the key string is shared with the state. */
  private readonly map = new Map<string, SightingState>();
  private readonly all: SightingState[] = [];
  private readonly windows: Windows;
  /** Sightings merged into an existing event. */
  duplicates = 0;

  constructor(options: DedupOptions = {}) {
    const windowMs = options.windowMs ?? DAY_MS;
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw new RangeError('windowMs must be positive');
    this.windows = new Windows(windowMs, options.originMs ?? 0);
  }

  get size(): number {
    return this.all.length;
  }

  /** Adds a sighting; returns the state of its event (new when `count === 1`). `timeMs` defaults to
   *  sightingTime(e). */
  add(e: FeedEvent, timeMs = sightingTime(e), scope = ''): SightingState {
    const { windowMs, originMs } = this.windows;
    const windowIndex = Math.floor((timeMs - originMs) / windowMs);
    const windowStart = originMs + windowIndex * windowMs;
    const key = dedupKeyOf(dedupIdentity(e, windowStart, scope));
    const existing = this.map.get(key);
    if (existing !== undefined) {
      existing.sighted(timeMs - windowStart);
      this.duplicates++;
      return existing;
    }
    const state = new SightingState(key, windowIndex, timeMs - windowStart, this.windows);
    this.map.set(key, state);
    this.all.push(state);
    return state;
  }

  /** States in order of first sighting. */
  states(): readonly SightingState[] {
    return this.all;
  }
}
