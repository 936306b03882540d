/**
 * Who owns an event: source IP by the most specific netblock (IPv4 and IPv6), else the source ASN, else the
 * registrable domain of source.fqdn / the host of source.url (including subdomains of an owned domain).
 *
 * The matcher is built once from the constituents' scopes and is immutable; match results are allocated at
 * build time (one per netblock, ASN and domain), so matching allocates nothing.
 */
import type { FeedEvent } from '../event.js';
import { convertAsn } from '../normalise/convert.js';
import { hostOfCanonicalUrl } from '../normalise/host.js';
import type { Cidr } from '../normalise/ip.js';
import { compareWords, formatCidr, mask4, newWords, parseCidr, parseCidr4Packed, parseIPv4, parseIPv6 } from '../normalise/ip.js';
import { checkOwnedDomain, DomainIndex } from './domain-index.js';
import { Ipv4Index } from './ipv4-index.js';
import { Ipv6Index } from './ipv6-index.js';
import type { Prefix6 } from './ipv6-index.js';

/** What the matcher needs to know about a constituent. */
export interface ConstituentScope {
  id: string;
  /** CIDRs (`192.0.2.0/24`, `2001:db8::/32`) or single addresses. */
  netblocks?: readonly string[];
  /** Numbers or `AS123`. */
  asns?: readonly (number | string)[];
  /** Registrable domains or subdomains; each covers its subdomains. */
  domains?: readonly string[];
}

export type MatchedBy = 'ip' | 'asn' | 'domain' | 'network';

export interface ConstituentMatch {
  constituentId: string;
  /** Position of the constituent in the scopes the matcher was built from (dense: use it to index arrays). */
  constituent: number;
  by: MatchedBy;
  /** The netblock (canonical CIDR), `AS<n>` or owned domain that matched. */
  on: string;
}

export type ScopeProblemKind =
  | 'invalid-netblock'
  | 'host-bits-set'
  | 'duplicate-netblock'
  | 'invalid-asn'
  | 'duplicate-asn'
  | 'invalid-domain'
  | 'public-suffix'
  | 'duplicate-domain';

/** A scope entry that was refused or adjusted; the constituents module shows these to the operator. */
export interface ScopeProblem {
  constituentId: string;
  kind: ScopeProblemKind;
  value: string;
  /** For duplicates: the constituent that keeps the entry (the first one given). */
  ownerId?: string;
}

export interface MatcherStats {
  constituents: number;
  ipv4Netblocks: number;
  ipv6Netblocks: number;
  ipv4Intervals: number;
  ipv6Intervals: number;
  asns: number;
  domains: number;
}

const NETWORK_FANOUT_LIMIT = 10_000;

/**
 * Netblocks of one address family in flat typed arrays (no object per netblock: the matcher stays small for
 * the garbage collector), with match results created on first use.
 */
class NetblockTable {
  readonly prefix: Uint8Array;
  /** Start and end words: 1 each for IPv4, 4 each for IPv6. */
  readonly start: Uint32Array;
  readonly end: Uint32Array;

  constructor(
    readonly version: 4 | 6,
    start: Uint32Array,
    prefix: Uint8Array,
    readonly owner: Int32Array,
    private readonly ids: readonly string[],
    end?: Uint32Array,
  ) {
    const n = prefix.length;
    this.start = start;
    this.prefix = prefix;
    if (end !== undefined) this.end = end;
    else {
      this.end = new Uint32Array(n);
      for (let i = 0; i < n; i++) this.end[i] = (start[i]! | ~mask4(prefix[i]!)) >>> 0;
    }
  }

  static fromCidrs(cidrs: readonly Cidr[], owners: readonly number[], ids: readonly string[]): NetblockTable {
    const n = cidrs.length;
    const start = new Uint32Array(n * 4);
    const end = new Uint32Array(n * 4);
    const prefix = new Uint8Array(n);
    cidrs.forEach((c, i) => {
      prefix[i] = c.prefix;
      if (c.version === 6) {
        start.set(c.start, i * 4);
        end.set(c.end, i * 4);
      }
    });
    return new NetblockTable(6, start, prefix, Int32Array.from(owners), ids, end);
  }

  cidr(i: number): Cidr {
    if (this.version === 4) {
      return { version: 4, start: this.start[i]!, end: this.end[i]!, prefix: this.prefix[i]!, hostBitsSet: false };
    }
    return {
      version: 6,
      start: this.start.slice(i * 4, i * 4 + 4),
      end: this.end.slice(i * 4, i * 4 + 4),
      prefix: this.prefix[i]!,
      hostBitsSet: false,
    };
  }

  idOf(constituent: number): string {
    return this.ids[constituent]!;
  }

