import { describe, expect, it } from 'vitest';
import { normaliseCidr, normaliseDomain, normaliseIp, normaliseUrl, parseAsset } from './net.js';

describe('net normalisation', () => {
  it('canonicalises IPv4 and IPv6', () => {
    expect(normaliseIp(' 192.0.2.1 ')).toBe('192.0.2.1');
    expect(normaliseIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normaliseIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normaliseIp('::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(normaliseIp('::')).toBe('::');
    expect(normaliseIp('256.1.1.1')).toBeNull();
    expect(normaliseIp('01.2.3.4')).toBeNull();
    expect(normaliseIp('example.com')).toBeNull();
  });

  it('clears host bits of CIDRs', () => {
    expect(normaliseCidr('192.0.2.77/24')).toBe('192.0.2.0/24');
    expect(normaliseCidr('10.1.2.3/0')).toBe('0.0.0.0/0');
    expect(normaliseCidr('2001:db8::ff/64')).toBe('2001:db8::/64');
    expect(normaliseCidr('2001:db8:1234:5678::/33')).toBe('2001:db8::/33');
    expect(normaliseCidr('192.0.2.0/33')).toBeNull();
    expect(normaliseCidr('192.0.2.0/x')).toBeNull();
  });

  it('normalises domains including IDN', () => {
    expect(normaliseDomain('WWW.Example.COM.')).toBe('www.example.com');
    expect(normaliseDomain('政府.tw')).toBe('xn--mxtq1m.tw');
    expect(normaliseDomain('localhost')).toBeNull();
    expect(normaliseDomain('-bad-.com')).toBeNull();
    expect(normaliseDomain('a b.com')).toBeNull();
    expect(normaliseDomain('1.2.3.4')).toBeNull();
  });

  it('normalises URLs and rejects other schemes', () => {
    expect(normaliseUrl('HTTP://Example.COM/a?b=1')).toBe('http://example.com/a?b=1');
    expect(normaliseUrl('javascript://alert(1)')).toBeNull();
    expect(normaliseUrl('http://')).toBeNull();
    expect(normaliseUrl('https://[2001:db8::1]/x')).toBe('https://[2001:db8::1]/x');
  });

  it('classifies assets', () => {
    expect(parseAsset('203.0.113.9')).toEqual({ kind: 'ip', value: '203.0.113.9' });
    expect(parseAsset('203.0.113.9/30')).toEqual({ kind: 'cidr', value: '203.0.113.8/30' });
    expect(parseAsset('https://phish.example.com.tw/login')).toEqual({ kind: 'url', value: 'https://phish.example.com.tw/login' });
    expect(parseAsset('Mail.Example.org')).toEqual({ kind: 'domain', value: 'mail.example.org' });
    expect(parseAsset("' OR 1=1 --")).toBeNull();
    expect(parseAsset('<script>')).toBeNull();
  });
});
