import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, OBSERVED_AT } from './fixtures/fixtures.js';
import {
  buildConstituentMatcher,
  createDropParser,
  createPhishingParser,
  createShadowserverParser,
  renderNoticeCsv,
  runFeedPipeline,
} from './index.js';
import type { DedupedEvent, FeedParser, PipelineOptions } from './index.js';

const { matcher } = buildConstituentMatcher([
  { id: 'university', netblocks: ['192.0.2.0/25', '2001:db8:10::/48'], domains: ['example.edu.tw'] },
  { id: 'isp', netblocks: ['203.0.113.0/24'], asns: [64505] },
  { id: 'agency', netblocks: ['198.51.100.0/26'], domains: ['example.gov.tw'] },
  { id: 'school', netblocks: ['198.51.100.64/27'] },
  { id: 'uk-shop', domains: ['example.co.uk'] },
]);

function run(parser: FeedParser, name: string, extra: Partial<PipelineOptions> = {}) {
  const path = fixturePath(name);
  return runFeedPipeline({
    parser,
    source: createReadStream(path, { highWaterMark: 64 }),
    parse: { feedName: 'test-feed', observedAt: OBSERVED_AT, fileName: basename(path) },
    matcher,
    ...extra,
  });
}

describe('runFeedPipeline', () => {
  it('parses, matches, deduplicates and aggregates a Shadowserver report', async () => {
    const r = await run(createShadowserverParser(), 'shadowserver/2026-11-20-scan_http-taiwan-geo.csv');
    expect(r.stats).toMatchObject({ rows: 3, parsed: 3, rejected: 0, events: 3, duplicates: 0, matched: 3, notices: 1 });
    expect(r.stats.matchedBy).toEqual({ ip: 3, asn: 0, domain: 0, network: 0 });
    expect(r.stats.byType).toEqual({ 'vulnerable-system': { events: 3, sightings: 3, matched: 3 } });
    expect(r.notices[0]).toMatchObject({ constituentId: 'university', topic: 'vulnerable-web', sightings: 3 });
    const csv = renderNoticeCsv(r.notices[0]!).split('\r\n');
    expect(csv[0]).toBe('ip,port,asn,hostname,server,http_code,type,tag,first_seen,last_seen,sightings');
    expect(csv[3]).toBe('2001:db8:10::5,443,64501,,nginx/1.14.0,200,accessible-http,http,2026-11-20T00:02:03.000Z,2026-11-20T00:02:03.000Z,1');
  });

  it('counts rejected rows with their lines and unmatched events by country and ASN', async () => {
    const r = await run(createShadowserverParser(), 'shadowserver/2026-11-20-scan_rdp-taiwan-geo.csv', { matcher: buildConstituentMatcher([]).matcher });
    expect(r.stats).toMatchObject({ rows: 3, parsed: 2, rejected: 1, matched: 0 });
    expect(r.stats.rejectedRows).toEqual([expect.objectContaining({ line: 4 })]);
    expect(r.stats.rejectedByReason).toEqual({ 'invalid source.ip': 1 });
    expect(r.stats.unmatched).toEqual({ events: 2, byCountry: { TW: 2 }, byAsn: { AS64503: 2 } });
    expect(r.notices).toEqual([]);
  });

  it('merges repeated sightings and reports their final counts', async () => {
    const r = await run(createShadowserverParser(), 'shadowserver/2026-11-20-event4_sinkhole-taiwan-geo.csv');
    expect(r.stats).toMatchObject({ parsed: 3, events: 2, duplicates: 1, matched: 2 });
    expect(r.sightings).toEqual([
      { key: expect.stringMatching(/^[0-9a-f]{64}$/), count: 2, firstSeen: '2026-11-20T05:00:01.000Z', lastSeen: '2026-11-20T05:01:00.000Z' },
    ]);
    // The same updates a batch at a time (what the database writer takes).
    expect([...r.sightingBatches(1)]).toEqual([r.sightings]);
    expect(r.notices.map((n) => [n.id, n.hosts.length, n.sightings, n.identifiers])).toEqual([['isp/infected-host', 2, 3, ['andromeda', 'mirai']]]);
  });

  it('matches by ASN and by domain when no netblock holds the address', async () => {
    const dns = await run(createShadowserverParser(), 'shadowserver/2026-11-20-scan_dns-taiwan-geo.csv');
    // Two resolvers sit in agency's netblock; the IPv6 one is only known by its ASN (the ISP's).
    expect(dns.stats.matchedBy).toMatchObject({ ip: 2, asn: 1 });
    const phish = await run(createPhishingParser(), 'openphish-feed.txt');
    // account-update.example.gov.tw and www.example.co.uk; 192.0.2.150 is outside the university's /25.
    expect(phish.stats.matchedBy).toMatchObject({ ip: 0, domain: 2 });
    expect(phish.stats.unmatched.events).toBe(3);
    expect(phish.notices.map((n) => [n.id, n.hosts.length])).toEqual([
      ['agency/phishing', 1],
      ['uk-shop/phishing', 1],
    ]);
  });

  it('gives a listed network to every constituent it touches', async () => {
    const r = await run(createDropParser(), 'spamhaus-drop.txt');
    // 198.51.100.0/24 holds agency's /26 and school's /27; 203.0.113.0/25 is inside isp's /24.
    expect(r.notices.map((n) => n.id)).toEqual(['isp/blocklisted', 'agency/blocklisted', 'school/blocklisted']);
    expect(r.stats).toMatchObject({ parsed: 5, events: 6, matched: 3, rejected: 1 });
    expect(r.stats.matchedBy.network).toBe(3);
  });

  it('hands each event on once, and returns none when streaming', async () => {
    const seen: DedupedEvent[] = [];
    let drains = 0;
    const r = await run(createShadowserverParser(), 'shadowserver/2026-11-20-event4_sinkhole-taiwan-geo.csv', {
      onEvent: (e) => seen.push(e),
      drain: () => {
        drains++;
      },
    });
    expect(r.events).toEqual([]);
    expect(seen.map((e) => e.line)).toEqual([2, 3]);
    expect(seen[0]!.event['source.ip']).toBe('203.0.113.77');
    // The view stays live: by the end it shows both sightings.
    expect(seen[0]!.count).toBe(2);
    expect(seen[0]!.match).toMatchObject({ constituentId: 'isp', by: 'ip' });
    expect(drains).toBeGreaterThan(1);
  });

  it('yields the same keys and notices when the same input is imported again (idempotence)', async () => {
    const once = async () => {
      const r = await run(createShadowserverParser(), 'shadowserver/2026-11-20-event4_sinkhole-taiwan-geo.csv');
      return {
        keys: r.events.map((e) => `${e.key}:${e.count}`),
        notices: r.notices.map((n) => [n.id, n.hosts.map((h) => h.key)]),
      };
    };
    const first = await once();
    expect(await once()).toEqual(first);
    expect(first.keys).toHaveLength(2);
  });

  it('needs an observation time and a feed name', async () => {
    await expect(run(createShadowserverParser(), 'shadowserver/2026-11-20-scan_http-taiwan-geo.csv', { parse: { feedName: ' ', observedAt: OBSERVED_AT } })).rejects.toThrow(/feedName/);
    await expect(run(createShadowserverParser(), 'shadowserver/2026-11-20-scan_http-taiwan-geo.csv', { parse: { feedName: 'f', observedAt: 'soon', fileName: 'scan_http.csv' } })).rejects.toThrow(/observedAt/);
  });
});