  ipResult(i: number): ConstituentMatch {
    return new NetblockMatch(this, i, this.owner[i]!, 'ip');
  }

  networkResult(i: number): ConstituentMatch {
    return new NetblockMatch(this, i, this.owner[i]!, 'network');
  }
}

/**
 * A netblock match made on demand: the constituent's position comes with the lookup; its id and the
 * netblock's text are read only if asked for (the pipeline usually needs neither per event).
 */
class NetblockMatch implements ConstituentMatch {
  constructor(
    private readonly table: NetblockTable,
    private readonly netblock: number,
    readonly constituent: number,
    readonly by: 'ip' | 'network',
  ) {}

  get constituentId(): string {
    return this.table.idOf(this.constituent);
  }

  get on(): string {
    return formatCidr(this.table.cidr(this.netblock));
  }

  toJSON(): ConstituentMatch {
    return { constituentId: this.constituentId, constituent: this.constituent, by: this.by, on: this.on };
  }
}

export class ConstituentMatcher {
  private readonly w = newWords();
  private readonly domainResults: (ConstituentMatch | undefined)[];

  /** @internal use buildConstituentMatcher */
  constructor(
    private readonly v4: Ipv4Index,
    private readonly v6: Ipv6Index,
    private readonly nb4: NetblockTable,
    private readonly nb6: NetblockTable,
    private readonly asnResults: ReadonlyMap<number, ConstituentMatch>,
    private readonly domains: DomainIndex,
    private readonly domainOwners: Int32Array,
    private readonly ids: readonly string[],
    readonly stats: MatcherStats,
  ) {
    this.domainResults = new Array<ConstituentMatch | undefined>(domainOwners.length);
  }

  /** The owner of an event, or null. Network events (source.network without source.ip) match the most
   *  specific netblock containing the whole network, or else the first netblock inside it; matchNetwork
   *  gives all owners of a network. */
  match(event: FeedEvent): ConstituentMatch | null {
    const ip = event['source.ip'];
    if (ip !== undefined) {
      const r = this.matchIp(ip);
      if (r !== null) return r;
    } else {
      const net = event['source.network'];
      if (net !== undefined) {
        const all = this.matchNetwork(net, 1);
        if (all.length > 0) return all[0]!;
      }
    }
    const asn = event['source.asn'];
    if (asn !== undefined) {
      const r = this.asnResults.get(asn);
      if (r !== undefined) return r;
    }
    const fqdn = event['source.fqdn'];
    if (fqdn !== undefined) {
      const r = this.matchDomain(fqdn);
      if (r !== null) return r;
    }
    const url = event['source.url'];
    // The URL's host, unless it is the FQDN already tried (the usual case: then no need to cut it out).
    if (url !== undefined && (fqdn === undefined || !hostIs(url, fqdn))) {
      const host = hostOfCanonicalUrl(url);
      if (host !== fqdn) return this.matchDomain(host);
    }
    return null;
  }

