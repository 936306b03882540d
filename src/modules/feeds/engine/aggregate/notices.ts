/**
 * Notice drafts: matched events grouped per constituent and notice topic (see catalogue.ts), each with the
 * bilingual explanation and a CSV of the affected hosts. Which contacts receive a draft, when (immediately
 * or in a digest) and through which sector CERT is the notification layer's business, not the engine's.
 *
 * The aggregator keeps, per affected host, only the values of the notice's columns (taken from the event
 * when it is first seen) and the live sighting counters — not the event.
 */
import type { FeedEvent, JsonValue } from '../event.js';
import { EVENT_FIELDS, isEventField } from '../event.js';
import type { ConstituentMatch } from '../match/matcher.js';
import { SightingState, type Deduplicator } from '../dedup/dedup.js';
import { f64, i32, TextArena } from '../dedup/columns.js';
import type { Bilingual, NoticeColumn, NoticeTopic } from './catalogue.js';
import { NOTICE_TOPICS, topicFor } from './catalogue.js';
import { toIso } from '../normalise/time.js';

/** One affected host (or URL, or network) of a notice. */
export interface NoticeHost {
  /** Key of the deduplicated event (links the notice to stored events). */
  readonly key: string;
  readonly count: number;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Text of the draft's field columns (those of `NoticeDraft.columns` whose `from` is a field), joined by
   *  U+001F; see noticeTable for a friendlier form. */
  readonly row: string;
}

export interface NoticeDraft {
  /** Stable identity of the draft within an import: `${constituentId}/${topic}`. */
  readonly id: string;
  readonly constituentId: string;
  readonly topic: string;
  readonly title: Bilingual;
  readonly risk: Bilingual;
  readonly fix: Bilingual;
  readonly columns: readonly NoticeColumn[];
  /** Classification types and identifiers present, sorted. */
  readonly types: string[];
  readonly identifiers: string[];
  /** Affected hosts in order of first sighting (made when first read: `{ ...draft }` does not carry them). */
  readonly hosts: readonly NoticeHost[];
  /** How many hosts, without making them. */
  readonly hostCount: number;
  /** Bit i set: field column i has a value for some host (empty columns are left out of the CSV). */
  readonly filledColumns: number;
  /** Total sightings. */
  readonly sightings: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** A field column resolved once: an event field, or a key inside `extra`. */
interface FieldRef {
  name: string;
  inExtra: boolean;
  /** Free text that may contain anything, the separator included (extra, region, city…). Normalised fields
   *  (addresses, names, URLs, numbers, times) cannot: URLs with control characters are refused. */
  freeText: boolean;
}

const SAFE_KINDS = new Set(['ip', 'network', 'port', 'asn', 'fqdn', 'url', 'cc', 'time', 'taxonomy', 'type']);


/** A topic with its row builder compiled once. */
interface CompiledTopic {
  topic: NoticeTopic;
  /** The row text of an event; sets filledOut[0] to the bit set of non-empty cells. */
  row: (e: FeedEvent) => string;
}

const filledOut = new Int32Array(1);

/**
 * One function per topic reading exactly its columns with literal property names: events of an import share
 * one shape, so these reads stay monomorphic (a generic loop over field names would make every read a slow
 * megamorphic lookup). Names come from the catalogue and are embedded as JSON string literals.
 */
function compileRow(fields: readonly FieldRef[]): (e: FeedEvent) => string {
  const cells: string[] = [];
  const body: string[] = ['let v; let f = 0; const x = e.extra;'];
  fields.forEach((field, i) => {
    const read = field.inExtra ? `(x === undefined ? undefined : x[${JSON.stringify(field.name)}])` : `e[${JSON.stringify(field.name)}]`;
    body.push(`const c${i} = ${field.freeText ? 'cellText' : 'plainText'}(${read});`, `if (c${i} !== "") f |= ${1 << i};`);
    cells.push(`c${i}`);
  });
  body.push('out[0] = f;', `return [${cells.join(', ')}].join(SEP);`);
  const factory = new Function('cellText', 'plainText', 'out', 'SEP', `"use strict"; return function row(e) { ${body.join('\n')} };`) as (
    ...args: unknown[]
  ) => (e: FeedEvent) => string;
  return factory(cellText, plainText, filledOut, SEP);
}

const compiled = new Map<string, CompiledTopic>();
function compile(topic: NoticeTopic): CompiledTopic {
  let c = compiled.get(topic.id);
  if (c === undefined) {
    const fields: FieldRef[] = [];
    for (const col of topic.columns) {
      if (!('field' in col.from)) continue;
      const f = col.from.field;
      if (f.startsWith('extra.')) fields.push({ name: f.slice(6), inExtra: true, freeText: true });
      else {
        const kind = isEventField(f) ? EVENT_FIELDS[f] : 'string';
        fields.push({ name: f, inExtra: false, freeText: !SAFE_KINDS.has(kind) });
      }
    }
    c = { topic, row: compileRow(fields) };
    compiled.set(topic.id, c);
  }
  return c;
}

const SEP = '\u001f';

function plainText(v: JsonValue | undefined): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : String(v);
}

