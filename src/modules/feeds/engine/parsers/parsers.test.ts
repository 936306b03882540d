import { describe, expect, it } from 'vitest';
import { OBSERVED_AT, parseFixture } from '../fixtures/fixtures.js';
import { createDropParser } from './drop.js';
import { createMappedParser, validateMapping } from './mapping.js';
import type { MappingSpec } from './mapping.js';
import { createPhishingParser, detectPhishingFormat } from './phishing.js';
import { collectFeed } from './run.js';
import { createShodanParser } from './shodan.js';
import { FeedConfigError } from './types.js';
import { createZoneHParser } from './zoneh.js';

describe('zone-h style defacements', () => {
  it('reads sites, defacers and mirrors; refangs; rejects a row without a site', async () => {
    const r = await parseFixture(createZoneHParser(), 'zoneh-defacements.csv');
    expect(r.events.map((e) => e.event['source.url'])).toEqual([
      'http://www.example-school.edu.tw/news/index.html',
      'http://shop.example.com.tw/',
      'http://blog.example.co.uk/',
    ]);
    expect(r.events[0]!.event).toMatchObject({
      'classification.type': 'unauthorised-information-modification',
      'classification.identifier': 'defacement',
      'time.source': '2026-11-19T22:41:00.000Z',
      'source.ip': '192.0.2.130',
      extra: { defacer: 'Gh0stSec', mirror: 'https://mirror.example/zh/12345', homepage: true, mass: false },
    });
    expect(r.events[1]!.event.extra!.defacer).toBe('Team "X"');
    expect(r.events[2]!.event['source.fqdn']).toBe('blog.example.co.uk');
    expect(r.rejected).toEqual([expect.objectContaining({ line: 5, reason: 'missing source.url (column domain)' })]);
  });
});

describe('phishing lists', () => {
  it('reads a plain list (comments, blank lines, defanged and IDN URLs)', async () => {
    const r = await parseFixture(createPhishingParser(), 'openphish-feed.txt');
    expect(r.events.map((e) => [e.line, e.event['source.url']])).toEqual([
      [2, 'https://login.example-bank.com.tw.secure-verify.example.net/signin'],
      [3, 'http://192.0.2.150/paypal/webscr.php?cmd=_login'],
      [4, 'https://account-update.example.gov.tw/tax-refund/'],
      [6, 'http://xn--fiqs8s.example.com.tw/登入'],
      [8, 'https://www.example.co.uk/Billing/Update'],
    ]);
    // The host of the URL becomes source.ip or source.fqdn (for matching).
    expect(r.events[1]!.event['source.ip']).toBe('192.0.2.150');
    expect(r.events[2]!.event['source.fqdn']).toBe('account-update.example.gov.tw');
    expect(r.events[0]!.event['classification.taxonomy']).toBe('fraud');
    expect(r.rejected).toEqual([expect.objectContaining({ line: 7, reason: 'not a URL' })]);
  });

  it('reads PhishTank CSV', async () => {
    const r = await parseFixture(createPhishingParser(), 'phishtank.csv');
    expect(r.events).toHaveLength(2);
    expect(r.events[1]!.event).toMatchObject({
      'source.url': 'http://198.51.100.160/~user/apple/id.html?a=1,b=2',
      'time.source': '2026-11-20T01:00:00.000Z',
      extra: { phish_id: '8812346', target: 'Apple' },
    });
    expect(r.rejected.map((x) => x.line)).toEqual([4]);
  });

  it('reads PhishTank JSON (details[0] gives address, network and country)', async () => {
    const r = await parseFixture(createPhishingParser(), 'phishtank.json');
    expect(r.events[0]!.event).toMatchObject({
      'source.url': 'https://signin.example.gov.tw.verify.example.net/',
      'source.ip': '203.0.113.160',
      'source.asn': 64509,
      'source.geolocation.cc': 'TW',
      extra: { phish_id: '8812400', verified: true },
    });
    expect(r.events[1]!.event['source.fqdn']).toBe('www.example.co.uk');
    expect(r.rejected).toEqual([expect.objectContaining({ line: 3, reason: 'invalid source.url "not a url at all"' })]);
  });

  it('reads OpenPhish-like JSON lines, skipping a broken line', async () => {
    const r = await parseFixture(createPhishingParser(), 'openphish.jsonl');
    expect(r.events.map((e) => e.line)).toEqual([1, 2, 4]);
    expect(r.events[1]!.event).toMatchObject({ 'source.ip': '2001:db8:ffff::161', 'source.asn': 64510, extra: { target: 'LINE' } });
    expect(r.rejected.map((x) => x.line)).toEqual([3]);
  });

  it('detects the shape from the first line', () => {
    expect(detectPhishingFormat('https://x.example/')).toBe('text');
    expect(detectPhishingFormat('phish_id,url,phish_detail_url')).toBe('csv');
    expect(detectPhishingFormat('\uFEFF[{"url":1}]')).toBe('json');
    expect(detectPhishingFormat('{"url":"x"}')).toBe('json');
  });
});

