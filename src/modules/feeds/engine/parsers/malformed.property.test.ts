/**
 * For every parser: inputs mixing valid rows and malformed ones (bad addresses, wrong column counts, broken
 * quoting, broken JSON, non-URLs, bad networks), cut into random chunks with LF or CRLF line ends. Every
 * malformed row must be reported with its line number and reason, every valid row must still come through
 * with its own line number, and nothing may throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDropParser } from './drop.js';
import { createMappedParser } from './mapping.js';
import { createPhishingParser } from './phishing.js';
import { collectFeed } from './run.js';
import { createShadowserverParser } from './shadowserver.js';
import { createShodanParser } from './shodan.js';
import type { FeedParser } from './types.js';
import { createZoneHParser } from './zoneh.js';

interface Row {
  ok: boolean;
  text: string;
}

const octet = fc.integer({ min: 1, max: 254 });
const ip4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const host = fc.tuple(label, label, fc.constantFrom('com.tw', 'gov.tw', 'co.uk', 'net')).map((p) => p.join('.'));
const text = fc.stringMatching(/^[A-Za-z0-9 ]{0,10}$/);
const badIp = fc.constantFrom('300.1.2.3', '1.2.3', '01.2.3.4', 'host', '::g');
const seconds = fc.integer({ min: 0, max: 86_399 });
const ts = seconds.map((s) => new Date(Date.UTC(2026, 10, 20) + s * 1000).toISOString().replace('T', ' ').slice(0, 19));

interface Format {
  name: string;
  parser: FeedParser;
  fileName: string;
  header: string[];
  row: fc.Arbitrary<Row>;
}

const quoted = (xs: readonly (string | number)[]) => xs.map((x) => (typeof x === 'number' ? String(x) : `"${x}"`)).join(',');

const formats: Format[] = [
  {
    name: 'Shadowserver scan_rdp',
    parser: createShadowserverParser(),
    fileName: '2026-11-20-scan_rdp-taiwan.csv',
    header: [quoted(['timestamp', 'ip', 'protocol', 'port', 'hostname', 'tag', 'asn', 'geo', 'region', 'city', 'naics', 'sector', 'rdp_protocol'])],
    row: fc.oneof(
      fc.tuple(ts, ip4, fc.integer({ min: 1, max: 65535 }), text).map(([t, ip, port, s]) => ({ ok: true, text: quoted([t, ip, 'tcp', port, '', 'rdp', 64500, 'TW', 'TAIPEI', 'TAIPEI', 0, s, 'CredSSP']) })),
      fc.tuple(ts, badIp).map(([t, ip]) => ({ ok: false, text: quoted([t, ip, 'tcp', 3389, '', 'rdp', 64500, 'TW', 'TAIPEI', 'TAIPEI', 0, '', 'CredSSP']) })),
      fc.tuple(ts, ip4).map(([t, ip]) => ({ ok: false, text: quoted([t, ip, 'tcp', 3389, '', 'rdp']) })),
      fc.tuple(ts, ip4).map(([t, ip]) => ({ ok: false, text: `"${t}","${ip}"x,"tcp",3389,"","rdp",64500,"TW","TAIPEI","TAIPEI",0,"","CredSSP"` })),
      fc.tuple(ts, ip4).map(([t, ip]) => ({ ok: false, text: `"${t}","${ip},"tcp",3389,"","rdp",64500,"TW","TAIPEI","TAIPEI",0,"","CredSSP"` })),
      ip4.map((ip) => ({ ok: false, text: quoted(['yesterday', ip, 'tcp', 3389, '', 'rdp', 64500, 'TW', 'TAIPEI', 'TAIPEI', 0, '', 'CredSSP']) })),
    ),
  },
  {
    name: 'zone-h defacements',
    parser: createZoneHParser(),
    fileName: 'zoneh.csv',
    header: ['date,notifier,domain,ip,os,web_server,homepage,mass,redefacement,country,mirror'],
    row: fc.oneof(
      fc.tuple(ts, text, host, ip4).map(([t, who, h, ip]) => ({ ok: true, text: `${t},${who},http://${h}/,${ip},Linux,Apache,1,0,0,TW,https://mirror.example/1` })),
      fc.tuple(ts, text).map(([t, who]) => ({ ok: false, text: `${t},${who},,,Linux,Apache,1,0,0,TW,` })),
      fc.tuple(ts, host).map(([t, h]) => ({ ok: false, text: `${t},x,http://${h} /bad path,,Linux` })),
      fc.tuple(ts, host).map(([t, h]) => ({ ok: false, text: `${t},x,"http://${h}/"junk,,Linux,Apache,1,0,0,TW,` })),
    ),
  },
  {
    name: 'phishing URL list',
    parser: createPhishingParser({ format: 'text' }),
    fileName: 'urls.txt',
    header: ['# phishing URLs'],
    row: fc.oneof(
      fc.tuple(host, label).map(([h, p]) => ({ ok: true, text: `https://${h}/${p}` })),
      fc.tuple(host, label).map(([h, p]) => ({ ok: true, text: `hxxp://${h.replaceAll('.', '[.]')}/${p}` })),
      label.map((l) => ({ ok: false, text: `not a url ${l}` })),
      label.map((l) => ({ ok: false, text: `http://bad host ${l}/` })),
    ),
  },
  {
    name: 'phishing JSON lines',
    parser: createPhishingParser({ format: 'json' }),
    fileName: 'phish.jsonl',
    header: [],
    row: fc.oneof(
      fc.tuple(host, ip4, text).map(([h, ip, brand]) => ({ ok: true, text: JSON.stringify({ url: `https://${h}/`, ip, brand }) })),
      host.map((h) => ({ ok: false, text: `{"url":"https://${h}/","brand":` })),
      text.map((brand) => ({ ok: false, text: JSON.stringify({ brand }) })),
      label.map((l) => ({ ok: false, text: JSON.stringify({ url: `no url ${l}` }) })),
    ),
  },
  {
    name: 'Shodan banners',
    parser: createShodanParser(),
    fileName: 'shodan.jsonl',
    header: [],
    row: fc.oneof(
      fc.tuple(ip4, fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => ({ ok: true, text: JSON.stringify({ ip_str: ip, port, transport: 'tcp', _shodan: { module: 'http' } }) })),
      fc.integer({ min: 1, max: 65535 }).map((port) => ({ ok: false, text: JSON.stringify({ port }) })),
      badIp.map((ip) => ({ ok: false, text: JSON.stringify({ ip_str: ip, port: 80 }) })),
      ip4.map((ip) => ({ ok: false, text: `{"ip_str":"${ip}",` })),
    ),
  },
  {
    name: 'DROP list',
    parser: createDropParser(),
    fileName: 'drop.txt',
    header: ['; Spamhaus DROP List', '; Last-Modified: Fri, 20 Nov 2026 10:30:00 GMT'],
    row: fc.oneof(
      fc.tuple(ip4, fc.integer({ min: 8, max: 32 }), fc.nat()).map(([ip, len, n]) => ({ ok: true, text: `${ip}/${len} ; SBL${n}` })),
      fc.nat().map((n) => ({ ok: false, text: `999.1.1.0/24 ; SBL${n}` })),
      ip4.map((ip) => ({ ok: false, text: `${ip}/40 ; SBL1` })),
      label.map((l) => ({ ok: false, text: l })),
    ),
  },
  {
    name: 'declarative CSV mapping',
    parser: createMappedParser({
      format: 'csv',
      delimiter: ';',
      fields: { 'source.ip': { from: 'ip', required: true }, 'time.source': { from: 'seen', convert: 'epoch' } },
      constants: { 'classification.type': 'infected-system' },
    }),
    fileName: 'partner.csv',
    header: ['seen;ip;family'],
    row: fc.oneof(
      fc.tuple(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), ip4, label).map(([t, ip, f]) => ({ ok: true, text: `${t};${ip};${f}` })),
      fc.tuple(fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }), badIp).map(([t, ip]) => ({ ok: false, text: `${t};${ip};x` })),
      ip4.map((ip) => ({ ok: false, text: `1;${ip}` })),
    ),
  },
];

function chunks(s: string, cuts: readonly number[]): string[] {
  const idx = [...new Set(cuts.map((c) => Math.floor(c * s.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const i of idx) {
    out.push(s.slice(from, i));
    from = i;
  }
  out.push(s.slice(from));
  return out;
}

describe('malformed rows never abort an import', () => {
  for (const f of formats) {
    it(f.name, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(f.row, { minLength: 1, maxLength: 25 }),
          fc.constantFrom('\n', '\r\n'),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
          async (rows, eol, cuts) => {
            const lines = [...f.header, ...rows.map((r) => r.text)];
            const input = lines.join(eol) + eol;
            const parsed = await collectFeed(f.parser, chunks(input, cuts), { feedName: 'prop', observedAt: '2026-11-21T00:00:00Z', fileName: f.fileName });
            const first = f.header.length + 1;
            const goodLines = rows.flatMap((r, i) => (r.ok ? [first + i] : []));
            const badLines = rows.flatMap((r, i) => (r.ok ? [] : [first + i]));
            expect(parsed.events.map((e) => e.line)).toEqual(goodLines);
            expect(parsed.rejected.map((r) => r.line)).toEqual(badLines);
            for (const r of parsed.rejected) expect(r.reason.length).toBeGreaterThan(0);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
