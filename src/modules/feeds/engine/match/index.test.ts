import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mask4 } from '../normalise/ip.js';
import { Ipv4Index } from './ipv4-index.js';
import type { Prefix4 } from './ipv4-index.js';
import { Ipv6Index } from './ipv6-index.js';
import type { Prefix6 } from './ipv6-index.js';

/** The obvious (slow) longest-prefix match: the oracle. For equal prefixes the first one given wins. */
function bruteForce4(prefixes: readonly Prefix4[], ip: number): number {
  let best = -1;
  let bestLen = -1;
  for (const p of prefixes) {
    if (ip >= p.start && ip <= p.end && p.prefix > bestLen) {
      best = p.value;
      bestLen = p.prefix;
    }
  }
  return best;
}

function prefix4(start: number, len: number, value: number): Prefix4 {
  const m = mask4(len);
  const s = (start & m) >>> 0;
  return { start: s, end: (s | ~m) >>> 0, prefix: len, value };
}

describe('Ipv4Index', () => {
  it('finds the most specific of nested prefixes', () => {
    const ps = [prefix4(0x0a000000, 8, 0), prefix4(0x0a010000, 16, 1), prefix4(0x0a010200, 24, 2), prefix4(0x0a010280, 25, 3)];
    const idx = Ipv4Index.build(ps);
    expect(idx.lookup(0x0a7f0000)).toBe(0);
    expect(idx.lookup(0x0a01ff00)).toBe(1);
    expect(idx.lookup(0x0a010201)).toBe(2);
    expect(idx.lookup(0x0a0102ff)).toBe(3);
    expect(idx.lookup(0x0b000000)).toBe(-1);
    expect(idx.lookup(0x09ffffff)).toBe(-1);
  });

  it('handles the ends of the address space and the default route', () => {
    const idx = Ipv4Index.build([prefix4(0, 0, 7), prefix4(0xffffff00, 24, 8), prefix4(0, 8, 9)]);
    expect(idx.lookup(0)).toBe(9);
    expect(idx.lookup(0xffffffff)).toBe(8);
    expect(idx.lookup(0x80000000)).toBe(7);
  });

  it('agrees with a brute-force search (property)', () => {
    // Prefixes drawn from a small region so that they nest and collide often.
    const p = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 16, max: 32 }));
    fc.assert(
      fc.property(fc.array(p, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 50 }), (raw, probes) => {
        const prefixes = raw.map(([low, len], i) => prefix4((0xc0a80000 | low) >>> 0, len, i));
        const idx = Ipv4Index.build(prefixes);
        for (const low of [...probes, 0, 0xffff]) {
          const ip = (0xc0a80000 | low) >>> 0;
          expect(idx.lookup(ip)).toBe(bruteForce4(prefixes, ip));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('lists the prefixes inside a range', () => {
    const idx = Ipv4Index.build([prefix4(0x0a000000, 24, 0), prefix4(0x0a000100, 24, 1), prefix4(0x0b000000, 24, 2)]);
    expect(idx.valuesIn(0x0a000000, 0x0a00ffff, 10)).toEqual([0, 1]);
  });
});

function words(hi: number, rest: [number, number, number] = [0, 0, 0]): Uint32Array {
  return Uint32Array.from([hi >>> 0, ...rest]);
}

function prefix6(w: Uint32Array, len: number, value: number): Prefix6 {
  const start = new Uint32Array(4);
  const end = new Uint32Array(4);
  for (let k = 0; k < 4; k++) {
    const m = mask4(Math.min(32, Math.max(0, len - 32 * k)));
    start[k] = (w[k]! & m) >>> 0;
    end[k] = (start[k]! | ~m) >>> 0;
  }
  return { start, end, prefix: len, value };
}

function cmp(a: Uint32Array, b: Uint32Array): number {
  for (let k = 0; k < 4; k++) if (a[k] !== b[k]) return a[k]! < b[k]! ? -1 : 1;
  return 0;
}

function bruteForce6(prefixes: readonly Prefix6[], a: Uint32Array): number {
  let best = -1;
  let bestLen = -1;
  for (const p of prefixes) {
    if (cmp(p.start, a) <= 0 && cmp(a, p.end) <= 0 && p.prefix > bestLen) {
      best = p.value;
      bestLen = p.prefix;
    }
  }
  return best;
}

describe('Ipv6Index', () => {
  it('finds the most specific of nested prefixes across word boundaries', () => {
    const base = words(0x20010db8);
    const ps = [prefix6(base, 32, 0), prefix6(words(0x20010db8, [0x00010000, 0, 0]), 48, 1), prefix6(words(0x20010db8, [0x00010002, 0, 0]), 64, 2), prefix6(words(0x20010db8, [0x00010002, 0x80000000, 0]), 65, 3)];
    const idx = Ipv6Index.build(ps);
    const look = (w: Uint32Array) => idx.lookup(w[0]!, w[1]!, w[2]!, w[3]!);
    expect(look(words(0x20010db8, [0xffff0000, 0, 1]))).toBe(0);
    expect(look(words(0x20010db8, [0x0001ffff, 0, 1]))).toBe(1);
    expect(look(words(0x20010db8, [0x00010002, 0x7fffffff, 0xffffffff]))).toBe(2);
    expect(look(words(0x20010db8, [0x00010002, 0x80000000, 5]))).toBe(3);
    expect(look(words(0x20010db9))).toBe(-1);
    expect(look(words(0xffffffff, [0xffffffff, 0xffffffff, 0xffffffff]))).toBe(-1);
  });

  it('agrees with a brute-force search (property)', () => {
    const w = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    const toWords = ([a, b, c, d]: [number, number, number, number]) => Uint32Array.from([0x20010db8 + a, b, c, d]);
    fc.assert(
      fc.property(fc.array(fc.tuple(w, fc.integer({ min: 30, max: 128 })), { maxLength: 30 }), fc.array(w, { minLength: 1, maxLength: 30 }), (raw, probes) => {
        const prefixes = raw.map(([ws, len], i) => prefix6(toWords(ws), len, i));
        const idx = Ipv6Index.build(prefixes);
        // Probe random addresses and the edges of every prefix.
        const addrs = [...probes.map(toWords), ...prefixes.flatMap((p) => [p.start, p.end])];
        for (const a of addrs) expect(idx.lookup(a[0]!, a[1]!, a[2]!, a[3]!)).toBe(bruteForce6(prefixes, a));
      }),
      { numRuns: 200 },
    );
  });
});
