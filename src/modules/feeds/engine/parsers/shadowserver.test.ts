import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, OBSERVED_AT, parseFixture } from '../fixtures/fixtures.js';
import { collectFeed } from './run.js';
import { createShadowserverParser } from './shadowserver.js';
import { findReport, reportTokenOfFileName, SHADOWSERVER_REPORTS } from './shadowserver-reports.js';
import { FeedConfigError, FeedFormatError } from './types.js';
import { topicFor } from '../aggregate/catalogue.js';

const parser = createShadowserverParser();
const dir = 'shadowserver';

describe('Shadowserver reports', () => {
  it('maps an Accessible HTTP report by header name, extra columns included', async () => {
    const r = await parseFixture(parser, `${dir}/2026-11-20-scan_http-taiwan-geo.csv`);
    expect(r.rejected).toEqual([]);
    expect(r.events.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(r.events[0]!.event).toMatchObject({
      'feed.name': 'test-feed',
      'feed.provider': 'Shadowserver',
      'time.observation': OBSERVED_AT,
      'time.source': '2026-11-20T00:01:12.000Z',
      'classification.taxonomy': 'vulnerable',
      'classification.type': 'vulnerable-system',
      'classification.identifier': 'accessible-http',
      'source.ip': '192.0.2.10',
      'source.port': 80,
      'source.reverse_dns': 'host10.example.com.tw',
      'source.asn': 64500,
      'source.geolocation.cc': 'TW',
      'protocol.transport': 'tcp',
      'protocol.application': 'http',
      extra: { server: 'Apache/2.2.15 (CentOS)', sector: 'Communications, Service Provider, and Hosting Service', report: 'scan_http' },
    });
    // Escaped quotes inside a quoted field, and an IPv6 source written canonically.
    expect(r.events[1]!.event.extra!.www_authenticate).toBe('Basic realm="Broadband Router"');
    expect(r.events[2]!.event['source.ip']).toBe('2001:db8:10::5');
  });

  it('rejects a row with an impossible address, with its line, and keeps the others', async () => {
    const r = await parseFixture(parser, `${dir}/2026-11-20-scan_rdp-taiwan-geo.csv`);
    expect(r.events.map((e) => e.event['source.ip'])).toEqual(['203.0.113.5', '203.0.113.6']);
    expect(r.rejected).toEqual([expect.objectContaining({ line: 4, reason: 'invalid source.ip "999.0.113.7"' })]);
    expect(r.events[0]!.event).toMatchObject({ 'classification.type': 'potentially-unwanted-accessible', 'classification.identifier': 'accessible-rdp' });
  });

  it('reads CRLF files and files with a byte order mark', async () => {
    const smb = await parseFixture(parser, `${dir}/2026-11-20-scan_smb-taiwan-geo.csv`);
    expect(smb.rejected).toEqual([]);
    expect(smb.events.map((e) => e.event.extra!.smb_version_string)).toEqual(['SMB 1.0', 'SMB 3.1.1']);
    const dns = await parseFixture(parser, `${dir}/2026-11-20-scan_dns-taiwan-geo.csv`);
    expect(dns.rejected).toEqual([]);
    expect(dns.events.map((e) => e.event['source.ip'])).toEqual(['198.51.100.53', '198.51.100.54', '2001:db8:53::1']);
    expect(dns.events[0]!.event).toMatchObject({ 'classification.type': 'ddos-amplifier', 'classification.identifier': 'dns-open-resolver', 'protocol.transport': 'udp' });
  });

  it('maps the event family (sinkhole) with destinations and the malware as identifier', async () => {
    const r = await parseFixture(parser, `${dir}/2026-11-20-event4_sinkhole-taiwan-geo.csv`);
    expect(r.rejected).toEqual([]);
    expect(r.events[1]!.event).toMatchObject({
      'classification.type': 'infected-system',
      'classification.taxonomy': 'malicious-code',
      'classification.identifier': 'mirai',
      'malware.name': 'mirai',
      'source.ip': '203.0.113.78',
      'source.port': 50000,
      'destination.ip': '198.18.0.11',
      'destination.port': 443,
      extra: { device_vendor: 'Netgear', tag: 'mirai;iot' },
    });
  });

  it('maps the legacy botnet drone report', async () => {
    const r = await parseFixture(parser, `${dir}/2026-11-20-botnet_drone-taiwan.csv`);
    expect(r.events[0]!.event).toMatchObject({
      'malware.name': 'conficker',
      'destination.ip': '198.18.1.1',
      'destination.fqdn': 'c2.example.net',
      'protocol.transport': 'tcp',
    });
  });

  it('builds the URL of a compromised website from host and path (even from a request line)', async () => {
    const r = await parseFixture(parser, `${dir}/2026-11-20-compromised_website-taiwan.csv`);
    expect(r.events.map((e) => [e.event['source.url'], e.event['source.fqdn']])).toEqual([
      ['http://www.shop.example.com.tw/wp-content/uploads/shell.php', 'www.shop.example.com.tw'],
      ['https://blog.example.org.tw/index.php?p=1', 'blog.example.org.tw'],
    ]);
    expect(r.events[0]!.event['classification.type']).toBe('system-compromise');
  });

  it('gives identical events whatever the chunk size', async () => {
    for (const f of readdirSync(fixturePath(dir))) {
      const small = await parseFixture(parser, `${dir}/${f}`, 3);
      const whole = await collectFeed(parser, [readFileSync(fixturePath(`${dir}/${f}`))], { feedName: 'test-feed', observedAt: OBSERVED_AT, fileName: f });
      expect(JSON.stringify(small), f).toBe(JSON.stringify(whole));
    }
  });

  it('recognises report types from file names, including IPv6 variants and aliases', () => {
    expect(reportTokenOfFileName('2026-11-20-scan_rdp-taiwan-geo_tw.csv')).toBe('scan_rdp');
    expect(reportTokenOfFileName('/tmp/x/2026-11-20-scan6_dns-taiwan.csv.gz')).toBe('scan6_dns');
    expect(findReport('scan6_dns')?.key).toBe('scan_dns');
    expect(findReport('event6_sinkhole')?.key).toBe('event4_sinkhole');
    expect(findReport('drone')?.key).toBe('botnet_drone');
    expect(findReport('no_such_report')).toBeUndefined();
  });

  it('has a notice topic other than the generic one for every report type', () => {
    for (const [key, report] of Object.entries(SHADOWSERVER_REPORTS)) {
      // Infection reports leave the identifier to the malware family; their type picks the topic.
      expect(topicFor(report.type, report.identifier).id, key).not.toBe('other');
    }
  });

  it('refuses to guess an unknown report, and fails a file without the required columns as a whole', async () => {
    await expect(collectFeed(parser, ['a,b\n1,2\n'], { feedName: 'f', observedAt: OBSERVED_AT, fileName: '2026-11-20-scan_unknown-x.csv' })).rejects.toThrow(FeedConfigError);
    expect(() => createShadowserverParser({ reportType: 'nope' })).toThrow(FeedConfigError);
    await expect(collectFeed(parser, ['timestamp,port\n2026-11-20 00:00:00,80\n'], { feedName: 'f', observedAt: OBSERVED_AT, fileName: 'scan_rdp.csv' })).rejects.toThrow(FeedFormatError);
  });

  it('supports a new report type through a mapping only', async () => {
    const custom = createShadowserverParser({
      reports: { scan_fancy_iot: { name: 'Fancy IoT', family: 'scan', type: 'potentially-unwanted-accessible', identifier: 'accessible-fancy', application: 'fancy' } },
    });
    const r = await collectFeed(custom, ['"timestamp","ip","port","fancy_version"\n"2026-11-20 00:00:00","192.0.2.1",9999,"1.2"\n'], {
      feedName: 'f',
      observedAt: OBSERVED_AT,
      fileName: '2026-11-20-scan_fancy_iot-tw.csv',
    });
    expect(r.events[0]!.event).toMatchObject({ 'classification.identifier': 'accessible-fancy', 'protocol.application': 'fancy', extra: { fancy_version: '1.2' } });
  });
});
