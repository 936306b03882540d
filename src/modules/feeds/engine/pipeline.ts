/**
 * The whole import in one process: stream → parse → harmonise → match → deduplicate → aggregate.
 *
 * Memory holds only the deduplication state and the notice aggregates, never the input nor the events: the
 * source is read chunk by chunk; each record becomes an event, which is folded into the deduplication state
 * and, when it is new, matched (once per distinct event, not per sighting), added to its notice and handed to
 * `onEvent` — after which the pipeline lets go of it.
 *
 * For the database layer: store events from `onEvent` (insert, ignoring conflicts on `key`: a re-run of the
 * same input after a crash yields the same keys), then apply `result.sightings` (absolute counts and
 * first/last seen of events seen more than once in this input; `result.sightingBatches()` gives them a batch
 * at a time). Awaiting `drain` between chunks gives backpressure to batched writes.
 */
import type { FeedEvent, RejectedRow } from './event.js';
import type { DedupOptions } from './dedup/dedup.js';
import { DedupedView, Deduplicator, sightingTime } from './dedup/dedup.js';
import { i32 } from './dedup/columns.js';
import type { DedupedEvent } from './dedup/dedup.js';
import type { ConstituentMatch, ConstituentMatcher, MatchedBy } from './match/matcher.js';
import { NoticeAggregator } from './aggregate/notices.js';
import type { NoticeDraft } from './aggregate/notices.js';
import { parseFeed } from './parsers/run.js';
import type { FeedSource } from './parsers/run.js';
import type { FeedParser, ParseOptions } from './parsers/types.js';

export interface PipelineOptions {
  parser: FeedParser;
  source: FeedSource;
  parse: ParseOptions;
  matcher: ConstituentMatcher;
  dedup?: DedupOptions;
  /** Receives each deduplicated event once, when first seen (its counters keep updating while the import
   *  runs; final values of repeated events are in `result.sightings`). */
  onEvent?: (event: DedupedEvent) => void;
  /** Awaited after each input chunk (e.g. to flush a batch of onEvent writes). */
  drain?: () => Promise<void> | void;
  /** Also return every event in `result.events`. Default: only when there is no onEvent. Holds all events
   *  in memory: for tests and small inputs. */
  retainEvents?: boolean;
  /** Rejected rows kept with their line numbers (all are counted); default 1000. */
  maxRejectedKept?: number;
}

export interface TypeStats {
  events: number;
  sightings: number;
  matched: number;
}

export interface PipelineStats {
  /** Records read (events parsed plus rows rejected); headers, comments and blank lines not included. */
  rows: number;
  /** Sightings the parser produced. */
  parsed: number;
  rejected: number;
  /** The first maxRejectedKept rejected rows, in input order. */
  rejectedRows: RejectedRow[];
  /** Rejections by reason (the reason up to its first quoted value, so that values do not split counts). */
  rejectedByReason: Record<string, number>;
  /** Deduplicated events. A listed network touching several constituents counts once per constituent. */
  events: number;
  /** Sightings merged into an existing event. */
  duplicates: number;
  matched: number;
  matchedBy: Record<MatchedBy, number>;
  unmatched: { events: number; byCountry: Record<string, number>; byAsn: Record<string, number> };
  byType: Record<string, TypeStats>;
  notices: number;
  durationMs: number;
}

/** Final counters of an event seen more than once. */
export interface SightingUpdate {
  key: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

export interface PipelineResult {
  stats: PipelineStats;
  /** Notice drafts for matched events, in the order constituents were given to the matcher, then by topic
   *  (the catalogue's order). */
  notices: NoticeDraft[];
  /** Events seen more than once in this input, with final counts: all made when first read. A large import
   *  has hundreds of thousands; the database writer takes them with sightingBatches instead. */
  readonly sightings: SightingUpdate[];
  /** The same updates as `sightings`, in order, made one batch at a time as they are iterated. */
  sightingBatches(size?: number): Iterable<SightingUpdate[]>;
  /** Every deduplicated event in order of first sighting — only with retainEvents (or without onEvent). */
  events: DedupedEvent[];
}

function reasonCategory(reason: string): string {
  const q = reason.indexOf('"');
  return (q < 0 ? reason : reason.slice(0, q)).trim();
}

export async function runFeedPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const started = performance.now();
  const { matcher, onEvent } = options;
  const retain = options.retainEvents ?? onEvent === undefined;
  const retained: DedupedEvent[] = [];
  const dedup = new Deduplicator(options.dedup);
  const aggregator = new NoticeAggregator(dedup);
  const maxKept = options.maxRejectedKept ?? 1000;
  const rejectedRows: RejectedRow[] = [];
  const rejectedByReason: Record<string, number> = {};
  const byType: Record<string, TypeStats> = {};
  const matchedBy: Record<MatchedBy, number> = { ip: 0, asn: 0, domain: 0, network: 0 };
  // Maps while counting (a record with thousands of ASN keys is slow to update), records in the result.
  const byCountry = new Map<string, number>();
  const byAsn = new Map<number | undefined, number>();
  let parsed = 0;
  let rejected = 0;
  let events = 0;
  let matched = 0;
  let unmatched = 0;
  let lastType = '';
  let lastStats: TypeStats = { events: 0, sightings: 0, matched: 0 };