  /** Owner of a canonical IPv4/IPv6 address by most specific netblock. */
  matchIp(ip: string): ConstituentMatch | null {
    if (ip.indexOf(':') < 0) {
      const n = parseIPv4(ip);
      if (n < 0) return null;
      const v = this.v4.lookup(n);
      return v < 0 ? null : new NetblockMatch(this.nb4, v, this.v4.payload, 'ip');
    }
    const w = this.w;
    if (!parseIPv6(ip, w)) return null;
    if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) {
      const v = this.v4.lookup(w[3]!);
      return v < 0 ? null : this.nb4.ipResult(v);
    }
    const v = this.v6.lookup(w[0]!, w[1]!, w[2]!, w[3]!);
    return v < 0 ? null : this.nb6.ipResult(v);
  }

  /** Netblock index for an IPv4 address as a number (-1: none): the raw speed path, for benchmarks. */
  lookupIPv4(ip: number): number {
    return this.v4.lookup(ip);
  }

  /** Netblock index for an IPv6 address as four words (-1: none). */
  lookupIPv6(w0: number, w1: number, w2: number, w3: number): number {
    return this.v6.lookup(w0, w1, w2, w3);
  }

  matchAsn(asn: number | string): ConstituentMatch | null {
    const n = typeof asn === 'number' ? asn : convertAsn(asn);
    if (typeof n !== 'number') return null;
    return this.asnResults.get(n) ?? null;
  }

  /** Owner of a canonical host name through the most specific owned domain at or above it. */
  matchDomain(host: string): ConstituentMatch | null {
    const v = this.domains.lookup(host);
    if (v < 0) return null;
    let r = this.domainResults[v];
    if (r === undefined) {
      r = { constituentId: this.ids[this.domainOwners[v]!]!, constituent: this.domainOwners[v]!, by: 'domain', on: this.domains.nameOf(v) };
      this.domainResults[v] = r;
    }
    return r;
  }

  /** Every constituent a listed network touches: first the one holding the most specific netblock that
   *  contains the whole network, then those holding netblocks inside it (by address), each once. */
  matchNetwork(network: string, limit = NETWORK_FANOUT_LIMIT): ConstituentMatch[] {
    const c = parseCidr(network);
    if (c === undefined) return [];
    const out: ConstituentMatch[] = [];
    const seen = new Set<string>();
    const add = (r: ConstituentMatch): void => {
      if (out.length < limit && !seen.has(r.constituentId)) {
        seen.add(r.constituentId);
        out.push(r);
      }
    };
    const table = c.version === 4 ? this.nb4 : this.nb6;
    const index = c.version === 4 ? this.v4 : this.v6;
    let container: number;
    let candidates: number[];
    if (c.version === 4) {
      container = this.v4.lookup(c.start);
      candidates = this.v4.valuesIn(c.start, c.end, NETWORK_FANOUT_LIMIT);
    } else {
      const s = c.start;
      container = this.v6.lookup(s[0]!, s[1]!, s[2]!, s[3]!);
      candidates = this.v6.valuesIn(c.start, c.end, NETWORK_FANOUT_LIMIT);
    }
    // The netblock at the network's first address may be smaller than the network: climb to the first
    // enclosing one that holds it all.
    while (container >= 0 && !contains(table.cidr(container), c)) container = index.parentOf(container);
    if (container >= 0) add(table.networkResult(container));
    for (const v of candidates) if (contains(c, table.cidr(v))) add(table.networkResult(v));
    return out;
  }
}

/** Whether the canonical URL's host is exactly `host` (checked in place). */
function hostIs(url: string, host: string): boolean {
  const at = url.indexOf('://') + 3;
  if (!url.startsWith(host, at)) return false;
  const next = url.charCodeAt(at + host.length);
  return next === 47 || next === 58 || Number.isNaN(next);
}

/** Whether `outer` contains `inner` entirely. */
function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version === 4 && inner.version === 4) return outer.start <= inner.start && inner.end <= outer.end;
  if (outer.version === 6 && inner.version === 6) {
    return compareWords(outer.start, 0, inner.start, 0) <= 0 && compareWords(inner.end, 0, outer.end, 0) <= 0;
  }
  return false;
}

export interface MatcherBuild {
  matcher: ConstituentMatcher;
  problems: ScopeProblem[];
}

/** Order of problem groups within a constituent: netblocks, then ASNs, then domains. */
const PROBLEM_GROUP: Readonly<Record<ScopeProblemKind, number>> = {
  'invalid-netblock': 0,
  'host-bits-set': 0,
  'duplicate-netblock': 0,
  'invalid-asn': 1,
  'duplicate-asn': 1,
  'invalid-domain': 2,
  'public-suffix': 2,
  'duplicate-domain': 2,
};

/** Growable columns of IPv4 netblocks (no object per netblock). */
class Columns4 {
  start = new Uint32Array(1024);
  len = new Uint8Array(1024);
  owner = new Int32Array(1024);
  size = 0;

  push(start: number, len: number, owner: number): void {
    if (this.size === this.start.length) {
      const grow = <T extends Uint32Array | Uint8Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.len = grow(this.len);
      this.owner = grow(this.owner);
    }
    this.start[this.size] = start;
    this.len[this.size] = len;
    this.owner[this.size] = owner;
    this.size++;
  }
}

/** Builds the matcher. Invalid or duplicate entries are skipped and reported; for an entry claimed twice the
 *  first constituent keeps it. Problems come per constituent, in the order given. */
