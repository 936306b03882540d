/**
 * Contacts keep their identity across edits (notices name them by id): by id when the edit carries it,
 * else by address; the CSV carries every contact (one row per contact) and imports back unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, buildTestApp, createUser, login, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

interface ContactBody { id: string; email: string; name: string; notifyMode: string }
interface ConstituentBody { id: string; name: string; netblocks: string[]; domains: string[]; contacts: ContactBody[] }
const contact = (email: string, extra: Record<string, unknown> = {}) => ({ name: email.split('@')[0], role: 'security', email, language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [], ...extra });

describe.each(testDialects())('constituent contacts (%s)', (dialect) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    admin = await login(t, (await createUser(t, 'admin')).username);
  });
  afterAll(async () => t?.close());

  const get = async (id: string) => (await as(t, admin, { method: 'GET', url: `/api/v1/constituents/${id}` })).json<ConstituentBody>();
  const patch = (id: string, payload: Record<string, unknown>) => as(t, admin, { method: 'PATCH', url: `/api/v1/constituents/${id}`, payload });

  it('keeps a contact’s id when it is edited by id or by address, and refuses ids of other constituents', async () => {
    const created = (await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '範例銀行', sector: 'finance', contacts: [contact('soc@bank.example.tw'), contact('ciso@bank.example.tw')] } })).json<ConstituentBody>();
    const [soc, ciso] = created.contacts;
    // By id: a changed address keeps the contact.
    const byId = await patch(created.id, { contacts: [{ ...contact('soc-team@bank.example.tw'), id: soc!.id }, contact('ciso@bank.example.tw', { notifyMode: 'weekly' })] });
    expect(byId.statusCode, byId.body).toBe(200);
    const after = byId.json<ConstituentBody>().contacts;
    expect(after.map((c) => [c.id, c.email, c.notifyMode])).toEqual([[soc!.id, 'soc-team@bank.example.tw', 'immediate'], [ciso!.id, 'ciso@bank.example.tw', 'weekly']]);
    // Reordered, one removed, one added: the kept one keeps its id, the new one gets a new id.
    const third = (await patch(created.id, { contacts: [contact('noc@bank.example.tw'), contact('CISO@bank.example.tw')] })).json<ConstituentBody>().contacts;
    expect(third[1]!.id).toBe(ciso!.id);
    expect([soc!.id, ciso!.id]).not.toContain(third[0]!.id);
    expect(await t.c.db.selectFrom('constituent_contacts').select('id').where('id', '=', soc!.id).executeTakeFirst()).toBeUndefined();

    const other = (await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '另一家', sector: 'private', contacts: [contact('it@other.example')] } })).json<ConstituentBody>();
    const stolen = await patch(created.id, { contacts: [{ ...contact('x@bank.example.tw'), id: other.contacts[0]!.id }] });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json<{ error: { details: unknown[] } }>().error.details).toEqual([{ field: 'contacts[0].id', code: 'unknown_contact', message: other.contacts[0]!.id }]);
    expect((await get(created.id)).contacts.map((c) => c.id)).toEqual(third.map((c) => c.id)); // rolled back
  });

  it('exports one row per contact and imports it back without changing anyone’s id', async () => {
    const csv = [
      'name,sector,partner,netblocks,asns,domains,contact_name,contact_email,contact_language,notify_mode,tlp_ceiling',
      '多聯絡人公司,private,,198.19.0.0/24,,multi.example.tw,資訊室,it@multi.example.tw,zh-TW,immediate,AMBER',
      '多聯絡人公司,,,198.19.1.0/24,,,資安長,ciso@multi.example.tw,en,daily,GREEN',
    ].join('\n');
    const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 1, updated: 0, rows: 2 });
    const id = (await as(t, admin, { method: 'GET', url: `/api/v1/constituents?q=${encodeURIComponent('多聯絡人')}` })).json<{ id: string }[]>()[0]!.id;
    const before = await get(id);
    expect(before.netblocks.sort()).toEqual(['198.19.0.0/24', '198.19.1.0/24']);
    expect(before.contacts.map((c) => c.email)).toEqual(['it@multi.example.tw', 'ciso@multi.example.tw']);

    const exp = (await as(t, admin, { method: 'GET', url: '/api/v1/constituents/export.csv' })).body;
    const rows = exp.split('\r\n').filter((l) => l.startsWith('多聯絡人公司'));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^多聯絡人公司,private,,,,,資安長,security,ciso@multi\.example\.tw,en,daily,GREEN,$/);
    const again = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: exp, headers: { 'content-type': 'text/csv' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<{ created: number }>().created).toBe(0);
    const after = await get(id);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.netblocks.sort()).toEqual(before.netblocks.sort());

    // A later row that contradicts the first, or repeats a contact, is refused at its line.
    const clash = ['name,sector,contact_email', '多聯絡人公司,private,a@multi.example.tw', '多聯絡人公司,government,b@multi.example.tw', '多聯絡人公司,,A@multi.example.tw'].join('\n');
    const refused = await as(t, admin, { method: 'POST', url: '/api/v1/constituents/import', payload: clash, headers: { 'content-type': 'text/csv' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { details: { field: string; code: string }[] } }>().error.details.map((d) => `${d.field}:${d.code}`)).toEqual(['line 3: sector:differs_from_first_row', 'line 4: contact_email:duplicate_contact']);
  });

  it('names a taken netblock by its position in the list as sent', async () => {
    await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '持有者', sector: 'private', netblocks: ['198.51.100.0/24'] } });
    // Line 3 repeats line 1 in another spelling: the cleaned-up list is shorter than what was sent.
    const res = await as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { name: '後來者', sector: 'private', netblocks: ['203.0.113.0/25', '2001:db8:1::/48', '2001:0db8:0001:0000::/48', '198.51.100.0/24'] } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field)).toEqual(['netblocks[3]']);
  });
});