/** A value as row text: numbers and text as they are, lists and objects as JSON; the separator is replaced. */
function cellText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.indexOf(SEP) >= 0 ? s.replaceAll(SEP, ' ') : s;
}

const TOPIC_INDEX = new Map<string, number>(NOTICE_TOPICS.map((t, i) => [t.id, i]));

/** A host of a draft: the event's live counters and its row text, kept in the aggregator's arena. (One
 *  flat class, cheap to make: an import can have a million of them.) */
class HostView extends SightingState implements NoticeHost {
  constructor(
    dedup: Deduplicator,
    index: number,
    private readonly arena: TextArena,
    private readonly rowAddress: number,
    private readonly rowLength: number,
  ) {
    super(dedup, index);
  }

  get row(): string {
    return this.arena.text(this.rowAddress, this.rowLength);
  }
}

/** Where a draft's hosts are, to make them when first asked for. */
interface HostSource {
  dedup: Deduplicator;
  arena: TextArena;
  order: Int32Array;
  from: number;
  to: number;
  positions: Int32Array;
  offsets: Float64Array;
  lengths: Int32Array;
}

/**
 * A notice draft. All fields are plain own properties except `hosts`, made when first read (an import can
 * have 100,000 drafts; one nobody will receive never needs its hosts). So `{ ...draft }` does not carry the
 * hosts: name them, as in `{ ...draft, hosts: draft.hosts.filter(…) }`.
 */
class Draft implements NoticeDraft {
  readonly id: string;
  readonly topic: string;
  readonly title: Bilingual;
  readonly risk: Bilingual;
  readonly fix: Bilingual;
  readonly columns: readonly NoticeColumn[];
  readonly hostCount: number;

  constructor(
    readonly constituentId: string,
    topic: NoticeTopic,
    readonly types: string[],
    readonly identifiers: string[],
    readonly filledColumns: number,
    readonly sightings: number,
    readonly firstSeen: string,
    readonly lastSeen: string,
    private readonly source: HostSource,
  ) {
    this.id = `${constituentId}/${topic.id}`;
    this.topic = topic.id;
    this.title = topic.title;
    this.risk = topic.risk;
    this.fix = topic.fix;
    this.columns = topic.columns;
    this.hostCount = source.to - source.from;
  }

  private made: HostView[] | undefined;

  get hosts(): HostView[] {
    if (this.made === undefined) {
      const s = this.source;
      const hosts = new Array<HostView>(s.to - s.from);
      for (let k = s.from; k < s.to; k++) {
        const i = s.order[k]!;
        hosts[k - s.from] = new HostView(s.dedup, s.positions[i]!, s.arena, s.offsets[i]!, s.lengths[i]!);
      }
      this.made = hosts;
    }
    return this.made;
  }

