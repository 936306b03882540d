import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../event.js';
import { buildConstituentMatcher } from './matcher.js';
import type { ConstituentScope } from './matcher.js';

const scopes: ConstituentScope[] = [
  { id: 'isp', netblocks: ['192.0.2.0/24', '2001:db8::/32'], asns: ['AS64500'] },
  { id: 'university', netblocks: ['192.0.2.128/25', '2001:db8:10::/48'], domains: ['example.edu.tw'] },
  { id: 'lab', netblocks: ['192.0.2.192/28', '2001:db8:10:5::/64'] },
  { id: 'ministry', domains: ['moe.gov.tw', 'gov.tw'], asns: [64501] },
  { id: 'shop', domains: ['shop.com.tw', '*.example.co.uk'] },
  { id: 'bank', domains: ['bank.example.com.tw'], netblocks: ['::ffff:198.51.100.0/120'] },
  { id: 'holding', domains: ['example.com.tw', 'co.uk', 'com.tw'] },
];

const { matcher, problems } = buildConstituentMatcher(scopes);

function ev(fields: Partial<FeedEvent>): FeedEvent {
  return { 'feed.name': 'f', 'time.observation': '2026-11-21T00:00:00.000Z', 'classification.taxonomy': 'vulnerable', 'classification.type': 'vulnerable-system', ...fields };
}

const owner = (fields: Partial<FeedEvent>) => matcher.match(ev(fields))?.constituentId ?? null;

describe('matching by netblock', () => {
  it('picks the most specific of nested IPv4 netblocks', () => {
    expect(matcher.matchIp('192.0.2.1')).toMatchObject({ constituentId: 'isp', constituent: 0, by: 'ip', on: '192.0.2.0/24' });
    expect(JSON.parse(JSON.stringify(matcher.matchIp('192.0.2.1')))).toEqual({ constituentId: 'isp', constituent: 0, by: 'ip', on: '192.0.2.0/24' });
    expect(matcher.matchIp('192.0.2.130')?.constituentId).toBe('university');
    expect(matcher.matchIp('192.0.2.200')).toMatchObject({ constituentId: 'lab', on: '192.0.2.192/28' });
    expect(matcher.matchIp('192.0.2.208')?.constituentId).toBe('university');
    expect(matcher.matchIp('192.0.3.1')).toBeNull();
  });

  it('picks the most specific of nested IPv6 netblocks', () => {
    expect(matcher.matchIp('2001:db8:ffff::1')?.constituentId).toBe('isp');
    expect(matcher.matchIp('2001:db8:10:4::1')?.constituentId).toBe('university');
    expect(matcher.matchIp('2001:db8:10:5:ffff:ffff:ffff:ffff')).toMatchObject({ constituentId: 'lab', on: '2001:db8:10:5::/64' });
    expect(matcher.matchIp('2001:db9::1')).toBeNull();
  });

  it('treats IPv4-mapped IPv6 as IPv4, both in netblocks and in addresses', () => {
    expect(matcher.matchIp('198.51.100.7')).toMatchObject({ constituentId: 'bank', on: '198.51.100.0/24' });
    expect(matcher.matchIp('::ffff:192.0.2.200')?.constituentId).toBe('lab');
  });
});

