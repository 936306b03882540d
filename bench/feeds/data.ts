/**
 * Deterministic synthetic data for the feeds benchmark: constituents (netblocks v4/v6 with nesting, ASNs,
 * domains under .gov.tw/.com.tw/.edu.tw/.co.uk/.com) and a Shadowserver-style report CSV whose rows hit
 * every matching path (netblock v4/v6, ASN, domain, nothing) and repeat some hosts (deduplication).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatIPv4, formatIPv6 } from '../../src/modules/feeds/engine/normalise/ip.js';
import type { ConstituentScope } from '../../src/modules/feeds/engine/index.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BenchScope {
  scopes: ConstituentScope[];
  /** Sample addresses inside v4 netblocks (as numbers), v6 netblocks (words), and owned domains. */
  v4Inside: number[];
  v6Inside: Uint32Array[];
  asns: number[];
  domains: string[];
}

const SUFFIXES = ['gov.tw', 'com.tw', 'edu.tw', 'org.tw', 'co.uk', 'com', 'net.tw'];

/** 100,000 constituents, 300,000 netblocks (270,000 IPv4, 30,000 IPv6; about a tenth nested inside another
 *  constituent's larger block), 5,000 ASNs and 200,000 domains. */
export function makeScopes(opts: { constituents?: number; netblocks?: number; domains?: number; seed?: number } = {}): BenchScope {
  const nConst = opts.constituents ?? 100_000;
  const nBlocks = opts.netblocks ?? 300_000;
  const nDomains = opts.domains ?? 200_000;
  const r = rng(opts.seed ?? 42);
  const n6 = Math.round(nBlocks / 10);
  const n4 = nBlocks - n6;
  const scopes: ConstituentScope[] = [];
  const nets: string[][] = Array.from({ length: nConst }, () => []);
  const doms: string[][] = Array.from({ length: nConst }, () => []);
  const v4Inside: number[] = [];
  const v6Inside: Uint32Array[] = [];
  const seen = new Set<string>();
  // Large parents first (/12–/16), then smaller blocks anywhere in unicast space; many fall inside parents.
  const parents: number[] = [];
  for (let i = 0; i < n4; i++) {
    let start: number;
    let prefix: number;
    if (i < n4 / 100) {
      prefix = 12 + Math.floor(r() * 5);
      start = (((1 + Math.floor(r() * 222)) << 24) | Math.floor(r() * 0xffffff)) >>> 0;
      parents.push(start);
    } else if (i % 10 === 0 && parents.length > 0) {
      // Nested: a /24–/28 inside a parent.
      const p = parents[Math.floor(r() * parents.length)]!;
      prefix = 24 + Math.floor(r() * 5);
      start = (p + Math.floor(r() * 0xfffff)) >>> 0;
    } else {
      prefix = 20 + Math.floor(r() * 9);
      start = (((1 + Math.floor(r() * 222)) << 24) | Math.floor(r() * 0xffffff)) >>> 0;
    }
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    start = (start & mask) >>> 0;
    const text = `${formatIPv4(start)}/${prefix}`;
    if (seen.has(text)) {
      i--;
      continue;
    }
    seen.add(text);
    nets[i % nConst]!.push(text);
    v4Inside.push((start + Math.floor(r() * (2 ** (32 - prefix)))) >>> 0);
  }
  for (let i = 0; i < n6; i++) {
    const w = new Uint32Array([((0x2001 + Math.floor(r() * 0xbff)) << 16 | Math.floor(r() * 0xffff)) >>> 0, Math.floor(r() * 2 ** 32) >>> 0, 0, 0]);
    const prefix = 32 + 16 * Math.floor(r() * 3); // /32, /48, /64
    if (prefix <= 32) w[1] = 0;
    else if (prefix === 48) w[1] = (w[1]! & 0xffff0000) >>> 0;
    const text = `${formatIPv6(w)}/${prefix}`;
    if (seen.has(text)) {
      i--;
      continue;
    }
    seen.add(text);
    nets[(i * 7) % nConst]!.push(text);
    const inside = Uint32Array.from(w);
    if (prefix < 64) inside[1] = (inside[1]! | Math.floor(r() * 0xffff)) >>> 0;
    inside[2] = Math.floor(r() * 2 ** 32) >>> 0;
    inside[3] = Math.floor(r() * 2 ** 32) >>> 0;
    v6Inside.push(inside);
  }
  const domains: string[] = [];
  for (let i = 0; i < nDomains; i++) {
    const d = `org${i}.${SUFFIXES[i % SUFFIXES.length]}`;
    domains.push(d);
    doms[i % nConst]!.push(d);
  }
  const asns: number[] = [];
  for (let i = 0; i < nConst; i++) {
    const scope: ConstituentScope = { id: `c${i}`, netblocks: nets[i]!, domains: doms[i]! };
    if (i % 20 === 0) {
      const asn = 64512 + i / 20;
      scope.asns = [asn];
      asns.push(asn);
    }
    scopes.push(scope);
  }
  return { scopes, v4Inside, v6Inside, asns, domains };
}

