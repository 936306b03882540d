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
import { f64, u32 } from './columns.js';

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

/**
 * The counters of one deduplicated event, read from the Deduplicator's columns. Views like this are made
 * when asked for (the import itself keeps only numbers in typed arrays).
 */
export class SightingState {
  constructor(
    private readonly dedup: Deduplicator,
    /** Position of the event in the Deduplicator (order of first sighting). */
    readonly index: number,
  ) {}

  /** Deterministic key: see dedupKeyOf. */
  get key(): string {
    return this.dedup.keyOf(this.index);
  }

  get count(): number {
    return this.dedup.countOf(this.index);
  }

  get windowStartMs(): number {
    return this.dedup.windowStartOf(this.index);
  }

  get firstSeenMs(): number {
    return this.dedup.firstSeenOf(this.index);
  }

  get lastSeenMs(): number {
    return this.dedup.lastSeenOf(this.index);
  }

  get firstSeen(): string {
    return toIso(this.firstSeenMs) ?? '';
  }

  get lastSeen(): string {
    return toIso(this.lastSeenMs) ?? '';
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

/** DedupedEvent over a position in a Deduplicator: counts read live. */
export class DedupedView extends SightingState implements DedupedEvent {
  constructor(
    dedup: Deduplicator,
    index: number,
    readonly event: FeedEvent,
    readonly line: number,
    readonly match: ConstituentMatch | null,
  ) {
    super(dedup, index);
  }

  get windowStart(): string {
    return toIso(this.windowStartMs) ?? '';
  }
}

/** Digest bytes (a SHA-256 as a 32-character 'binary' string) → 8 words at `out[at..]`. */
function digestWords(bin: string, out: Uint32Array, at: number): void {
  for (let k = 0; k < 8; k++) {
    const i = k * 4;
    out[at + k] = ((bin.charCodeAt(i) << 24) | (bin.charCodeAt(i + 1) << 16) | (bin.charCodeAt(i + 2) << 8) | bin.charCodeAt(i + 3)) >>> 0;
  }
}

const scratch = new Uint32Array(8);
const keyScratch = Buffer.allocUnsafe(32);

/**
 * Open-addressing hash table from digests to event positions, in a typed array. The digest is already a
 * SHA-256, so its first two words are a perfect hash: a slot holds them and the position, and a match of
 * both is confirmed against the full digest. Compared with a Map keyed by hex strings this keeps no object
 * per event and touches no key object per probe — with a million distinct events, memory latency is what a
 * table costs.
 */
class DigestTable {
  private slots = new Uint32Array(3 << 12);
  private mask = (1 << 12) - 1;
  private used = 0;

  /**
   * Finds the digest `d` among the stored positions (8 words each in `words`); when absent, records it under
   * `position` in the same probe. Returns the stored position, or -1 when it was absent (and is now stored).
   */
  findOrInsert(d: Uint32Array, words: Uint32Array, position: number): number {
    if ((this.used + 1) * 2 > this.mask + 1) this.grow();
    const slots = this.slots;
    const h1 = d[0]!;
    const h2 = d[1]!;
    let i = h1 & this.mask;
    for (;;) {
      const o = i * 3;
      const stored = slots[o + 2]!;
      if (stored === 0) {
        slots[o] = h1;
        slots[o + 1] = h2;
        slots[o + 2] = position + 1;
        this.used++;
        return -1;
      }
      if (slots[o] === h1 && slots[o + 1] === h2) {
        const p = (stored - 1) * 8;
        if (words[p + 2] === d[2] && words[p + 3] === d[3] && words[p + 4] === d[4] && words[p + 5] === d[5] && words[p + 6] === d[6] && words[p + 7] === d[7]) {
          return stored - 1;
        }
      }
      i = (i + 1) & this.mask;
    }
  }

  private place(h1: number, h2: number, stored: number): void {
    const slots = this.slots;
    let i = h1 & this.mask;
    while (slots[i * 3 + 2] !== 0) i = (i + 1) & this.mask;
    const o = i * 3;
    slots[o] = h1;
    slots[o + 1] = h2;
    slots[o + 2] = stored;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
    for (let o = 0; o < old.length; o += 3) if (old[o + 2] !== 0) this.place(old[o]!, old[o + 1]!, old[o + 2]!);
  }
}

/**
 * The deduplication state of one import: per distinct event its digest, count, window and first/last
 * offsets in typed-array columns (about 64 bytes an event, no object), found through DigestTable.
 */
export class Deduplicator {
  private readonly table = new DigestTable();
  private readonly digests = u32(8 * 1024);
  /** Per event, side by side: [count, window index, first offset, last offset]. One record, so that merging
   *  a repeated sighting touches one cache line rather than three arrays' worth. */
  private readonly counters = f64(4 * 1024);
  private events = 0;
  private readonly windowMs: number;
  private readonly originMs: number;
  /** Sightings merged into an existing event. */
  duplicates = 0;

  constructor(options: DedupOptions = {}) {
    const windowMs = options.windowMs ?? DAY_MS;
    if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw new RangeError('windowMs must be positive');
    this.windowMs = windowMs;
    this.originMs = options.originMs ?? 0;
  }

  get size(): number {
    return this.events;
  }

  /** Adds a sighting; returns the position of its event (a new one when countOf(position) === 1).
   *  `timeMs` defaults to sightingTime(e). */
  add(e: FeedEvent, timeMs = sightingTime(e), scope = ''): number {
    const windowIndex = Math.floor((timeMs - this.originMs) / this.windowMs);
    const windowStart = this.originMs + windowIndex * this.windowMs;
    const identity = dedupIdentity(e, windowStart, scope);
    digestWords(hasOneShotHash ? hash('sha256', identity, 'binary') : createHash('sha256').update(identity).digest('binary'), scratch, 0);
    const position = this.events;
    const at = this.table.findOrInsert(scratch, this.digests.array, position);
    const offset = timeMs - windowStart;
    if (at >= 0) {
      const c = this.counters.array;
      const o = 4 * at;
      c[o]!++;
      if (offset < c[o + 2]!) c[o + 2] = offset;
      if (offset > c[o + 3]!) c[o + 3] = offset;
      this.duplicates++;
      return at;
    }
    const w = this.digests.reserve(8);
    const words = this.digests.array;
    for (let k = 0; k < 8; k++) words[w + k] = scratch[k]!;
    const o = this.counters.reserve(4);
    const c = this.counters.array;
    c[o] = 1;
    c[o + 1] = windowIndex;
    c[o + 2] = offset;
    c[o + 3] = offset;
    this.events++;
    return position;
  }

  countOf(i: number): number {
    return this.counters.array[4 * i]!;
  }

  windowStartOf(i: number): number {
    return this.originMs + this.counters.array[4 * i + 1]! * this.windowMs;
  }

  firstSeenOf(i: number): number {
    return this.windowStartOf(i) + this.counters.array[4 * i + 2]!;
  }

  lastSeenOf(i: number): number {
    return this.windowStartOf(i) + this.counters.array[4 * i + 3]!;
  }

  /** The key (hex SHA-256) of the event at position i. */
  keyOf(i: number): string {
    // Through a scratch Buffer: one flat string made natively. Concatenating eight padded pieces would make
    // a rope of sixteen small strings per key, which costs the garbage collector dearly when a few hundred
    // thousand keys are kept (sighting updates, database batches).
    const w = this.digests.array;
    for (let k = 0; k < 8; k++) keyScratch.writeUInt32BE(w[i * 8 + k]!, k * 4);
    return keyScratch.toString('hex');
  }

  /** A view of the event at position i. */
  state(i: number): SightingState {
    return new SightingState(this, i);
  }

  /** Views of every event, in order of first sighting. */
  states(): SightingState[] {
    const out: SightingState[] = new Array<SightingState>(this.size);
    for (let i = 0; i < out.length; i++) out[i] = new SightingState(this, i);
    return out;
  }
}