  /** Plain data (for JSON and logs): the draft without its hosts, and its hosts' keys. */
  toJSON(): object {
    const { source: _source, made: _made, ...plain } = this;
    return { ...plain, hosts: this.hosts.map((h) => h.key) };
  }
}

/**
 * Groups are found through a flat table indexed by (constituent, topic); hosts are appended to sequential
 * typed-array columns (event position, group, classification, row offset and length) and bucketed per group
 * only when drafts are asked for. Matched events arrive in random constituent order: touching a per-group
 * object for each would cost cache misses, and keeping an object per host would cost the garbage collector.
 * Row text goes to one UTF-8 arena.
 */
export class NoticeAggregator {
  /** Per topic: for constituent c, [2c] its group (-1 when none yet) and [2c + 1] the group's filled-column
   *  bits. Topic-major, so that an import of one kind of issue touches one compact table (100,000
   *  constituents: 800 KB) rather than one spread over all topics; the bits beside the group, so that adding
   *  a host reads one cache line, not two. */
  private readonly slots: Int32Array[] = NOTICE_TOPICS.map(() => new Int32Array(0));
  private readonly groupConstituentId: string[] = [];
  private readonly groupTopic: NoticeTopic[] = [];
  /** Where each group's filled-column bits are: its topic table and index there. */
  private readonly groupTopicIndexes = i32();
  private readonly groupSlots = i32();
  private readonly hostPositions = i32();
  private readonly hostGroups = i32();
  private readonly hostClasses = i32();
  private readonly rowOffsets = f64();
  private readonly rowLengths = i32();
  private readonly arena = new TextArena();
  /** Distinct (type, identifier) pairs seen, for the drafts' types and identifiers. */
  private readonly classes: { type: string; identifier: string | undefined }[] = [];
  /** Last classification looked up: most imports have one. */
  private lastType = '';
  private lastIdentifier: string | undefined = '';
  private lastTopic: CompiledTopic | undefined;
  private lastTopicIndex = 0;
  private lastClass = 0;

  constructor(private readonly dedup: Deduplicator) {}

  /** Adds a newly seen matched event (its position in the Deduplicator) under its notice. */
  add(position: number, e: FeedEvent, match: ConstituentMatch): void {
    const type = e['classification.type'];
    const identifier = e['classification.identifier'];
    let ct = this.lastTopic;
    if (ct === undefined || type !== this.lastType || identifier !== this.lastIdentifier) {
      ct = compile(topicFor(type, identifier));
      this.lastType = type;
      this.lastIdentifier = identifier;
      this.lastTopic = ct;
      this.lastTopicIndex = TOPIC_INDEX.get(ct.topic.id)!;
      let c = this.classes.findIndex((k) => k.type === type && k.identifier === identifier);
      if (c < 0) {
        c = this.classes.length;
        this.classes.push({ type, identifier });
      }
      this.lastClass = c;
    }
    let table = this.slots[this.lastTopicIndex]!;
    const slot = 2 * match.constituent;
    if (slot >= table.length) {
      const grown = new Int32Array(Math.max(slot + 2, table.length * 2, 2048));
      for (let k = table.length; k < grown.length; k += 2) grown[k] = -1;
      grown.set(table);
      table = grown;
      this.slots[this.lastTopicIndex] = table;
    }
    let g = table[slot]!;
    if (g < 0) {
      g = this.groupTopic.length;
      table[slot] = g;
      this.groupConstituentId.push(match.constituentId);
      this.groupTopic.push(ct.topic);
      this.groupTopicIndexes.push(this.lastTopicIndex);
      this.groupSlots.push(slot);
    }
    // The row keeps a copy of the few values a notice needs, so that nothing keeps the event alive.
    const row = ct.row(e);
    const filled = filledOut[0]!;
    table[slot + 1] = table[slot + 1]! | filled;
    this.rowOffsets.push(this.arena.append(row));
    this.rowLengths.push(row.length);
    this.hostPositions.push(position);
    this.hostGroups.push(g);
    this.hostClasses.push(this.lastClass);
  }