describe('Shodan-style banners', () => {
  it('classifies exposed services and keeps CVEs', async () => {
    const r = await parseFixture(createShodanParser(), 'shodan-banners.jsonl');
    const ids = r.events.map((e) => [e.event['source.ip'], e.event['classification.type'], e.event['classification.identifier']]);
    expect(ids).toEqual([
      ['192.0.2.200', 'potentially-unwanted-accessible', 'open-mongodb'],
      ['192.0.2.201', 'vulnerable-system', 'accessible-rdp'],
      ['2001:db8:20::1', 'potentially-unwanted-accessible', 'accessible-ics'],
      ['192.0.2.203', 'potentially-unwanted-accessible', 'exposed-iot'],
    ]);
    expect(r.events[0]!.event).toMatchObject({
      'source.port': 27017,
      'source.asn': 64511,
      'source.reverse_dns': 'db.example.com.tw',
      'time.source': '2026-11-20T08:00:00.123Z',
      extra: { product: 'MongoDB', version: '3.4.10' },
    });
    expect(r.events[1]!.event.extra!.vulns).toEqual(['CVE-2012-0002', 'CVE-2019-0708']);
    expect(r.rejected).toEqual([expect.objectContaining({ line: 5, reason: 'missing source.ip (ip_str or ip)' })]);
  });
});

describe('DROP-style network lists', () => {
  it('reads the text form with its Last-Modified time', async () => {
    const r = await parseFixture(createDropParser(), 'spamhaus-drop.txt');
    expect(r.events.map((e) => [e.line, e.event['source.network'], e.event.extra!.sblid])).toEqual([
      [5, '198.51.100.0/24', 'SBL256894'],
      [6, '203.0.113.0/25', 'SBL301122'],
      [7, '192.0.2.128/25', 'SBL433001'],
      [9, '10.0.0.0/8', 'SBL500000'],
      [10, '2001:db8:bad::/48', 'SBL600001'],
    ]);
    expect(r.events[0]!.event).toMatchObject({ 'classification.type': 'blacklist', 'classification.taxonomy': 'other', 'time.source': '2026-11-20T10:30:00.000Z' });
    expect(r.events[3]!.event.extra!.listed_as).toBe('10.0.0.1/8');
    expect(r.rejected).toEqual([expect.objectContaining({ line: 8 })]);
  });

  it('reads the JSON-lines form', async () => {
    const r = await parseFixture(createDropParser({ identifier: 'spamhaus-drop-v4' }), 'spamhaus-drop_v4.json');
    expect(r.events.map((e) => e.event['source.network'])).toEqual(['198.51.100.0/24', '203.0.113.0/25']);
    expect(r.events[0]!.event).toMatchObject({ 'classification.identifier': 'spamhaus-drop-v4', extra: { rir: 'apnic' } });
    expect(r.rejected.map((x) => x.line)).toEqual([3]);
  });

  it('takes a bare address as a host', async () => {
    const r = await collectFeed(createDropParser(), ['192.0.2.7 ; SBL1\n'], { feedName: 'f', observedAt: OBSERVED_AT });
    expect(r.events[0]!.event['source.ip']).toBe('192.0.2.7');
  });
});