  const firstSeen = (position: number, e: FeedEvent, line: number, m: ConstituentMatch | null, ts: TypeStats): void => {
    events++;
    ts.events++;
    if (m !== null) {
      matched++;
      ts.matched++;
      if (m.by === 'ip') matchedBy.ip++;
      else matchedBy[m.by]++;
      aggregator.add(position, e, m);
    } else {
      unmatched++;
      const cc = e['source.geolocation.cc'] ?? 'unknown';
      byCountry.set(cc, (byCountry.get(cc) ?? 0) + 1);
      const asn = e['source.asn'];
      byAsn.set(asn, (byAsn.get(asn) ?? 0) + 1);
    }
    if (onEvent !== undefined || retain) {
      const view = new DedupedView(dedup, position, e, line, m);
      if (onEvent !== undefined) onEvent(view);
      if (retain) retained.push(view);
    }
  };

  const onParsed = (e: FeedEvent, line: number): void => {
    parsed++;
    const type = e['classification.type'];
    let ts = lastStats;
    if (type !== lastType) {
      ts = byType[type] ??= { events: 0, sightings: 0, matched: 0 };
      lastType = type;
      lastStats = ts;
    }
    ts.sightings++;
    const t = sightingTime(e);
    const network = e['source.network'];
    if (network !== undefined && e['source.ip'] === undefined) {
      // A listed network may touch several constituents: one event per owner.
      const owners = matcher.matchNetwork(network);
      if (owners.length === 0) {
        const p = dedup.add(e, t);
        if (dedup.countOf(p) === 1) firstSeen(p, e, line, null, ts);
      }
      for (const m of owners) {
        const p = dedup.add(e, t, m.constituentId);
        if (dedup.countOf(p) === 1) firstSeen(p, e, line, m, ts);
      }
      return;
    }
    const p = dedup.add(e, t);
    if (dedup.countOf(p) === 1) firstSeen(p, e, line, matcher.match(e), ts);
  };

  await parseFeed(
    options.parser,
    options.source,
    options.parse,
    {
      event: onParsed,
      reject(row) {
        rejected++;
        if (rejectedRows.length < maxKept) rejectedRows.push(row);
        const cat = reasonCategory(row.reason);
        rejectedByReason[cat] = (rejectedByReason[cat] ?? 0) + 1;
      },
    },
    options.drain,
  );

  // Only the positions of repeated events: their update objects (a hex key and two ISO times each) are made
  // when asked for, a batch at a time. Made all at once here, a few hundred thousand of them would survive
  // into the old generation for the garbage collector to copy, and cost more than the deduplication itself.
  const repeated = i32();
  for (let i = 0; i < dedup.size; i++) if (dedup.countOf(i) > 1) repeated.push(i);
  const notices = aggregator.drafts();
  const updates = sightingsOf(dedup, repeated.array.subarray(0, repeated.length));
  return {
    stats: {
      rows: parsed + rejected,
      parsed,
      rejected,
      rejectedRows,
      rejectedByReason,
      events,
      duplicates: dedup.duplicates,
      matched,
      matchedBy,
      unmatched: {
        events: unmatched,
        byCountry: Object.fromEntries(byCountry),
        byAsn: Object.fromEntries([...byAsn].map(([asn, n]) => [asn === undefined ? 'unknown' : `AS${asn}`, n])),
      },
      byType,
      notices: notices.length,
      durationMs: performance.now() - started,
    },
    notices,
    events: retained,
    // Not spread: that would read the getter and make every update.
    get sightings() {
      return updates.sightings;
    },
    sightingBatches: updates.sightingBatches,
  };
}

/** The sighting updates of the events at `positions`: in batches, or all at once (made once, on first read). */
function sightingsOf(dedup: Deduplicator, positions: Int32Array): Pick<PipelineResult, 'sightings' | 'sightingBatches'> {
  const update = (i: number): SightingUpdate => {
    const s = dedup.state(i);
    return { key: s.key, count: s.count, firstSeen: s.firstSeen, lastSeen: s.lastSeen };
  };
  let all: SightingUpdate[] | undefined;
  return {
    get sightings(): SightingUpdate[] {
      all ??= Array.from(positions, update);
      return all;
    },
    *sightingBatches(size = 500): Iterable<SightingUpdate[]> {
      if (!(size >= 1)) throw new RangeError('size must be at least 1');
      for (let from = 0; from < positions.length; from += size) {
        const to = Math.min(positions.length, from + size);
        const batch = new Array<SightingUpdate>(to - from);
        for (let k = from; k < to; k++) batch[k - from] = update(positions[k]!);
        yield batch;
      }
    },
  };
}
