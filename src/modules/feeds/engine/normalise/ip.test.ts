import { isIP, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv6, newWords, normaliseIp, normaliseNetwork, parseCidr, parseIPv4, parseIPv6 } from './ip.js';

describe('IPv4', () => {
  it('parses dotted quads and rejects everything else', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('192.0.2.1')).toBe(0xc0000201);
    for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.04', '1..2.3', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', '']) {
      expect(parseIPv4(bad), bad).toBe(-1);
    }
  });

  it('agrees with node:net on random dotted text', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '007', 'x', ''));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 3, maxLength: 5 }), (parts) => {
        const s = parts.join('.');
        expect(parseIPv4(s) >= 0).toBe(isIP(s) === 4);
      }),
    );
  });
});

describe('IPv6', () => {
  it('writes RFC 5952 text', () => {
    const cases: [string, string][] = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['::', '::'],
      ['::1', '::1'],
      ['1::', '1::'],
      ['fe80::1:2', 'fe80::1:2'],
      ['2001:db8::0.0.2.1', '2001:db8::201'],
    ];
    for (const [input, canonical] of cases) expect(normaliseIp(input), input).toBe(canonical);
  });

  it('writes IPv4-mapped addresses as IPv4 and accepts brackets', () => {
    expect(normaliseIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normaliseIp('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(normaliseIp('[2001:db8::1]')).toBe('2001:db8::1');
  });

  it('rejects malformed addresses', () => {
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1:2', '1:2:', 'fe80::1%eth0', 'g::1', '::ffff:1.2.3', '']) {
      expect(normaliseIp(bad), bad).toBeUndefined();
    }
  });

  it('round-trips any 128-bit value and agrees with node:net', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 4, maxLength: 4 }), (ws) => {
        const text = formatIPv6(ws);
        expect(isIPv6(text)).toBe(true);
        const back = newWords();
        expect(parseIPv6(text, back)).toBe(true);
        expect(Array.from(back)).toEqual(ws);
      }),
    );
  });

  it('accepts exactly what node:net accepts among colon-hex strings', () => {
    const group = fc.oneof(fc.integer({ min: 0, max: 0xfffff }).map((n) => n.toString(16)), fc.constant(''));
    fc.assert(
      fc.property(fc.array(group, { minLength: 2, maxLength: 10 }), (groups) => {
        const s = groups.join(':');
        expect(parseIPv6(s, newWords()), s).toBe(isIPv6(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CIDR', () => {
  it('clears host bits and says so', () => {
    const c = parseCidr('10.1.2.3/8');
    expect(c).toMatchObject({ version: 4, prefix: 8, hostBitsSet: true, start: 0x0a000000, end: 0x0affffff });
    expect(normaliseNetwork('10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normaliseNetwork('2001:DB8:1::5/48')).toBe('2001:db8:1::/48');
    expect(normaliseNetwork('192.0.2.7')).toBe('192.0.2.7/32');
    expect(normaliseNetwork('::ffff:192.0.2.0/120')).toBe('192.0.2.0/24');
    expect(normaliseNetwork('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it('rejects bad prefixes', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '2001:db8::/129', '10.0.0/8', 'x/8']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});
