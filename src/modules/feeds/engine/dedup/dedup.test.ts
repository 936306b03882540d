import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../event.js';
import { DAY_MS, dedupIdentity, dedupKeyOf, Deduplicator } from './dedup.js';

function sighting(time: string, fields: Partial<FeedEvent> = {}): FeedEvent {
  return {
    'feed.name': 'shadowserver-tw',
    'time.observation': '2026-11-21T00:00:00.000Z',
    'time.source': time,
    'classification.taxonomy': 'vulnerable',
    'classification.type': 'potentially-unwanted-accessible',
    'classification.identifier': 'accessible-rdp',
    'source.ip': '192.0.2.5',
    'source.port': 3389,
    ...fields,
  };
}

describe('Deduplicator', () => {
  it('merges sightings of the same source within a window, with count and first/last seen', () => {
    const d = new Deduplicator({ windowMs: DAY_MS });
    const a = d.add(sighting('2026-11-20T10:00:00.000Z'));
    const b = d.add(sighting('2026-11-20T02:00:00.000Z'));
    const c = d.add(sighting('2026-11-20T23:59:59.000Z'));
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d.state(a)).toMatchObject({ count: 3, firstSeen: '2026-11-20T02:00:00.000Z', lastSeen: '2026-11-20T23:59:59.000Z' });
    expect(d.duplicates).toBe(2);
    expect(d.size).toBe(1);
  });

  it('starts a new event in the next window (windows are aligned, not sliding)', () => {
    const d = new Deduplicator({ windowMs: DAY_MS });
    const a = d.add(sighting('2026-11-20T23:59:00.000Z'));
    const b = d.add(sighting('2026-11-21T00:01:00.000Z'));
    expect(b).not.toBe(a);
    expect(d.keyOf(b)).not.toBe(d.keyOf(a));
  });

  it('anchors windows where told (Taiwan days)', () => {
    const d = new Deduplicator({ windowMs: DAY_MS, originMs: Date.UTC(1970, 0, 1, -8) });
    // 23:00 and 01:00 UTC are 07:00 and 09:00 the next morning in Taipei: the same Taiwan day.
    const a = d.add(sighting('2026-11-20T23:00:00.000Z'));
    expect(d.add(sighting('2026-11-21T01:00:00.000Z'))).toBe(a);
    expect(d.add(sighting('2026-11-20T15:59:00.000Z'))).not.toBe(a);
    expect(d.windowStartOf(a)).toBe(Date.UTC(2026, 10, 20, 16));
  });

  it('supports short windows', () => {
    const d = new Deduplicator({ windowMs: 3_600_000 });
    const a = d.add(sighting('2026-11-20T10:05:00.000Z'));
    expect(d.add(sighting('2026-11-20T10:55:00.000Z'))).toBe(a);
    expect(d.add(sighting('2026-11-20T11:05:00.000Z'))).not.toBe(a);
  });

  it('keeps apart different feeds, types, identifiers, ports, URLs and owners (scope)', () => {
    const d = new Deduplicator();
    const t = '2026-11-20T10:00:00.000Z';
    const base = d.add(sighting(t));
    for (const other of [
      sighting(t, { 'feed.name': 'other-feed' }),
      sighting(t, { 'classification.type': 'vulnerable-system' }),
      sighting(t, { 'classification.identifier': 'accessible-smb' }),
      sighting(t, { 'source.port': 3390 }),
      sighting(t, { 'source.url': 'http://192.0.2.5/a' }),
    ]) {
      expect(d.add(other)).not.toBe(base);
    }
    expect(d.add(sighting(t), undefined, 'constituent-7')).not.toBe(base);
    expect(d.size).toBe(7);
  });

  it('uses the observation time when the source gives none', () => {
    const d = new Deduplicator();
    const e = sighting('x');
    delete e['time.source'];
    expect(d.state(d.add(e)).firstSeen).toBe('2026-11-21T00:00:00.000Z');
  });

  it('gives the same keys when the same input is processed again, in any order', () => {
    const input = ['2026-11-20T01:00:00.000Z', '2026-11-20T05:00:00.000Z', '2026-11-21T03:00:00.000Z'].flatMap((t) =>
      ['192.0.2.1', '192.0.2.2', '2001:db8::1'].map((ip) => sighting(t, { 'source.ip': ip })),
    );
    const run = (events: FeedEvent[]) => {
      const d = new Deduplicator();
      for (const e of events) d.add(e);
      return d.states().map((s) => `${s.key}:${s.count}:${s.firstSeen}:${s.lastSeen}`).sort();
    };
    const first = run(input);
    expect(run(input)).toEqual(first);
    expect(run([...input].reverse())).toEqual(first);
    expect(new Set(first.map((k) => k.split(':')[0])).size).toBe(6);
    expect(first[0]!.split(':')[0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives the key from documented identity text', () => {
    const d = new Deduplicator();
    const s = d.state(d.add(sighting('2026-11-20T10:00:00.000Z')));
    expect(dedupIdentity(sighting('2026-11-20T10:00:00.000Z'), Date.UTC(2026, 10, 20))).toBe(
      ['shadowserver-tw', 'potentially-unwanted-accessible', 'accessible-rdp', 'i192.0.2.5\u001f3389', String(Date.UTC(2026, 10, 20))].join('\u001f'),
    );
    expect(s.key).toHaveLength(64);
    expect(s.key).toBe(dedupKeyOf(dedupIdentity(sighting('2026-11-20T10:00:00.000Z'), Date.UTC(2026, 10, 20))));
  });

  it('refuses a window that is not positive', () => {
    expect(() => new Deduplicator({ windowMs: 0 })).toThrow(RangeError);
  });
});

describe('client-side sources', () => {
  it('ignore the ephemeral source port of an infected host, but not of a service', () => {
    const d = new Deduplicator();
    const t = '2026-11-20T10:00:00.000Z';
    const bot = { 'classification.taxonomy': 'malicious-code', 'classification.type': 'infected-system', 'classification.identifier': 'mirai' } as const;
    const a = d.add(sighting(t, { ...bot, 'source.port': 50123 }));
    expect(d.add(sighting(t, { ...bot, 'source.port': 50999 }))).toBe(a);
    expect(d.add(sighting(t, { ...bot, 'classification.identifier': 'andromeda' }))).not.toBe(a);
    const rdp = d.add(sighting(t, { 'source.port': 3389 }));
    expect(d.add(sighting(t, { 'source.port': 3390 }))).not.toBe(rdp);
  });
});
