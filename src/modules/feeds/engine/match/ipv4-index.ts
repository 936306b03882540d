/**
 * Longest-prefix match for IPv4 as a sorted array of disjoint intervals.
 *
 * Nested prefixes are flattened at build time: the address space is cut at every prefix start and after
 * every prefix end, and each piece is labelled with the most specific prefix covering it (or -1). A lookup is
 * then "the last cut ≤ address": a binary search over a Uint32Array, narrowed first by a 65,537-entry table
 * indexed by the top 16 bits so that it touches only the cuts within the address's /16.
 */

export interface Prefix4 {
  start: number;
  end: number;
  prefix: number;
  /** What a lookup returns for addresses where this is the most specific prefix (≥ 0). */
  value: number;
}

export class Ipv4Index {
  private constructor(
    /** Interval starts, ascending; starts[0] = 0. */
    readonly starts: Uint32Array,
    /** Label of each interval, -1 for "no prefix". */
    readonly values: Int32Array,
    /** table[h] = index of the last interval starting at or before h << 16. */
    private readonly table: Uint32Array,
    /** parents[value] = value of the most specific prefix strictly containing it, or -1. */
    private readonly parents: Int32Array,
  ) {}

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
    const order = Array.from(prefixes.keys());
    // Ascending start; for equal starts the shorter (enclosing) prefix first; then input order.
    order.sort((a, b) => {
      const pa = prefixes[a]!;
      const pb = prefixes[b]!;
      return pa.start - pb.start || pa.prefix - pb.prefix || a - b;
    });
    const outStarts: number[] = [0];
    const outValues: number[] = [-1];
    const emit = (pos: number, value: number): void => {
      const last = outStarts.length - 1;
      if (outStarts[last] === pos) {
        outValues[last] = value;
        if (last > 0 && outValues[last - 1] === value) {
          outStarts.pop();
          outValues.pop();
        }
      } else if (outValues[last] !== value) {
        outStarts.push(pos);
        outValues.push(value);
      }
    };
    const stack: Prefix4[] = [];
    let maxValue = -1;
    for (const p of prefixes) if (p.value > maxValue) maxValue = p.value;
    const parents = new Int32Array(maxValue + 1).fill(-1);
    const close = (): void => {
      const top = stack.pop()!;
      if (top.end < 0xffffffff) emit(top.end + 1, stack.length > 0 ? stack[stack.length - 1]!.value : -1);
    };
    let prev: Prefix4 | undefined;
    for (const i of order) {
      const p = prefixes[i]!;
      if (prev !== undefined && prev.start === p.start && prev.prefix === p.prefix) continue;
      prev = p;
      while (stack.length > 0 && stack[stack.length - 1]!.end < p.start) close();
      if (stack.length > 0) parents[p.value] = stack[stack.length - 1]!.value;
      emit(p.start, p.value);
      stack.push(p);
    }
    while (stack.length > 0) close();

    const n = outStarts.length;
    const starts = Uint32Array.from(outStarts);
    const values = Int32Array.from(outValues);
    const table = new Uint32Array(65537);
    let j = 0;
    for (let h = 0; h <= 65536; h++) {
      const key = h * 65536;
      while (j + 1 < n && starts[j + 1]! <= key) j++;
      table[h] = j;
    }
    table[65536] = n - 1;
    return new Ipv4Index(starts, values, table, parents);
  }

  /** The value of the most specific prefix containing `ip` (an unsigned 32-bit number), or -1. */
  lookup(ip: number): number {
    const starts = this.starts;
    const h = ip >>> 16;
    let lo = this.table[h]!;
    let hi = this.table[h + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= ip) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo]!;
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
