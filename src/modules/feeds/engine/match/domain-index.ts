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

export class DomainIndex {
  private readonly map = new Map<string, number>();

  get size(): number {
    return this.map.size;
  }

  /** Adds an already checked domain; returns the value already there for an exact duplicate. */
  add(domain: string, value: number): number | undefined {
    const existing = this.map.get(domain);
    if (existing !== undefined) return existing;
    this.map.set(domain, value);
    return undefined;
  }

  /**
   * The value of the most specific owned name at or above a canonical host name (lower-case ASCII), or -1.
   *
   * Walks up the labels with one map lookup each and consults the public suffix list only when an owned name
   * is found above the host itself: owned names are never public suffixes (refused at build time), so the
   * only way such a candidate can be wrong is a suffix rule below it (`*.kawasaki.jp`-style wildcards), which
   * makes the host's registrable domain deeper than the candidate. Most lookups (no owner) never pay for the
   * suffix list.
   */
  lookup(host: string): number {
    const map = this.map;
    if (map.size === 0) return -1;
    let s = host;
    for (;;) {
      const v = map.get(s);
      if (v !== undefined) {
        if (s === host) return v;
        const registrable = getDomain(host, TLDTS_OPTIONS);
        return registrable !== null && s.length >= registrable.length ? v : -1;
      }
      const dot = s.indexOf('.');
      if (dot < 0) return -1;
      s = s.slice(dot + 1);
    }
  }
}