export type ReportKind = 'compromised_website' | 'scan_rdp';

const HEADERS: Readonly<Record<ReportKind, readonly string[]>> = {
  compromised_website: [
    'timestamp', 'ip', 'port', 'hostname', 'tag', 'application', 'asn', 'geo', 'region', 'city', 'url', 'http_host',
    'category', 'system', 'detected_since', 'server', 'redirect_target', 'naics', 'sector',
  ],
  scan_rdp: [
    'timestamp', 'ip', 'protocol', 'port', 'hostname', 'tag', 'asn', 'geo', 'region', 'city', 'naics', 'sector',
    'rdp_protocol', 'cert_length', 'subject_common_name', 'issuer_common_name', 'sha1_fingerprint', 'severity',
  ],
};

/** The file name Shadowserver would give the report (the parser recognises the type from it). */
export function reportFileName(kind: ReportKind): string {
  return `2026-11-20-${kind}-taiwan-geo.csv`;
}

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[Math.floor(r() * 16)];
  return s;
}

/**
 * Writes a Shadowserver-style report, strings quoted as Shadowserver writes them; about 10% of rows repeat an
 * earlier host later the same day.
 * - compromised_website: 60% IPv4 in a netblock, 10% IPv6 in a netblock, 10% known by ASN only, 10% by
 *   domain only (URL host under an owned domain), 10% nobody's; every row builds a URL from host and path.
 * - scan_rdp (an exposed-service scan, the common high-volume kind): 70% IPv4 in a netblock, 10% IPv6, 10%
 *   ASN only, 10% nobody's.
 */
export async function writeReport(path: string, rows: number, scope: BenchScope, kind: ReportKind = 'compromised_website', seed = 7): Promise<number> {
  const r = rng(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (s: string): Promise<void> => {
    bytes += s.length;
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${HEADERS[kind].map((h) => `"${h}"`).join(',')}\n`);
  const day = Date.UTC(2026, 10, 20);
  const recent: string[] = [];
  let chunk = '';
  let lastSecond = -1;
  let ts = '';
  for (let i = 0; i < rows; i++) {
    const second = Math.floor((i / rows) * 86_399);
    if (second !== lastSecond) {
      const t = new Date(day + second * 1000).toISOString();
      ts = `${t.slice(0, 10)} ${t.slice(11, 19)}`;
      lastSecond = second;
    }
    let rest: string;
    if (i % 10 === 9 && recent.length > 0) {
      rest = recent[Math.floor(r() * recent.length)]!;
    } else {
      const pick = Math.floor(r() * 10);
      let ip: string;
      let asn = 3462 + Math.floor(r() * 100);
      let host = `www.site${Math.floor(r() * 1e7)}.example.net`;
      const v4Share = kind === 'scan_rdp' ? 7 : 6;
      if (pick < v4Share) ip = formatIPv4(scope.v4Inside[Math.floor(r() * scope.v4Inside.length)]!);
      else if (pick === v4Share) ip = formatIPv6(scope.v6Inside[Math.floor(r() * scope.v6Inside.length)]!);
      else {
        ip = formatIPv4((((200 + Math.floor(r() * 23)) << 24) | Math.floor(r() * 0xffffff)) >>> 0);
        if (pick === v4Share + 1) asn = scope.asns[Math.floor(r() * scope.asns.length)]!;
        if (pick === 8 && kind === 'compromised_website') host = `www.${scope.domains[Math.floor(r() * scope.domains.length)]!}`;
      }
      if (kind === 'compromised_website') {
        const port = r() < 0.7 ? 80 : 443;
        const app = port === 80 ? 'http' : 'https';
        const cat = ['malware', 'phishing', 'webshell', 'seo-spam'][Math.floor(r() * 4)]!;
        rest =
          `"${ip}",${port},"host-${i}.dyn.example.net","compromised-website","${app}",${asn},"TW","TAIPEI","TAIPEI",` +
          `"/wp-content/plugins/x${Math.floor(r() * 1000)}/index.php","${host}","${cat}","wordpress",` +
          `"2026-11-0${1 + Math.floor(r() * 9)} 00:00:00","Apache/2.4.${Math.floor(r() * 60)}","",${517311},"Communications, Service Provider, and Hosting Service"`;
      } else {
        const rdns = r() < 0.5 ? '' : `host-${i}.dyn.example.net`;
        const cn = `WIN-${hex(r, 8)}`;
        rest =
          `"${ip}","tcp",3389,"${rdns}","rdp",${asn},"TW","TAIPEI","TAIPEI",${r() < 0.5 ? 517311 : 0},"Communications, Service Provider, and Hosting Service",` +
          `"CredSSP",2048,"${cn}","${cn}","${hex(r, 40)}","high"`;
      }
      if (recent.length < 5000) recent.push(rest);
      else recent[Math.floor(r() * 5000)] = rest;
    }
    chunk += `"${ts}",${rest}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}
