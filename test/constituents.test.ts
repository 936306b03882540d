import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

interface Problem { field: string; code: string; message?: string }
interface ConstituentBody { id: string; name: string; netblocks: string[]; asns: number[]; domains: string[]; contacts: { id?: string; email: string; notifyMode: string }[] }

describe.each(testDialects())('constituents (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  let coordinator: Session;
  let analyst: Session;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await login(t, (await createUser(t, 'admin')).username);
    coordinator = await login(t, (await createUser(t, 'coordinator')).username);
    analyst = await login(t, (await createUser(t, 'analyst')).username);
  });
  afterAll(async () => t?.close());

  const contact = { name: '資安窗口', role: 'security', email: 'soc@example.gov.tw', language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [] };

  it('creates a constituent with normalised scope and contacts; coordinators write, analysts only read', async () => {
    const res = await as(t, coordinator, { method: 'POST', url: '/api/v1/constituents', payload: { name: '範例部會', sector: 'government', netblocks: ['192.0.2.0/24', '2001:DB8:0:0::/32', '198.51.100.7'], asns: ['AS64500', 64501], domains: ['Example.GOV.tw', '*.agency.gov.tw'], contacts: [contact] } });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<ConstituentBody>();
    expect(c.netblocks.sort()).toEqual(['192.0.2.0/24', '198.51.100.7/32', '2001:db8::/32'].sort());
    expect(c.asns).toEqual([64500, 64501]);
    expect(c.domains).toEqual(['agency.gov.tw', 'example.gov.tw']);
    expect(c.contacts.map((k) => k.email)).toEqual(['soc@example.gov.tw']);
    const denied = await as(t, analyst, { method: 'POST', url: '/api/v1/constituents', payload: { name: 'x', sector: 'government' } });
    expect(denied.statusCode).toBe(403);
    expect((await as(t, analyst, { method: 'GET', url: `/api/v1/constituents/${c.id}` })).json<ConstituentBody>().contacts).toHaveLength(1);
  });

  it('refuses malformed CIDRs, host bits, public suffixes and unknown sectors with field errors', async () => {
    const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '壞資料', sector: 'government', netblocks: ['192.0.2.300/24', '10.0.0.1/8'], asns: ['ASX'], domains: ['gov.tw', 'co.uk'] } });
    expect(res.statusCode).toBe(400);
    const details = res.json<{ error: { details: Problem[] } }>().error.details.map((d) => `${d.field}:${d.code}`);
    expect(details).toEqual(['netblocks[0]:invalid_cidr', 'netblocks[1]:cidr_host_bits_set', 'asns[0]:invalid_asn', 'domains[0]:domain_public_suffix', 'domains[1]:domain_public_suffix']);
    expect((await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: 'x', sector: 'martian' } })).statusCode).toBe(400);
    const count = await t.c.db.selectFrom('constituents').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', '壞資料').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('answers 409 naming the holder for a CIDR or domain held by another constituent; nested blocks are fine', async () => {
    const dup = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '另一機關', sector: 'government', netblocks: ['192.0.2.0/24'], domains: ['EXAMPLE.gov.tw'] } });
    expect(dup.statusCode).toBe(409);
    const err = dup.json<{ error: { code: string; details: Problem[] } }>().error;
    expect(err.code).toBe('constituent_scope_taken');
    expect(err.details.map((d) => d.field)).toEqual(['netblocks[0]', 'domains[0]']);
    expect(err.details[0]!.message).toContain('範例部會');
    const nested = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '子網路單位', sector: 'education', netblocks: ['192.0.2.128/25', '2001:db8:1::/48'], domains: ['sub.example.gov.tw'] } });
    expect(nested.statusCode, nested.body).toBe(201);
  });

  it('updates and deletes, audited', async () => {
    const c = (await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '暫時單位', sector: 'private', netblocks: ['203.0.113.0/28'] } })).json<ConstituentBody>();
    const up = await as(t, coordinator, { method: 'PATCH', url: `/api/v1/constituents/${c.id}`, payload: { netblocks: ['203.0.113.16/28'], contacts: [{ ...contact, email: 'it@example.com', notifyMode: 'daily' }] } });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<ConstituentBody>().netblocks).toEqual(['203.0.113.16/28']);
    expect(up.json<ConstituentBody>().contacts[0]!.notifyMode).toBe('daily');
    expect((await as(t, admin, { method: 'DELETE', url: `/api/v1/constituents/${c.id}` })).statusCode).toBe(204);
    expect((await as(t, admin, { method: 'GET', url: `/api/v1/constituents/${c.id}` })).statusCode).toBe(404);
    const actions = (await t.c.db.selectFrom('audit_log').select('action').where('target_id', '=', c.id).execute()).map((r) => r.action);
    expect(actions).toEqual(['constituent.create', 'constituent.update', 'constituent.delete']);
  });

  it('imports CSV all or nothing with line numbers, and round-trips through export', async () => {
    const bad = ['name,sector,partner,netblocks,asns,domains,contact_email', '好醫院,healthcare,,100.64.0.0/24;100.64.1.0/24,,hospital.org.tw,it@hospital.org.tw', '壞列,spaceship,,999.1.1.1/8,,com.tw,not-an-email', '衝突,private,,192.0.2.0/24,,,'].join('\n');
    const r1 = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: bad, headers: { 'content-type': 'text/csv' } });
    expect(r1.statusCode).toBe(400);
    const fields = r1.json<{ error: { details: Problem[] } }>().error.details.map((d) => `${d.field}:${d.code}`);
    expect(fields).toEqual(['line 3: sector:unknown_sector', 'line 3: netblocks[0]:invalid_cidr', 'line 3: domains[0]:domain_public_suffix', 'line 3: contact_email:invalid_email']);
    expect(await t.c.db.selectFrom('constituents').select('id').where('name', '=', '好醫院').executeTakeFirst()).toBeUndefined();

    const conflict = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: 'name,sector,netblocks\n衝突,private,192.0.2.0/24\n', headers: { 'content-type': 'text/csv' } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json<{ error: { details: Problem[] } }>().error.details[0]!.field).toBe('line 2: 192.0.2.0/24');

    const good = ['name,sector,partner,netblocks,asns,domains,contact_name,contact_email,contact_language,notify_mode,tlp_ceiling', '好醫院,healthcare,,100.64.0.0/24 100.64.1.0/24,AS64510,hospital.org.tw,資訊室,it@hospital.org.tw,zh-TW,weekly,GREEN', '範例大學,education,TACERT,2001:db8:beef::/48,,example.edu.tw,,,,,'].join('\r\n');
    const r2 = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: good, headers: { 'content-type': 'text/csv' } });
    expect(r2.statusCode, r2.body).toBe(200);
    expect(r2.json()).toEqual({ created: 2, updated: 0, rows: 2 });

    const exp = await as(t, analyst, { method: 'GET', url: '/api/v1/constituents/export.csv' });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('text/csv');
    expect(exp.body).toContain('好醫院,healthcare,,100.64.0.0/24 100.64.1.0/24,64510,hospital.org.tw,資訊室,security,it@hospital.org.tw,zh-TW,weekly,GREEN,');
    expect(exp.body).toContain('範例大學,education,TACERT,2001:db8:beef::/48');
    // Re-importing the export changes nothing but updates every row.
    // (Each constituent read whole: the list carries no contacts.)
    const all = async () => Promise.all((await as(t, admin, { method: 'GET', url: '/api/v1/constituents?limit=500' })).json<ConstituentBody[]>().map(async (c) => (await as(t, admin, { method: 'GET', url: `/api/v1/constituents/${c.id}` })).json<ConstituentBody>()));
    const before = await all();
    const again = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: exp.body, headers: { 'content-type': 'text/csv' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ created: number }>().created).toBe(0);
    const after = await all();
    const strip = (l: (ConstituentBody & { updatedAt?: string })[]) => l.map(({ updatedAt: _u, ...c }) => ({ ...c, contacts: c.contacts.map(({ id: _i, ...k }) => k) }));
    expect(strip(after)).toEqual(strip(before));
    expect(before.some((c) => c.contacts.length > 0)).toBe(true);
  });
  it('audits people reading contacts (one constituent, CSV export); lists carry only a count and write nothing', async () => {
    const reader = await login(t, (await createUser(t, 'analyst')).username);
    const entries = async (action: string) => t.c.db.selectFrom('audit_log').select(['actor_id', 'target_id', 'details']).where('action', '=', action).orderBy('seq').execute();
    // Entries about the two constituents made here (earlier tests read others).
    const readsOf = async () => (await entries('constituent.read_contacts')).filter((e) => e.target_id === withContacts.id || e.target_id === none.id);
    const allReads = (await entries('constituent.read_contacts')).length;
    const two = [{ ...contact, email: 'a@audit.example.tw' }, { ...contact, name: 'Night shift', email: 'b@audit.example.tw', language: 'en' }];
    const created = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '稽核測試單位', sector: 'private', netblocks: ['100.80.0.0/24'], contacts: two } });
    expect(created.statusCode, created.body).toBe(201);
    const withContacts = created.json<ConstituentBody>();
    // Whoever writes contacts gets them back; that is not a read.
    expect(withContacts.contacts).toHaveLength(2);
    const patched = await as(t, admin, { method: 'PATCH', url: `/api/v1/constituents/${withContacts.id}`, payload: { contacts: two.slice(0, 2) } });
    expect(patched.statusCode, patched.body).toBe(200);
    const none = (await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '無窗口單位', sector: 'private' } })).json<ConstituentBody>();
    expect(await readsOf()).toEqual([]);

    // The list (pickers, filters) has no contacts, only how many, and leaves no entry.
    const list = await as(t, reader, { method: 'GET', url: '/api/v1/constituents?limit=500' });
    expect(list.statusCode).toBe(200);
    const items = list.json<(ConstituentBody & { contactCount: number })[]>();
    expect(items.every((c) => c.contacts.length === 0)).toBe(true);
    expect(items.find((c) => c.id === withContacts.id)!.contactCount).toBe(2);
    expect(items.find((c) => c.id === none.id)!.contactCount).toBe(0);
    expect(list.body).not.toContain('a@audit.example.tw');
    expect(await entries('constituent.read_contacts')).toHaveLength(allReads);

    // Reading one constituent returns its contacts and records who read them.
    const one = await as(t, reader, { method: 'GET', url: `/api/v1/constituents/${withContacts.id}` });
    expect(one.json<ConstituentBody & { contactCount: number }>()).toMatchObject({ contactCount: 2, contacts: [{ email: 'a@audit.example.tw' }, { email: 'b@audit.example.tw' }] });
    // One without contacts reveals no personal data.
    expect((await as(t, reader, { method: 'GET', url: `/api/v1/constituents/${none.id}` })).statusCode).toBe(200);
    const reads = await readsOf();
    expect(reads).toHaveLength(1);
    expect(await entries('constituent.read_contacts')).toHaveLength(allReads + 1);
    expect(reads[0]).toMatchObject({ actor_id: reader.userId, target_id: withContacts.id });
    expect(JSON.parse(reads[0]!.details)).toEqual({ contacts: 2 });

    // The CSV export carries every contact: who took it, how many constituents and contacts.
    const exportsBefore = (await entries('constituent.export')).length;
    const csv = await as(t, reader, { method: 'GET', url: '/api/v1/constituents/export.csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('a@audit.example.tw');
    const exports = await entries('constituent.export');
    expect(exports).toHaveLength(exportsBefore + 1);
    const mine = exports.at(-1)!;
    expect(mine.actor_id).toBe(reader.userId);
    const details = JSON.parse(mine.details) as { count: number; contacts: number };
    expect(details.count).toBe(items.length);
    expect(details.contacts).toBeGreaterThanOrEqual(2);
    expect((await t.c.audit.verify()).ok).toBe(true);
  });
});