  get size(): number {
    return this.groupTopic.length;
  }

  private filledOf(g: number): number {
    return this.slots[this.groupTopicIndexes.array[g]!]![this.groupSlots.array[g]! + 1]!;
  }

  /** Drafts in the order the constituents were given to the matcher, then by topic. */
  drafts(): NoticeDraft[] {
    const n = this.groupTopic.length;
    const hostCount = this.hostPositions.length;
    const groups = this.hostGroups.array;
    const positions = this.hostPositions.array;
    const classes = this.hostClasses.array;
    const dedup = this.dedup;
    // Per-group totals in one sequential pass over the hosts (in order of first sighting, so the counters in
    // the Deduplicator are read in order too: random reads there are what would cost).
    const sightings = new Float64Array(n);
    const first = new Float64Array(n).fill(Infinity);
    const last = new Float64Array(n).fill(-Infinity);
    const firstClass = new Int32Array(n).fill(-1);
    let mixed: Map<number, Set<number>> | undefined;
    const counts = new Int32Array(n + 1);
    for (let i = 0; i < hostCount; i++) {
      const g = groups[i]!;
      const p = positions[i]!;
      counts[g + 1]!++;
      sightings[g]! += dedup.countOf(p);
      const f = dedup.firstSeenOf(p);
      const l = dedup.lastSeenOf(p);
      if (f < first[g]!) first[g] = f;
      if (l > last[g]!) last[g] = l;
      const c = classes[i]!;
      if (firstClass[g] === -1) firstClass[g] = c;
      else if (firstClass[g] !== c) {
        mixed ??= new Map();
        let set = mixed.get(g);
        if (set === undefined) mixed.set(g, (set = new Set([firstClass[g]!])));
        set.add(c);
      }
    }
    // Bucket the hosts per group (counting sort: keeps the order of first sighting within a group).
    for (let g = 0; g < n; g++) counts[g + 1]! += counts[g]!;
    const order = new Int32Array(hostCount);
    const next = counts.slice(0, n);
    for (let i = 0; i < hostCount; i++) order[next[groups[i]!]!++] = i;
    // Groups in (constituent, topic) order, read off the per-topic tables.
    const groupOrder: number[] = [];
    const maxSlots = Math.max(0, ...this.slots.map((t) => t.length));
    for (let c = 0; c < maxSlots; c += 2) {
      for (let t = 0; t < this.slots.length; t++) {
        const table = this.slots[t]!;
        if (c < table.length && table[c]! >= 0) groupOrder.push(table[c]!);
      }
    }
    const offsets = this.rowOffsets.array;
    const lengths = this.rowLengths.array;
    const out: NoticeDraft[] = [];
    for (const g of groupOrder) {
      const topic = this.groupTopic[g]!;
      const constituentId = this.groupConstituentId[g]!;
      const set = mixed?.get(g);
      let types: string[];
      let identifiers: string[];
      if (set === undefined) {
        const k = this.classes[firstClass[g]!]!;
        types = [k.type];
        identifiers = k.identifier === undefined ? [] : [k.identifier];
      } else {
        const cls = [...set].map((c) => this.classes[c]!);
        types = [...new Set(cls.map((k) => k.type))].sort();
        identifiers = [...new Set(cls.flatMap((k) => (k.identifier === undefined ? [] : [k.identifier])))].sort();
      }
      out.push(
        new Draft(constituentId, topic, types, identifiers, this.filledOf(g), sightings[g]!, toIso(first[g]!) ?? '', toIso(last[g]!) ?? '', {
          dedup,
          arena: this.arena,
          order,
          from: counts[g]!,
          to: counts[g + 1]!,
          positions,
          offsets,
          lengths,
        }),
      );
    }
    return out;
  }
}

