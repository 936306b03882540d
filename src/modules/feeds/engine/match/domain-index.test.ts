import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOwnedDomain, DomainIndex, registrableDomain } from './domain-index.js';

/** The obvious lookup: walk up the labels with a Map, most specific first, not above the registrable domain. */
function reference(owned: Map<string, number>, host: string): number {
  const reg = registrableDomain(host);
  if (reg === null) return -1;
  for (let s = host; s.length >= reg.length; s = s.slice(s.indexOf('.') + 1)) {
    const v = owned.get(s);
    if (v !== undefined) return v;
    if (s.indexOf('.') < 0) break;
  }
  return -1;
}

describe('DomainIndex', () => {
  it('agrees with a label-by-label walk (property)', () => {
    const label = fc.constantFrom('a', 'b', 'www', 'moe', 'shop', 'example', 'x1');
    const suffix = fc.constantFrom('gov.tw', 'com.tw', 'edu.tw', 'co.uk', 'com', 'net', 'kawasaki.jp', 'ck');
    const name = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), suffix).map(([ls, sfx]) => `${ls.join('.')}.${sfx}`);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 30 }), fc.array(name, { minLength: 1, maxLength: 30 }), (domains, hosts) => {
        const index = new DomainIndex();
        const owned = new Map<string, number>();
        domains.forEach((d, i) => {
          const c = checkOwnedDomain(d);
          if ('problem' in c || owned.has(c.domain)) return;
          owned.set(c.domain, i);
          expect(index.add(c.domain, i)).toBeUndefined();
        });
        for (const h of [...hosts, ...domains]) expect(index.lookup(h), h).toBe(reference(owned, h));
      }),
      { numRuns: 300 },
    );
  });

  it('reports exact duplicates and keeps names retrievable', () => {
    const index = new DomainIndex();
    expect(index.add('moe.gov.tw', 7)).toBeUndefined();
    expect(index.add('moe.gov.tw', 8)).toBe(7);
    expect(index.lookup('www.moe.gov.tw')).toBe(7);
    expect(index.nameOf(0)).toBe('moe.gov.tw');
    expect(index.size).toBe(1);
  });

  it('refuses public suffixes as owned names', () => {
    for (const d of ['gov.tw', 'com.tw', 'co.uk', 'kawasaki.jp.', '*.co.uk']) expect(checkOwnedDomain(d), d).toEqual({ problem: 'public-suffix' });
    expect(checkOwnedDomain('*.Example.CO.UK')).toEqual({ domain: 'example.co.uk' });
    expect(checkOwnedDomain('not a domain')).toEqual({ problem: 'invalid' });
  });
});
