import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../event.js';
import { Deduplicator } from '../dedup/dedup.js';
import type { ConstituentMatch } from '../match/matcher.js';
import { RSIT_TYPES } from '../taxonomy.js';
import { NOTICE_TOPICS, topicFor } from './catalogue.js';
import { csvCell, NoticeAggregator, noticeTable, renderNoticeCsv } from './notices.js';

function event(fields: Partial<FeedEvent>): FeedEvent {
  return {
    'feed.name': 'f',
    'time.observation': '2026-11-21T00:00:00.000Z',
    'time.source': '2026-11-20T10:00:00.000Z',
    'classification.taxonomy': 'vulnerable',
    'classification.type': 'ddos-amplifier',
    'classification.identifier': 'dns-open-resolver',
    ...fields,
  };
}

const m = (constituentId: string, constituent: number): ConstituentMatch => ({ constituentId, constituent, by: 'ip', on: 'x' });

function aggregate(items: [FeedEvent, ConstituentMatch][]) {
  const d = new Deduplicator();
  const a = new NoticeAggregator(d);
  for (const [e, match] of items) {
    const p = d.add(e);
    if (d.countOf(p) === 1) a.add(p, e, match);
  }
  return a.drafts();
}

describe('notice drafts', () => {
  it('group events per constituent and topic, with counts and times', () => {
    const drafts = aggregate([
      [event({ 'source.ip': '192.0.2.1', 'source.port': 53, 'extra': { dns_version: 'BIND 9' } }), m('b-org', 1)],
      [event({ 'source.ip': '192.0.2.1', 'source.port': 53, 'time.source': '2026-11-20T12:00:00.000Z' }), m('b-org', 1)],
      [event({ 'source.ip': '192.0.2.2', 'source.port': 53 }), m('b-org', 1)],
      [event({ 'source.ip': '198.51.100.1', 'classification.type': 'potentially-unwanted-accessible', 'classification.identifier': 'accessible-rdp' }), m('b-org', 1)],
      [event({ 'source.ip': '203.0.113.9', 'source.port': 53 }), m('a-org', 0)],
    ]);
    // In constituent order (as given to the matcher), then in the catalogue's topic order.
    expect(drafts.map((d) => [d.id, d.hosts.length, d.sightings])).toEqual([
      ['a-org/open-resolver', 1, 1],
      ['b-org/open-resolver', 2, 3],
      ['b-org/exposed-rdp', 1, 1],
    ]);
    const resolver = drafts[1]!;
    expect(resolver).toMatchObject({
      constituentId: 'b-org',
      types: ['ddos-amplifier'],
      identifiers: ['dns-open-resolver'],
      firstSeen: '2026-11-20T10:00:00.000Z',
      lastSeen: '2026-11-20T12:00:00.000Z',
    });
    expect(resolver.title['zh-TW']).toBe('開放式 DNS 遞迴解析服務');
    expect(resolver.hosts[0]!.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('render a CSV of affected hosts without columns nobody has', () => {
    const [draft] = aggregate([
      [event({ 'source.ip': '192.0.2.1', 'source.port': 53, 'source.asn': 64500, 'extra': { dns_version: 'BIND 9, "old"' } }), m('x', 0)],
      [event({ 'source.ip': '2001:db8::1', 'source.port': 53, 'time.source': '2026-11-20T11:00:00.000Z' }), m('x', 0)],
    ]);
    expect(renderNoticeCsv(draft!)).toBe(
      [
        'ip,port,asn,dns_version,type,first_seen,last_seen,sightings',
        '192.0.2.1,53,64500,"BIND 9, ""old""",dns-open-resolver,2026-11-20T10:00:00.000Z,2026-11-20T10:00:00.000Z,1',
        '2001:db8::1,53,,,dns-open-resolver,2026-11-20T11:00:00.000Z,2026-11-20T11:00:00.000Z,1',
        '',
      ].join('\r\n'),
    );
    expect(noticeTable(draft!).headers).toContain('dns_version');
  });

  it('keep spreadsheet formulas in feed data from running', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(42)).toBe('42');
    expect(csvCell(['a', 'b'])).toBe('"[""a"",""b""]"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('keep values holding the row separator intact', () => {
    const [draft] = aggregate([[event({ 'source.ip': '192.0.2.1', extra: { tag: 'a\u001fb' } }), m('x', 0)]]);
    expect(noticeTable(draft!).rows[0]).toContain('a b');
  });
});

describe('the catalogue', () => {
  it('explains every topic in both languages', () => {
    for (const t of NOTICE_TOPICS) {
      for (const text of [t.title, t.risk, t.fix]) {
        expect(text.en.length, t.id).toBeGreaterThan(10);
        expect(text['zh-TW'], t.id).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(t.columns.length, t.id).toBeGreaterThan(2);
    }
    expect(new Set(NOTICE_TOPICS.map((t) => t.id)).size).toBe(NOTICE_TOPICS.length);
  });

  it('covers the common kinds of issue', () => {
    const cases: [string, string | undefined, string][] = [
      ['ddos-amplifier', 'dns-open-resolver', 'open-resolver'],
      ['ddos-amplifier', 'open-ntp', 'ddos-amplifier'],
      ['potentially-unwanted-accessible', 'accessible-rdp', 'exposed-rdp'],
      ['potentially-unwanted-accessible', 'accessible-smb', 'exposed-smb'],
      ['potentially-unwanted-accessible', 'accessible-telnet', 'exposed-telnet'],
      ['potentially-unwanted-accessible', 'open-mongodb', 'exposed-database'],
      ['potentially-unwanted-accessible', 'exposed-iot', 'exposed-device'],
      ['potentially-unwanted-accessible', 'accessible-ics', 'exposed-device'],
      ['vulnerable-system', 'vulnerable-http', 'vulnerable-web'],
      ['weak-crypto', 'ssl-poodle', 'weak-tls'],
      ['infected-system', 'mirai', 'infected-host'],
      ['system-compromise', 'compromised-website', 'compromised-website'],
      ['unauthorised-information-modification', 'defacement', 'defacement'],
      ['phishing', 'phishing', 'phishing'],
      ['blacklist', 'spamhaus-drop', 'blocklisted'],
      ['brute-force', undefined, 'attacking-host'],
      ['undetermined', undefined, 'other'],
    ];
    for (const [type, identifier, topic] of cases) expect(topicFor(type, identifier).id, `${type}/${identifier}`).toBe(topic);
    // Every RSIT type leads to some topic.
    for (const types of Object.values(RSIT_TYPES)) for (const t of types) expect(topicFor(t, undefined)).toBeDefined();
  });
});
