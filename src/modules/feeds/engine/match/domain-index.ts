/**
 * Domain ownership, public-suffix aware (tldts, ICANN section of the Public Suffix List).
 *
 * A constituent's domain covers itself and every name below it: `moe.gov.tw` covers `www.moe.gov.tw`.
 * Public suffixes themselves (`gov.tw`, `com.tw`, `co.uk`) cannot be owned by a constituent — they are
 * refused when the index is built. A lookup walks from the full host name up to its registrable domain and
 * stops there, so the most specific owned name wins and nothing above the registrable domain can match.
 */
import { getDomain } from 'tldts';
import { normaliseFqdn } from '../normalise/host.js';

const TLDTS_OPTIONS = { allowPrivateDomains: false, extractHostname: false, validateHostname: false } as const;

export type DomainProblem = 'invalid' | 'public-suffix';

/** Canonical form of a domain a constituent may own, or the reason it cannot be owned. `*.` is allowed as a
 *  prefix (it means the same: the domain and its subdomains). */
export function checkOwnedDomain(input: string): { domain: string } | { problem: DomainProblem } {
  const trimmed = input.trim().replace(/^\*\./, '');
  const d = normaliseFqdn(trimmed);
  if (d === undefined) return { problem: 'invalid' };
  // A public suffix (gov.tw, com.tw, co.uk) has no registrable domain of its own.
  if (getDomain(d, TLDTS_OPTIONS) === null) return { problem: 'public-suffix' };
  return { domain: d };
}

/** The registrable domain ("eTLD+1") of a host name, or null (a public suffix, an IP, nonsense). */
export function registrableDomain(host: string): string | null {
  return getDomain(host, TLDTS_OPTIONS);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a name's characters from last to first: the hash of every suffix of a host name falls out of
 *  one right-to-left pass over it, with no substring made. */
function hashFromRight(s: string): number {
  let h = FNV_OFFSET;
  for (let i = s.length - 1; i >= 0; i--) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Owned names in an open-addressing table keyed by that hash, with the names themselves in one string: a
 * lookup hashes the host once, probes at each label boundary and compares characters only on a hash match —
 * no substring and no per-name object for the collector to trace.
 */
export class DomainIndex {
  private pending: string[] = [];
  private blob = '';
  private offsets = new Int32Array(0);
  private values = new Int32Array(0);
  /** Pairs (hash, entry + 1); 0 marks an empty slot. */
  private slots = new Uint32Array(2 * 1024);
  private mask = 1023;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds an already checked domain with its value; returns the value already there for an exact duplicate.
   *  Adding is for building: all adds come before the first lookup. */
  add(domain: string, value: number): number | undefined {
    if (this.blob !== '' || this.offsets.length > 0) throw new Error('DomainIndex: add after lookup');
    const h = hashFromRight(domain);
    let i = h & this.mask;
    for (;;) {
      const stored = this.slots[2 * i + 1]!;
      if (stored === 0) break;
      if (this.slots[2 * i] === h && this.pending[stored - 1] === domain) return this.pendingValues[stored - 1];
      i = (i + 1) & this.mask;
    }
    this.pending.push(domain);
    this.pendingValues.push(value);
    this.slots[2 * i] = h;
    this.slots[2 * i + 1] = this.pending.length;
    this.count++;
    if (this.count * 2 > this.mask + 1) this.grow();
    return undefined;
  }

  private pendingValues: number[] = [];

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.slots = new Uint32Array(2 * capacity);
    this.mask = capacity - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      let i = old[o]! & this.mask;
      while (this.slots[2 * i + 1] !== 0) i = (i + 1) & this.mask;
      this.slots[2 * i] = old[o]!;
      this.slots[2 * i + 1] = old[o + 1]!;
    }
  }

  /** Moves the names into one string (done once, before the first lookup). */
  private freeze(): void {
    const n = this.pending.length;
    this.offsets = new Int32Array(n + 1);
    let at = 0;
    for (let i = 0; i < n; i++) {
      this.offsets[i] = at;
      at += this.pending[i]!.length;
    }
    this.offsets[n] = at;
    this.blob = this.pending.join('');
    this.values = Int32Array.from(this.pendingValues);
    this.pending = [];
    this.pendingValues = [];
  }

  /** The owned name of entry i (as stored). */
  nameOf(entry: number): string {
    if (this.offsets.length === 0) this.freeze();
    return this.blob.slice(this.offsets[entry]!, this.offsets[entry + 1]!);
  }

  /** Entry whose name is host[start..], or -1. */
  private find(h: number, host: string, start: number): number {
    const slots = this.slots;
    const len = host.length - start;
    let i = h & this.mask;
    for (;;) {
      const stored = slots[2 * i + 1]!;
      if (stored === 0) return -1;
      if (slots[2 * i] === h) {
        const e = stored - 1;
        const off = this.offsets[e]!;
        if (this.offsets[e + 1]! - off === len) {
          let k = 0;
          while (k < len && this.blob.charCodeAt(off + k) === host.charCodeAt(start + k)) k++;
          if (k === len) return e;
        }
      }
      i = (i + 1) & this.mask;
    }
  }

  /**
   * The value of the most specific owned name at or above a canonical host name (lower-case ASCII), or -1.
   *
   * The public suffix list is consulted only when the best owned name is above the host itself: owned names
   * are never public suffixes (refused at build time), so the only way such a candidate can be wrong is a
   * suffix rule below it (`*.kawasaki.jp`-style wildcards), which makes the host's registrable domain deeper
   * than the candidate. Most lookups (no owner) never pay for the suffix list.
   */
  lookup(host: string): number {
    if (this.count === 0) return -1;
    if (this.offsets.length === 0) this.freeze();
    let h = FNV_OFFSET;
    let best = -1;
    let bestStart = 0;
    let dots = 0;
    for (let i = host.length - 1; i >= 0; i--) {
      const c = host.charCodeAt(i);
      // At a dot, host[i + 1..] is a whole suffix; owned names have at least two labels.
      if (c === 46 && dots++ > 0) {
        const e = this.find(h >>> 0, host, i + 1);
        if (e >= 0) {
          best = e;
          bestStart = i + 1;
        }
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    const whole = this.find(h >>> 0, host, 0);
    if (whole >= 0) return this.values[whole]!;
    if (best < 0) return -1;
    const registrable = getDomain(host, TLDTS_OPTIONS);
    return registrable !== null && host.length - bestStart >= registrable.length ? this.values[best]! : -1;
  }
}