describe('matching by ASN, then domain', () => {
  it('falls back to the ASN when no netblock holds the address', () => {
    expect(owner({ 'source.ip': '203.0.113.1', 'source.asn': 64501 })).toBe('ministry');
    expect(owner({ 'source.ip': '192.0.2.1', 'source.asn': 64501 })).toBe('isp');
    expect(matcher.matchAsn('AS64500')?.constituentId).toBe('isp');
  });

  it('matches the registered domain and its subdomains, public-suffix aware', () => {
    expect(owner({ 'source.fqdn': 'www.moe.gov.tw' })).toBe('ministry');
    expect(owner({ 'source.fqdn': 'moe.gov.tw' })).toBe('ministry');
    // gov.tw is a public suffix: owning it is refused, so another agency is nobody's.
    expect(owner({ 'source.fqdn': 'www.other-agency.gov.tw' })).toBeNull();
    expect(owner({ 'source.fqdn': 'a.b.shop.com.tw' })).toBe('shop');
    expect(owner({ 'source.fqdn': 'shop.com.tw.evil.example.net' })).toBeNull();
    expect(owner({ 'source.fqdn': 'www.example.co.uk' })).toBe('shop');
    expect(owner({ 'source.fqdn': 'example.co.uk' })).toBe('shop');
    expect(owner({ 'source.fqdn': 'www.another.co.uk' })).toBeNull();
    expect(owner({ 'source.fqdn': 'cs.example.edu.tw' })).toBe('university');
  });

  it('prefers the most specific owned name', () => {
    expect(owner({ 'source.fqdn': 'online.bank.example.com.tw' })).toBe('bank');
    expect(owner({ 'source.fqdn': 'www.example.com.tw' })).toBe('holding');
  });

  it('uses the host of the URL when there is no FQDN, or when it differs from the FQDN', () => {
    expect(owner({ 'source.url': 'https://login.moe.gov.tw/x' })).toBe('ministry');
    expect(owner({ 'source.fqdn': 'unowned.example.net', 'source.url': 'https://login.moe.gov.tw/x' })).toBe('ministry');
    // The FQDN is a prefix of the URL's host, not the host.
    expect(owner({ 'source.fqdn': 'shop.com', 'source.url': 'http://shop.com.tw/' })).toBe('shop');
  });

  it('tells how it matched', () => {
    expect(matcher.match(ev({ 'source.fqdn': 'www.moe.gov.tw' }))).toMatchObject({ by: 'domain', on: 'moe.gov.tw' });
    expect(matcher.match(ev({ 'source.ip': '203.0.113.1', 'source.asn': 64500 }))).toMatchObject({ by: 'asn', on: 'AS64500' });
  });
});

describe('matching listed networks', () => {
  it('finds the holder of a containing netblock and the holders of netblocks inside', () => {
    expect(matcher.matchNetwork('192.0.2.128/26').map((m) => [m.constituentId, m.on])).toEqual([['university', '192.0.2.128/25']]);
    expect(matcher.matchNetwork('192.0.2.0/23').map((m) => m.constituentId)).toEqual(['isp', 'university', 'lab']);
    expect(matcher.matchNetwork('2001:db8:10::/47').map((m) => m.constituentId)).toEqual(['isp', 'university', 'lab']);
    expect(matcher.matchNetwork('203.0.113.0/24')).toEqual([]);
    expect(owner({ 'source.network': '192.0.2.192/29' })).toBe('lab');
  });
});

describe('scope problems', () => {
  it('refuses public suffixes and reports duplicates and malformed entries', () => {
    const kinds = problems.map((p) => `${p.constituentId}:${p.kind}:${p.value}`);
    expect(kinds).toEqual(['ministry:public-suffix:gov.tw', 'holding:public-suffix:co.uk', 'holding:public-suffix:com.tw']);
    const more = buildConstituentMatcher([
      { id: 'a', netblocks: ['10.0.0.0/8', '10.0.0.1/8', 'nonsense'], asns: [0, 'AS1'], domains: ['a.example.com', 'bad host'] },
      { id: 'b', netblocks: ['10.0.0.0/8'], asns: [1], domains: ['A.Example.com.'] },
    ]).problems.map((p) => [p.constituentId, p.kind, p.value, p.ownerId]);
    expect(more).toEqual([
      ['a', 'host-bits-set', '10.0.0.1/8', undefined],
      ['a', 'invalid-netblock', 'nonsense', undefined],
      ['a', 'invalid-asn', '0', undefined],
      ['a', 'invalid-domain', 'bad host', undefined],
      ['b', 'duplicate-netblock', '10.0.0.0/8', 'a'],
      ['b', 'duplicate-asn', 'AS1', 'a'],
      ['b', 'duplicate-domain', 'a.example.com', 'a'],
    ]);
  });

  it('reports what it indexed', () => {
    expect(matcher.stats).toMatchObject({ constituents: 7, ipv4Netblocks: 4, ipv6Netblocks: 3, asns: 2, domains: 6 });
  });
});
