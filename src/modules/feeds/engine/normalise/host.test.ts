import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostOfCanonicalUrl, normaliseFqdn, normaliseUrl, parseUrl, refang } from './host.js';
import { parseIsoLike, parseTime, toIso } from './time.js';
import { CONVERTERS } from './convert.js';

describe('FQDN', () => {
  it('lower-cases, strips the root dot and writes IDNs in punycode', () => {
    expect(normaliseFqdn('WWW.Example.COM.TW.')).toBe('www.example.com.tw');
    // The WHATWG URL parser is the oracle for IDN → punycode.
    expect(normaliseFqdn('教育部.政府.台灣')).toBe(new URL('http://教育部.政府.台灣/').hostname);
    expect(normaliseFqdn('教育部.政府.台灣')).toMatch(/^xn--[a-z0-9]+\.xn--mxtq1m\.xn--kpry57d$/);
    expect(normaliseFqdn('_dmarc.example.com')).toBe('_dmarc.example.com');
  });

  it('refuses addresses, single labels and bad syntax', () => {
    for (const bad of ['192.0.2.1', 'localhost', 'bad host.example', '-a.example.com', 'a-.example.com', 'a..b', `${'a'.repeat(64)}.com`, '']) {
      expect(normaliseFqdn(bad), bad).toBeUndefined();
    }
  });
});

describe('URL', () => {
  it('canonicalises scheme, host and port, keeping the path', () => {
    const cases: [string, string][] = [
      ['HTTP://WWW.Example.COM.tw/A/B?C=D#E', 'http://www.example.com.tw/A/B?C=D#E'],
      ['https://www.example.co.uk:443/x', 'https://www.example.co.uk/x'],
      ['http://www.example.co.uk:8080', 'http://www.example.co.uk:8080/'],
      ['example.com.tw/login', 'http://example.com.tw/login'],
      ['//cdn.example.net/a.js', 'http://cdn.example.net/a.js'],
      ['http://[2001:DB8::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
      ['http://user:pw@Example.com/', 'http://user:pw@example.com/'],
      ['http://例子.台灣/路徑', `http://${new URL('http://例子.台灣/').hostname}/路徑`],
      ['http://example.com?q=1', 'http://example.com/?q=1'],
      ['http://192.0.2.1:80/a', 'http://192.0.2.1/a'],
    ];
    for (const [input, canonical] of cases) expect(normaliseUrl(input), input).toBe(canonical);
  });

  it('returns a canonical URL unchanged (the same string)', () => {
    const u = 'https://www.example.com.tw/path?q=1';
    expect(normaliseUrl(u)).toBe(u);
  });

  it('refuses what is not a URL', () => {
    for (const bad of ['', 'http://', 'http://exa mple.com/', 'http://example.com:99999/', 'http://[::1/', 'http://example.com/a\u0000b', 'ht tp://x.com']) {
      expect(normaliseUrl(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('reports the host, and finds it again in the canonical text', () => {
    expect(parseUrl('http://[2001:db8::1]/')).toMatchObject({ host: '2001:db8::1', hostIsIp: true });
    expect(parseUrl('http://192.0.2.1/')).toMatchObject({ host: '192.0.2.1', hostIsIp: true });
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (u) => {
        const p = parseUrl(u);
        if (p === undefined) return;
        expect(hostOfCanonicalUrl(p.url)).toBe(p.host);
        // Canonicalisation is idempotent.
        expect(normaliseUrl(p.url)).toBe(p.url);
      }),
    );
  });

  it('undoes defanging', () => {
    expect(refang('hxxps://evil[.]example[.]com/x')).toBe('https://evil.example.com/x');
    expect(refang('hXXp://a(.)b[:]8080/')).toBe('http://a.b:8080/');
    expect(refang('http://plain.example/')).toBe('http://plain.example/');
  });
});

describe('time', () => {
  it('reads the common feed formats as UTC unless a zone is given', () => {
    const t = Date.UTC(2026, 10, 20, 3, 12, 45);
    expect(parseTime('2026-11-20 03:12:45')).toBe(t);
    expect(parseTime('2026-11-20T03:12:45Z')).toBe(t);
    expect(parseTime('2026-11-20T11:12:45+08:00')).toBe(t);
    expect(parseTime('2026-11-20T11:12:45+0800')).toBe(t);
    expect(parseTime('2026-11-20 03:12:45 UTC')).toBe(t);
    expect(parseTime('2026/11/20 03:12:45')).toBe(t);
    expect(parseTime('2026-11-20T03:12:45.123456')).toBe(t + 123);
    expect(parseTime('Fri, 20 Nov 2026 03:12:45 GMT')).toBe(t);
    expect(parseTime('2026-11-20')).toBe(Date.UTC(2026, 10, 20));
  });

  it('refuses impossible or zone-less free text', () => {
    for (const bad of ['2026-02-30 00:00:00', '2026-13-01', '2026-11-20 24:00:00', 'yesterday', '20 Nov 2026 03:12', '1969-12-31']) {
      expect(parseTime(bad), bad).toBeNaN();
    }
  });

  it('writes ISO text exactly as Date does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2199, 11, 31) }), (ms) => {
        expect(toIso(ms)).toBe(new Date(ms).toISOString());
        expect(parseIsoLike(toIso(ms)!)).toBe(ms);
      }),
    );
    expect(CONVERTERS.epoch('1795046400')).toBe(new Date(1795046400_000).toISOString());
  });
});

describe('converters', () => {
  it('normalise ports, ASNs and country codes', () => {
    expect(CONVERTERS.port('443')).toBe(443);
    expect(CONVERTERS.port('65536')).toBeUndefined();
    expect(CONVERTERS.asn('AS3462')).toBe(3462);
    expect(CONVERTERS.asn('as3462')).toBe(3462);
    expect(CONVERTERS.asn('0')).toBeNull();
    expect(CONVERTERS.asn('ASX')).toBeUndefined();
    expect(CONVERTERS.cc('tw')).toBe('TW');
    expect(CONVERTERS.cc('-')).toBeNull();
    expect(CONVERTERS.cc('TWN')).toBeUndefined();
    expect(CONVERTERS.bool('Yes')).toBe(true);
    expect(CONVERTERS.type('Phishing')).toBe('phishing');
    expect(CONVERTERS.type('defacement')).toBeUndefined();
  });
});