export function buildConstituentMatcher(scopes: Iterable<ConstituentScope>): MatcherBuild {
  const found: { ci: number; seq: number; problem: ScopeProblem }[] = [];
  const report = (ci: number, problem: ScopeProblem): void => void found.push({ ci, seq: found.length, problem });
  const ids: string[] = [];
  const cols4 = new Columns4();
  const cidrs6: Cidr[] = [];
  const owners6: number[] = [];
  const p6: Prefix6[] = [];
  const asnResults = new Map<number, ConstituentMatch>();
  const domains = new DomainIndex();
  const domainOwners: number[] = [];

  for (const scope of scopes) {
    const id = scope.id;
    const ci = ids.length;
    ids.push(id);
    for (const text of scope.netblocks ?? []) {
      if (text.indexOf(':') < 0) {
        const packed = parseCidr4Packed(text);
        if (packed < 0) {
          report(ci, { constituentId: id, kind: 'invalid-netblock', value: text });
          continue;
        }
        if (packed % 2 === 1) report(ci, { constituentId: id, kind: 'host-bits-set', value: text });
        cols4.push(Math.floor(packed / 128), Math.floor(packed / 2) % 64, ci);
        continue;
      }
      const c = parseCidr(text);
      if (c === undefined || c.version !== 6) {
        report(ci, { constituentId: id, kind: 'invalid-netblock', value: text });
        continue;
      }
      if (c.hostBitsSet) report(ci, { constituentId: id, kind: 'host-bits-set', value: text });
      // IPv4-mapped IPv6 prefixes name IPv4 space: index them as IPv4 (lookups of mapped addresses go there).
      if (c.prefix >= 96 && c.start[0] === 0 && c.start[1] === 0 && c.start[2] === 0xffff) {
        cols4.push(c.start[3]!, c.prefix - 96, ci);
        continue;
      }
      p6.push({ start: c.start, end: c.end, prefix: c.prefix, value: cidrs6.length });
      cidrs6.push(c);
      owners6.push(ci);
    }
    for (const a of scope.asns ?? []) {
      const n = typeof a === 'number' ? (Number.isInteger(a) && a > 0 && a <= 4294967295 ? a : undefined) : convertAsn(a);
      if (typeof n !== 'number') {
        report(ci, { constituentId: id, kind: 'invalid-asn', value: String(a) });
        continue;
      }
      const existing = asnResults.get(n);
      if (existing !== undefined) {
        if (existing.constituentId !== id) {
          report(ci, { constituentId: id, kind: 'duplicate-asn', value: `AS${n}`, ownerId: existing.constituentId });
        }
        continue;
      }
      asnResults.set(n, { constituentId: id, constituent: ci, by: 'asn', on: `AS${n}` });
    }
    for (const d of scope.domains ?? []) {
      const checked = checkOwnedDomain(d);
      if ('problem' in checked) {
        report(ci, { constituentId: id, kind: checked.problem === 'invalid' ? 'invalid-domain' : 'public-suffix', value: d });
        continue;
      }
      const existing = domains.add(checked.domain, domainOwners.length);
      if (existing !== undefined) {
        const owner = ids[domainOwners[existing]!]!;
        if (owner !== id) report(ci, { constituentId: id, kind: 'duplicate-domain', value: checked.domain, ownerId: owner });
        continue;
      }
      domainOwners.push(ci);
    }
  }

  const n4 = cols4.size;
  const start4 = cols4.start.subarray(0, n4);
  const len4 = cols4.len.subarray(0, n4);
  const owners4 = cols4.owner.subarray(0, n4);
  const identity = new Int32Array(n4);
  for (let i = 0; i < n4; i++) identity[i] = i;
  const built4 = Ipv4Index.fromColumns(start4, len4, identity, owners4);
  const built6 = Ipv6Index.buildWithDuplicates(p6);
  const nb4 = new NetblockTable(4, start4, len4, owners4, ids);
  const nb6 = NetblockTable.fromCidrs(cidrs6, owners6, ids);
  // Duplicates: the first constituent to claim a netblock keeps it; a second one is told (not the same one).
  for (const [dup, kept] of built4.duplicates) {
    if (owners4[dup] !== owners4[kept]) {
      const ci = owners4[dup]!;
      report(ci, { constituentId: ids[ci]!, kind: 'duplicate-netblock', value: formatCidr(nb4.cidr(dup)), ownerId: ids[owners4[kept]!]! });
    }
  }
  for (const [dup, kept] of built6.duplicates) {
    if (owners6[dup] !== owners6[kept]) {
      const ci = owners6[dup]!;
      report(ci, { constituentId: ids[ci]!, kind: 'duplicate-netblock', value: formatCidr(cidrs6[dup]!), ownerId: ids[owners6[kept]!]! });
    }
  }
  found.sort((a, b) => a.ci - b.ci || PROBLEM_GROUP[a.problem.kind] - PROBLEM_GROUP[b.problem.kind] || a.seq - b.seq);

  const v4 = built4.index;
  const v6 = built6.index;
  const stats: MatcherStats = {
    constituents: ids.length,
    ipv4Netblocks: n4 - built4.duplicates.length,
    ipv6Netblocks: p6.length - built6.duplicates.length,
    ipv4Intervals: v4.intervals,
    ipv6Intervals: v6.intervals,
    asns: asnResults.size,
    domains: domains.size,
  };
  const matcher = new ConstituentMatcher(v4, v6, nb4, nb6, asnResults, domains, Int32Array.from(domainOwners), ids, stats);
  return { matcher, problems: found.map((f) => f.problem) };
}
