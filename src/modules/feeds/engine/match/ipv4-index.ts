/**
 * Longest-prefix match for IPv4 as a sorted array of disjoint intervals.
 *
 * Nested prefixes are flattened at build time: the address space is cut at every prefix start and after
 * every prefix end, and each piece is labelled with the most specific prefix covering it (or -1). A lookup is
 * then "the last cut ≤ address": a binary search over a Uint32Array, narrowed first by a 65,537-entry table
 * indexed by the top 16 bits so that it touches only the cuts within the address's /16.
 */
import { mask4 as mask } from '../normalise/ip.js';

export interface Prefix4 {
  start: number;
  end: number;
  prefix: number;
  /** What a lookup returns for addresses where this is the most specific prefix (≥ 0). */
  value: number;
}

export class Ipv4Index {
  /** Interval starts, labels and payloads interleaved (start, label + 1, payload): what a search ends on lies
   *  in the same cache line as the start it compared last. */
  private readonly triples: Uint32Array;
  /** Payload of the prefix the last lookup found (e.g. its owner), so callers need no second random read. */
  payload = 0;

  private constructor(
    /** Interval starts, ascending; starts[0] = 0. */
    readonly starts: Uint32Array,
    /** Label of each interval, -1 for "no prefix". */
    readonly values: Int32Array,
    /** table[h] = index of the last interval starting at or before h << 16. */
    private readonly table: Uint32Array,
    /** parents[value] = value of the most specific prefix strictly containing it, or -1. */
    private readonly parents: Int32Array,
    payloads: Int32Array | undefined,
  ) {
    this.triples = new Uint32Array(starts.length * 3);
    for (let i = 0; i < starts.length; i++) {
      const v = values[i]!;
      this.triples[3 * i] = starts[i]!;
      this.triples[3 * i + 1] = v + 1;
      this.triples[3 * i + 2] = v >= 0 && payloads !== undefined ? payloads[v]! : 0;
    }
  }

  /** The value of the most specific prefix strictly containing the prefix with this value, or -1. */
  parentOf(value: number): number {
    return value < this.parents.length ? this.parents[value]! : -1;
  }

  get intervals(): number {
    return this.starts.length;
  }

  /** Builds the index. Prefixes must nest or be disjoint (as CIDRs do); for an exact duplicate the first
   *  one given wins. */
  static build(prefixes: readonly Prefix4[]): Ipv4Index {
    const start = Uint32Array.from(prefixes, (p) => p.start);
    const len = Uint8Array.from(prefixes, (p) => p.prefix);
    const value = Int32Array.from(prefixes, (p) => p.value);
    return Ipv4Index.fromColumns(start, len, value).index;
  }

  /**
   * Builds the index from columns (no object per prefix: this runs over hundreds of thousands of netblocks).
   * Prefix i starts at start[i], is len[i] bits long and is labelled value[i]. Also returns the exact
   * duplicates that were dropped, as [dropped position, kept position] pairs.
   */
  static fromColumns(
    start: Uint32Array,
    len: Uint8Array,
    value: Int32Array,
    /** Optional payload per value, returned by lookups in `payload`. */
    payloads?: Int32Array,
  ): { index: Ipv4Index; duplicates: [number, number][] } {
    const n = start.length;
    const order: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Ascending start; for equal starts the shorter (enclosing) prefix first; then input order.
    order.sort((a, b) => start[a]! - start[b]! || len[a]! - len[b]! || a - b);
    const endOf = (i: number): number => (start[i]! | ~mask(len[i]!)) >>> 0;

    const outStarts: number[] = [0];
    const outValues: number[] = [-1];
    const emit = (pos: number, v: number): void => {
      const last = outStarts.length - 1;
      if (outStarts[last] === pos) {
        outValues[last] = v;
        if (last > 0 && outValues[last - 1] === v) {
          outStarts.pop();
          outValues.pop();
        }
      } else if (outValues[last] !== v) {
        outStarts.push(pos);
        outValues.push(v);
      }
    };
    let maxValue = -1;
    for (let i = 0; i < n; i++) if (value[i]! > maxValue) maxValue = value[i]!;
    const parents = new Int32Array(maxValue + 1).fill(-1);
    // Nesting is at most 33 deep (/0 … /32): a small fixed stack of positions.
    const stack = new Int32Array(34);
    let depth = 0;
    const close = (): void => {
      const top = stack[--depth]!;
      const end = endOf(top);
      if (end < 0xffffffff) emit(end + 1, depth > 0 ? value[stack[depth - 1]!]! : -1);
    };
    const duplicates: [number, number][] = [];
    let prev = -1;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (prev >= 0 && start[prev] === start[i] && len[prev] === len[i]) {
        duplicates.push([i, prev]);
        continue;
      }
      prev = i;
      while (depth > 0 && endOf(stack[depth - 1]!) < start[i]!) close();
      if (depth > 0) parents[value[i]!] = value[stack[depth - 1]!]!;
      emit(start[i]!, value[i]!);
      stack[depth++] = i;
    }
    while (depth > 0) close();

    const m = outStarts.length;
    const starts = Uint32Array.from(outStarts);
    const values = Int32Array.from(outValues);
    const table = new Uint32Array(65537);
    let j = 0;
    for (let h = 0; h <= 65536; h++) {
      const key = h * 65536;
      while (j + 1 < m && starts[j + 1]! <= key) j++;
      table[h] = j;
    }
    table[65536] = m - 1;
    return { index: new Ipv4Index(starts, values, table, parents, payloads), duplicates };
  }

  /** The value of the most specific prefix containing `ip` (an unsigned 32-bit number), or -1. */
  lookup(ip: number): number {
    const t = this.triples;
    const h = ip >>> 16;
    let lo = this.table[h]!;
    let hi = this.table[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (t[3 * mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    this.payload = t[3 * lo + 2]!;
    return t[3 * lo + 1]! - 1;
  }

  /** Distinct values of the intervals overlapping [start, end], in address order. */
  valuesIn(start: number, end: number, limit: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < starts.length && starts[i]! <= end && out.length < limit; i++) {
      const v = this.values[i]!;
      if (v >= 0 && !seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    }
    return out;
  }
}
