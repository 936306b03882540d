/**
 * Event retention: off by default; when set, the daily `events.purge` run deletes events last seen
 * before the cutoff with their sightings, keeps newer ones and every notice (with its CSV), and a
 * retention shorter than the deduplication window is refused at start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { as, buildTestApp, createUser, login, reportBody, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';
import { drain } from './malware.helpers.js';

describe.each(testDialects())('event retention (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let adminName = '';
  let feed = '';
  const importAt = async (iso: string, ip: string) => {
    t.clock.set(iso);
    admin = await login(t, adminName); // sessions expire when the clock jumps
    const csv = `${SCAN_HTTP_HEADER}\n${scanHttpRow(iso.replace('T', ' ').slice(0, 19), ip)}\n`;
    expect((await upload(t, admin, feed, `${iso.slice(0, 10)}-scan_http-taiwan-geo.csv`, csv)).statusCode).toBe(202);
    await drain(t);
  };

  beforeAll(async () => {
    t = await buildTestApp(dialect, { env: { TOCSIN_EVENT_RETENTION_DAYS: '30' } });
    adminName = (await createUser(t, 'admin')).username;
    admin = await login(t, adminName);
    const contact = { name: 'SOC', role: 'security', email: 'soc@retain.example.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] };
    expect((await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: 'Retention Ltd', sector: 'private', netblocks: ['198.18.0.0/24'], contacts: [contact] } })).statusCode).toBe(201);
    feed = (await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' } })).json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  it('deletes events last seen before the cutoff with their sightings, and keeps newer events and every notice', async () => {
    await importAt('2026-09-01T01:00:00.000Z', '198.18.0.1');
    await importAt('2026-11-10T01:00:00.000Z', '198.18.0.2');
    const ids = await t.c.db.selectFrom('events').select(['id', 'source_ip']).orderBy('source_ip').execute();
    expect(ids.map((r) => r.source_ip)).toEqual(['198.18.0.1', '198.18.0.2']);
    const noticesBefore = await t.c.db.selectFrom('notices').select(['id', 'csv']).orderBy('id').execute();
    expect(noticesBefore).toHaveLength(2);

    t.clock.set('2026-11-20T00:00:00.000Z');
    expect(await t.c.eventRetention.purge()).toBe(1);
    expect((await t.c.db.selectFrom('events').select('source_ip').execute()).map((r) => r.source_ip)).toEqual(['198.18.0.2']);
    expect(await t.c.db.selectFrom('event_imports').select('event_id').where('event_id', '=', ids[0]!.id).execute()).toHaveLength(0);
    expect(await t.c.db.selectFrom('notices').select(['id', 'csv']).orderBy('id').execute()).toEqual(noticesBefore);
    const audit = await t.c.db.selectFrom('audit_log').select('details').where('action', '=', 'events.purge').execute();
    expect(audit).toHaveLength(1);
    expect(await t.c.eventRetention.purge()).toBe(0); // nothing more, no second entry
    expect(await t.c.db.selectFrom('audit_log').select('seq').where('action', '=', 'events.purge').execute()).toHaveLength(1);
  });

  it('runs daily as a periodic job', async () => {
    expect(t.c.queue.laneOf('events.purge')).toBe('bulk');
    await t.c.queue.ensurePeriodic();
    expect(await t.c.db.selectFrom('jobs').select('name').where('name', '=', 'events.purge').execute()).toHaveLength(1);
  });
});

describe.each(testDialects())('feed file retention (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let adminName = '';
  let feed = '';
  const csvOf = (ip: string) => `${SCAN_HTTP_HEADER}\n${scanHttpRow('2027-01-01 01:00:00', ip)}\n`;
  const importAt = async (iso: string, csv: string) => {
    t.clock.set(iso);
    admin = await login(t, adminName);
    const res = await upload(t, admin, feed, '2027-01-01-scan_http-taiwan-geo.csv', csv);
    expect(res.statusCode).toBe(202);
    await drain(t);
    return (await t.c.db.selectFrom('feed_imports').select('blob_sha256').where('id', '=', res.json<{ id: string }>().id).executeTakeFirstOrThrow()).blob_sha256;
  };

  beforeAll(async () => {
    t = await buildTestApp(dialect, { env: { TOCSIN_FEED_FILE_RETENTION_DAYS: '30' } });
    adminName = (await createUser(t, 'admin')).username;
    admin = await login(t, adminName);
    feed = (await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' } })).json<{ id: string }>().id;
  });
  afterAll(async () => t?.close());

  // The files are written now (real time); the clock is set beyond now + 30 days so they count as old.
  it('deletes the files of imports finished before the cutoff that nothing else needs', async () => {
    const alone = await importAt('2027-01-01T01:00:00.000Z', csvOf('198.18.1.1'));
    const attached = await importAt('2027-01-01T01:00:00.000Z', csvOf('198.18.1.2'));
    const again = await importAt('2027-01-01T01:00:00.000Z', csvOf('198.18.1.3'));
    expect(await importAt('2027-05-20T01:00:00.000Z', csvOf('198.18.1.3'))).toBe(again); // the same bytes, imported again lately
    // The same bytes as a report's attachment (a reporter forwarded the feed file).
    const report = (await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: reportBody() })).json<{ id: string }>();
    await t.c.db.insertInto('attachments').values({ id: crypto.randomUUID(), report_id: report.id, filename: 'feed.csv', content_type: 'text/csv', size: 1, sha256: attached, uploaded_by: 'reporter', created_at: '2027-01-01T01:00:00.000Z' }).execute();

    t.clock.set('2027-06-01T00:00:00.000Z');
    expect(await t.c.eventRetention.purgeFiles()).toBe(1);
    expect(await t.c.blobs.exists(alone)).toBe(false);
    expect(await t.c.blobs.exists(attached)).toBe(true);
    expect(await t.c.blobs.exists(again)).toBe(true);
    expect(await t.c.db.selectFrom('audit_log').select('seq').where('action', '=', 'feed.files_purge').execute()).toHaveLength(1);
    expect(await t.c.eventRetention.purgeFiles()).toBe(0);
  });

  it('keeps a blob written after the cutoff, whatever the rows say', async () => {
    const sha = await importAt('2027-01-01T01:00:00.000Z', csvOf('198.18.1.9'));
    expect(await t.c.blobs.removeIfOlder(sha, new Date(Date.now() - 60_000))).toBe(false);
    expect(await t.c.blobs.exists(sha)).toBe(true);
  });
});

describe('event retention settings', () => {
  const base = {};
  it('is off by default, and may not be shorter than the deduplication window', () => {
    expect(loadConfig(base).feeds.eventRetentionDays).toBe(0);
    expect(loadConfig({ ...base, TOCSIN_EVENT_RETENTION_DAYS: '400' }).feeds.eventRetentionDays).toBe(400);
    expect(() => loadConfig({ ...base, TOCSIN_EVENT_RETENTION_DAYS: '2', TOCSIN_FEED_DEDUP_WINDOW_HOURS: '72' })).toThrow(/TOCSIN_EVENT_RETENTION_DAYS \(2\) must be at least the deduplication window/);
    expect(() => loadConfig({ ...base, TOCSIN_EVENT_RETENTION_DAYS: '-1' })).toThrow(ConfigError);
  });
});
