/**
 * Longest-prefix match for IPv6: the same flattened-interval scheme as Ipv4Index, with 128-bit interval
 * starts stored as four 32-bit words each (no BigInt), and a first-level table on the top 16 bits.
 */
import { compareWords } from '../normalise/ip.js';

export interface Prefix6 {
  start: Uint32Array;
  end: Uint32Array;
  prefix: number;
  value: number;
}

function isMax(w: Uint32Array): boolean {
  return w[0] === 0xffffffff && w[1] === 0xffffffff && w[2] === 0xffffffff && w[3] === 0xffffffff;
}

function plusOne(w: Uint32Array): Uint32Array {
  const out = Uint32Array.from(w);
  for (let k = 3; k >= 0; k--) {
    out[k] = (out[k]! + 1) >>> 0;
    if (out[k] !== 0) break;
  }
  return out;
}

const ZERO = new Uint32Array(4);

export class Ipv6Index {
  private constructor(
    /** Interval starts, four words each, ascending; the first is ::. */
    readonly bounds: Uint32Array,
    readonly values: Int32Array,
    private readonly table: Uint32Array,
    /** parents[value] = value of the most specific prefix strictly containing it, or -1. */
    private readonly parents: Int32Array,
  ) {}

  /** The value of the most specific prefix strictly containing the prefix with this value, or -1. */
  parentOf(value: number): number {
    return value < this.parents.length ? this.parents[value]! : -1;
  }

  get intervals(): number {
    return this.values.length;
  }

  static build(prefixes: readonly Prefix6[]): Ipv6Index {
    return Ipv6Index.buildWithDuplicates(prefixes).index;
  }

  /** As build, also returning the exact duplicates dropped, as [dropped value, kept value] pairs. */
  static buildWithDuplicates(prefixes: readonly Prefix6[]): { index: Ipv6Index; duplicates: [number, number][] } {
    const order = Array.from(prefixes.keys());
    order.sort((a, b) => {
      const pa = prefixes[a]!;
      const pb = prefixes[b]!;
      return compareWords(pa.start, 0, pb.start, 0) || pa.prefix - pb.prefix || a - b;
    });
    const outStarts: Uint32Array[] = [ZERO];
    const outValues: number[] = [-1];
    const emit = (pos: Uint32Array, value: number): void => {
      const last = outStarts.length - 1;
      if (compareWords(outStarts[last]!, 0, pos, 0) === 0) {
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
    const stack: Prefix6[] = [];
    let maxValue = -1;
    for (const p of prefixes) if (p.value > maxValue) maxValue = p.value;
    const parents = new Int32Array(maxValue + 1).fill(-1);
    const close = (): void => {
      const top = stack.pop()!;
      if (!isMax(top.end)) emit(plusOne(top.end), stack.length > 0 ? stack[stack.length - 1]!.value : -1);
    };
    const duplicates: [number, number][] = [];
    let prev: Prefix6 | undefined;
    for (const i of order) {
      const p = prefixes[i]!;
      if (prev !== undefined && prev.prefix === p.prefix && compareWords(prev.start, 0, p.start, 0) === 0) {
        duplicates.push([p.value, prev.value]);
        continue;
      }
      prev = p;
      while (stack.length > 0 && compareWords(stack[stack.length - 1]!.end, 0, p.start, 0) < 0) close();
      if (stack.length > 0) parents[p.value] = stack[stack.length - 1]!.value;
      emit(p.start, p.value);
      stack.push(p);
    }
    while (stack.length > 0) close();

    const n = outStarts.length;
    const bounds = new Uint32Array(n * 4);
    outStarts.forEach((w, i) => bounds.set(w, i * 4));
    const values = Int32Array.from(outValues);
    // table[h]: last interval starting at or before h:0000::.
    const table = new Uint32Array(65537);
    let j = 0;
    for (let h = 0; h <= 65536; h++) {
      const w0 = h * 65536;
      while (j + 1 < n && bounds[(j + 1) * 4]! <= w0 && (bounds[(j + 1) * 4]! < w0 || isZeroTail(bounds, j + 1))) j++;
      table[h] = j;
    }
    table[65536] = n - 1;
    return { index: new Ipv6Index(bounds, values, table, parents), duplicates };
  }

  /** The value of the most specific prefix containing the address with words w0..w3, or -1. */
  lookup(w0: number, w1: number, w2: number, w3: number): number {
    const b = this.bounds;
    let lo = this.table[w0 >>> 16]!;
    let hi = this.table[(w0 >>> 16) + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const o = mid * 4;
      // starts[mid] <= address ?
      let le: boolean;
      if (b[o] !== w0) le = b[o]! < w0;
      else if (b[o + 1] !== w1) le = b[o + 1]! < w1;
      else if (b[o + 2] !== w2) le = b[o + 2]! < w2;
      else le = b[o + 3]! <= w3;
      if (le) lo = mid;
      else hi = mid - 1;
    }
    return this.values[lo]!;
  }

  /** Distinct values of the intervals overlapping [start, end], in address order. */
  valuesIn(start: Uint32Array, end: Uint32Array, limit: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    const b = this.bounds;
    const n = this.values.length;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (compareWords(b, mid * 4, start, 0) <= 0) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < n && compareWords(b, i * 4, end, 0) <= 0 && out.length < limit; i++) {
      const v = this.values[i]!;
      if (v >= 0 && !seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    }
    return out;
  }
}

function isZeroTail(b: Uint32Array, i: number): boolean {
  return b[i * 4 + 1] === 0 && b[i * 4 + 2] === 0 && b[i * 4 + 3] === 0;
}