describe('declarative mappings', () => {
  const partnerFeed: MappingSpec = {
    format: 'csv',
    delimiter: ';',
    commentPrefix: '#',
    fields: {
      'time.source': { from: 'observed', convert: 'epoch' },
      'source.ip': { from: 'victim_ip', required: true },
      'source.port': 'victim_port',
      'malware.name': 'family',
      'source.asn': 'asn',
    },
    constants: { 'classification.type': 'infected-system', 'classification.identifier': 'partner-botnet' },
    extra: [{ from: 'c2', name: 'c2_endpoint' }],
  };

  it('maps a partner CSV: delimiter, comments, epoch times, constants, chosen extras', async () => {
    const r = await parseFixture(createMappedParser(partnerFeed), 'partner-botnet-feed.csv');
    expect(r.events.map((e) => e.line)).toEqual([3, 4]);
    expect(r.events[0]!.event).toMatchObject({
      'time.source': new Date(1795046400_000).toISOString(),
      'source.ip': '192.0.2.210',
      'source.port': 50123,
      'malware.name': 'emotet',
      'source.asn': 64513,
      'classification.taxonomy': 'malicious-code',
      extra: { c2_endpoint: '198.18.2.2:8080' },
    });
    expect(r.events[1]!.event['source.port']).toBeUndefined();
    expect(r.rejected).toEqual([expect.objectContaining({ line: 5, reason: 'invalid source.ip "192.0.2.300"' })]);
  });

  it('maps a headerless CSV by column position', async () => {
    const spec: MappingSpec = {
      format: 'csv',
      header: ['when', 'addr'],
      fields: { 'time.source': 'when', 'source.ip': { from: 1, required: true } },
      constants: { 'classification.type': 'scanner' },
    };
    const r = await collectFeed(createMappedParser(spec), ['2026-11-20 01:00:00,198.51.100.9\n'], { feedName: 'f', observedAt: OBSERVED_AT });
    expect(r.events[0]!.event).toMatchObject({ 'source.ip': '198.51.100.9', 'classification.taxonomy': 'information-gathering', 'time.source': '2026-11-20T01:00:00.000Z' });
  });

  it('maps JSON by nested path, first non-empty alternative wins, and keeps unparseable optional values in extra', async () => {
    const spec: MappingSpec = {
      format: 'json',
      fields: {
        'source.ip': { from: ['host.addr', 'ip'], required: true },
        'source.port': 'host.port',
        'classification.type': { from: 'kind', convert: 'type' },
      },
      extra: 'unmapped',
    };
    const r = await collectFeed(
      createMappedParser(spec),
      ['[{"host":{"addr":"192.0.2.5","port":"notaport"},"kind":"Scanner","note":"n"},{"ip":"192.0.2.6","kind":"c2-server"},{"ip":"192.0.2.7","kind":"nonsense"}]'],
      { feedName: 'f', observedAt: OBSERVED_AT },
    );
    expect(r.events[0]!.event).toMatchObject({ 'source.ip': '192.0.2.5', 'classification.type': 'scanner', extra: { 'host.port': 'notaport', note: 'n' } });
    expect(r.events[1]!.event).toMatchObject({ 'source.ip': '192.0.2.6', 'classification.taxonomy': 'malicious-code' });
    expect(r.rejected).toEqual([expect.objectContaining({ line: 1, reason: expect.stringContaining('classification.type') })]);
  });

  it('checks a mapping before any row is read', () => {
    const bad = (spec: unknown) => () => validateMapping(spec as MappingSpec);
    expect(bad({ format: 'xml', fields: {} })).toThrow(FeedConfigError);
    expect(bad({ format: 'csv', fields: { 'source.nope': 'x' }, constants: { 'classification.type': 'scanner' } })).toThrow(/unknown event field/);
    expect(bad({ format: 'csv', fields: { 'source.ip': { from: 'x', convert: 'magic' } }, constants: { 'classification.type': 'scanner' } })).toThrow(/unknown conversion/);
    expect(bad({ format: 'csv', fields: { 'source.ip': 'x' }, constants: { 'classification.type': 'defacement' } })).toThrow(/invalid constant/);
    expect(bad({ format: 'csv', fields: { 'source.ip': 'x' } })).toThrow(/classification.type/);
  });

  it('never lets a CSV column called __proto__ reach an object', async () => {
    const spec: MappingSpec = { format: 'csv', fields: { 'source.ip': 'ip' }, constants: { 'classification.type': 'scanner' } };
    const r = await collectFeed(createMappedParser(spec), ['ip,__proto__,x\n192.0.2.1,{"polluted":1},y\n'], { feedName: 'f', observedAt: OBSERVED_AT });
    const extra = r.events[0]!.event.extra!;
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(extra.x).toBe('y');
    expect(Object.keys(extra)).not.toContain('__proto__');
  });
});
