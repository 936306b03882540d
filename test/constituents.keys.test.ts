/**
 * Contacts' PGP keys: a key saved with a constituent's contact must be readable, usable and carry the
 * contact's address; it goes into the team's key store, so the notices mailed to that contact leave
 * encrypted (multipart/encrypted, through the real outbox and an SMTP sink standing in for the relay).
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerValue, parseHeaderBlock } from '../src/lib/pgp.js';
import type { Actor } from '../src/modules/auth/policy.js';
import { startSmtpSink, waitFor, type SmtpSink } from '../src/modules/mail/testing/smtp-sink.js';
import { as, buildTestApp, createUser, login, TestClock, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';
import { SCAN_HTTP_HEADER, scanHttpRow, upload } from './feeds.helpers.js';
import { drain } from './malware.helpers.js';

const SYSTEM: Actor = { kind: 'system', component: 'test' };
const TEAM = 'cert@cert.example.tw';
const contact = (email: string, pgpKey?: string) => ({ name: 'SOC', role: 'security', email, language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'AMBER', eventTypes: [], ...(pgpKey ? { pgpKey } : {}) });

describe.each(testDialects())('constituent contact keys (%s)', (dialect) => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  const publicKey = async (email: string) => (await openpgp.generateKey({ userIDs: [{ name: 'SOC', email }], format: 'armored' })).publicKey;

  beforeAll(async () => {
    sink = await startSmtpSink();
    const clock = new TestClock(Date.now()); // keys and signatures are made at real time
    t = await buildTestApp(dialect, { clock, env: { TOCSIN_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, TOCSIN_PGP_PASSPHRASE: 'contact keys test passphrase' } });
    await t.c.settings.update(SYSTEM, { email: TEAM });
    await t.c.mail.keys.generateTeam(SYSTEM, { name: 'TWCERT/CC', email: TEAM });
    admin = await login(t, (await createUser(t, 'admin')).username);
    clock.set(new Date(Date.now() + 1000).toISOString()); // the generated keys exist "now"
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const create = (payload: Record<string, unknown>) => as(t, admin, { method: 'POST', url: '/api/v1/constituents', payload: { sector: 'private', ...payload } });
  const problems = (res: { json: <T>() => T }) => res.json<{ error: { details: { field: string; code: string; message?: string }[] } }>().error.details;

  it('refuses keys that are unreadable, more than one, or for another address, at the contact field', async () => {
    const garbage = await create({ name: 'Garbage key', contacts: [contact('soc@garbage.example'), contact('it@garbage.example', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n')] });
    expect(garbage.statusCode, garbage.body).toBe(400);
    expect(problems(garbage)).toEqual([{ field: 'contacts[1].pgpKey', code: 'pgp_key_unreadable' }]);
    const other = await create({ name: 'Other address', contacts: [contact('soc@mismatch.example', await publicKey('someone@else.example'))] });
    expect(problems(other)).toEqual([{ field: 'contacts[0].pgpKey', code: 'pgp_key_other_address', message: 'someone@else.example' }]);
    const two = await create({ name: 'Two keys', contacts: [contact('soc@two.example', `${await publicKey('soc@two.example')}\n${await publicKey('soc@two.example')}`)] });
    expect(problems(two)).toEqual([{ field: 'contacts[0].pgpKey', code: 'pgp_key_not_one' }]);
    expect((await as(t, admin, { method: 'GET', url: '/api/v1/constituents?q=Garbage' })).json<unknown[]>()).toHaveLength(0);
  });

  it('stores a contact key in the key store and encrypts the notices mailed to that contact', async () => {
    const email = 'soc@encrypted.example.tw';
    const res = await create({ name: 'Encrypted Ltd', netblocks: ['198.18.0.0/24'], contacts: [contact(email, await publicKey(email))] });
    expect(res.statusCode, res.body).toBe(201);
    const keys = (await as(t, admin, { method: 'GET', url: '/api/v1/keys/contacts' })).json<{ items: { emails: string[] }[] }>().items;
    expect(keys.some((k) => k.emails.includes(email))).toBe(true);

    const feed = (await as(t, admin, { method: 'POST', url: '/api/v1/feeds', payload: { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' } })).json<{ id: string }>().id;
    const csv = `${SCAN_HTTP_HEADER}\n${scanHttpRow('2026-11-20 01:00:00', '198.18.0.7')}\n`;
    expect((await upload(t, admin, feed, '2026-11-20-scan_http-taiwan-geo.csv', csv)).statusCode).toBe(202);
    await drain(t);
    const sent = await waitFor(() => sink.to(email)[0], 10_000, 'the notice');
    const head = parseHeaderBlock(sent.raw);
    expect(headerValue(head, 'content-type')).toMatch(/^multipart\/encrypted;.*protocol="application\/pgp-encrypted"/s);
    expect(sent.raw.toString('latin1')).not.toContain('198.18.0.7');
  });
});