/** One CSV cell: RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would run as a formula
 *  (feed data is attacker-controlled: a URL or banner starting with "=" must not execute on the recipient's
 *  machine). */
export function csvCell(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v);
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const c0 = s.charCodeAt(0);
  if (typeof v === 'string' && (c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64 || c0 === 9 || c0 === 13)) s = `'${s}`;
  let quote = c0 === 32 || s.charCodeAt(s.length - 1) === 32;
  for (let i = 0; !quote && i < s.length; i++) {
    const c = s.charCodeAt(i);
    quote = c === 34 || c === 44 || c === 10 || c === 13;
  }
  return quote ? `"${s.replace(/"/g, '""')}"` : s;
}

function sightingValue(h: NoticeHost, which: Sighting): string | number {
  switch (which) {
    case 'first_seen':
      return h.firstSeen;
    case 'last_seen':
      return h.lastSeen;
    case 'count':
      return h.count;
    case 'key':
      return h.key;
  }
}

type Sighting = 'first_seen' | 'last_seen' | 'count' | 'key';

/** The draft's table as shown to people: the columns with a value for some host, and one row of text per
 *  host (in order of first sighting). */
export function noticeTable(draft: NoticeDraft): { headers: string[]; rows: string[][] } {
  // Each column is a field (its index in the row text) or a sighting property.
  const cols: { header: string; index: number; sighting: Sighting | null }[] = [];
  let fieldIndex = 0;
  for (const c of draft.columns) {
    if ('field' in c.from) {
      const idx = fieldIndex++;
      if ((draft.filledColumns & (1 << idx)) !== 0) cols.push({ header: c.header, index: idx, sighting: null });
    } else cols.push({ header: c.header, index: -1, sighting: c.from.sighting });
  }
  const rows: string[][] = [];
  for (const h of draft.hosts) {
    const cells = h.row.split(SEP);
    rows.push(cols.map((c) => (c.sighting === null ? (cells[c.index] ?? '') : String(sightingValue(h, c.sighting)))));
  }
  return { headers: cols.map((c) => c.header), rows };
}

/** The affected-hosts CSV of a draft (header row, CRLF line ends as RFC 4180 says). Field columns that are
 *  empty for every host are left out. */
export function renderNoticeCsv(draft: NoticeDraft): string {
  const headers: string[] = [];
  // Per output column: the index of a field in the row text, or -1 - (sighting column index).
  const picks: number[] = [];
  const sightings: Sighting[] = [];
  let fieldIndex = 0;
  for (const c of draft.columns) {
    if ('field' in c.from) {
      const idx = fieldIndex++;
      if ((draft.filledColumns & (1 << idx)) === 0) continue;
      picks.push(idx);
    } else {
      picks.push(-1 - sightings.length);
      sightings.push(c.from.sighting);
    }
    headers.push(c.header);
  }
  const cells: string[] = new Array<string>(fieldIndex);
  const lines: string[] = [headers.join(',')];
  for (const h of draft.hosts) {
    // Split the row text without allocating an array per host.
    const row = h.row;
    let from = 0;
    for (let i = 0; i < fieldIndex; i++) {
      let to = row.indexOf(SEP, from);
      if (to < 0) to = row.length;
      cells[i] = row.slice(from, to);
      from = to + 1;
    }
    let line = '';
    for (let k = 0; k < picks.length; k++) {
      const p = picks[k]!;
      const v = p >= 0 ? cells[p]! : sightingValue(h, sightings[-1 - p]!);
      line += (k === 0 ? '' : ',') + (typeof v === 'number' ? String(v) : csvCell(v));
    }
    lines.push(line);
  }
  return `${lines.join('\r\n')}\r\n`;
}
