/**
 * Keys: contacts' public keys through the API (validation, merging, revocation, who may), the
 * database-backed key lookup, and importing a GnuPG-made team key. SQLite and PostgreSQL.
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GnuPG } from '../src/lib/pgp/testing/gnupg.js';
import type { Actor } from '../src/modules/auth/policy.js';
import { as, buildTestApp, createUser, login, TestClock, type Session, type TestApp } from './helpers/app.js';
import { testDialects } from './helpers/db.js';

const SYSTEM: Actor = { kind: 'system', component: 'test' };

describe.each(testDialects())('keys (%s)', (dialect) => {
  let t: TestApp;
  let gpg: GnuPG;
  let s: Record<'admin' | 'coordinator' | 'analyst' | 'auditor' | 'partner', Session>;

  beforeAll(async () => {
    gpg = await GnuPG.create();
    await gpg.generateKey('Partner CERT <cert@partner.example>');
    t = await buildTestApp(dialect, { clock: new TestClock(Date.now() + 5000), env: { TOCSIN_PGP_PASSPHRASE: 'keys test passphrase' } });
    s = {} as typeof s;
    for (const role of ['admin', 'coordinator', 'analyst', 'auditor'] as const) s[role] = await login(t, (await createUser(t, role)).username);
    const partners = (await as(t, s.admin, { method: 'GET', url: '/api/v1/partners' })).json<{ id: string }[]>();
    s.partner = await login(t, (await createUser(t, 'partner', { organisationId: partners[0]!.id })).username);
  });

  afterAll(async () => {
    await t?.close();
    await gpg?.close();
  });

  const post = (who: Session | null, armored: string) => as(t, who, { method: 'POST', url: '/api/v1/keys/contacts', payload: { armored } });

  it('imports a contact key, merges a re-import, and refuses what is not one public key', async () => {
    const first = await post(s.coordinator, await gpg.exportPublic('cert@partner.example'));
    expect(first.statusCode).toBe(201);
    const fpr = first.json<{ fingerprint: string }>().fingerprint;
    await gpg.run(['--quick-add-uid', fpr, 'Partner CERT Incident Desk <incident@partner.example>']);
    const again = await post(s.admin, await gpg.exportPublic(fpr));
    expect(again.statusCode).toBe(201);
    expect(again.json<{ emails: string[] }>().emails.sort()).toEqual(['cert@partner.example', 'incident@partner.example']);

    const list = (await as(t, s.auditor, { method: 'GET', url: '/api/v1/keys/contacts' })).json<{ items: { fingerprint: string }[] }>().items;
    expect(list.filter((k) => k.fingerprint === fpr)).toHaveLength(1);
    const audit = await t.c.db.selectFrom('audit_log').select('action').where('action', 'like', 'mail.contact_key.%').execute();
    expect(audit.map((a) => a.action)).toEqual(['mail.contact_key.import', 'mail.contact_key.update']);

    const bad = await post(s.admin, 'not a key');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'armored', code: 'pgp.key.malformed' }] } });
    const secret = await post(s.admin, await gpg.exportSecret(fpr));
    expect(secret.json()).toMatchObject({ error: { details: [{ code: 'pgp.key.private' }] } });
  });

  it('lets only administrators and coordinators import, staff read, and nobody else', async () => {
    const key = (await openpgp.generateKey({ userIDs: [{ email: 'x@example.net' }], format: 'armored' })).publicKey;
    expect((await post(s.analyst, key)).statusCode).toBe(403);
    expect((await post(null, key)).statusCode).toBe(401);
    expect((await as(t, s.analyst, { method: 'GET', url: '/api/v1/keys/contacts' })).statusCode).toBe(200);
    expect((await as(t, s.partner, { method: 'GET', url: '/api/v1/keys/contacts' })).statusCode).toBe(403);
    expect((await as(t, null, { method: 'GET', url: '/api/v1/keys/contacts' })).statusCode).toBe(401);
  });

  it('finds keys by any key ID for signatures, and encrypts only to usable keys', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Revoked', email: 'revoked@example.net' }], format: 'object' });
    const imported = (await post(s.admin, publicKey.armor())).json<{ fingerprint: string }>();
    const subkeyId = publicKey.getSubkeys()[0]!.getKeyID().toHex();
    expect((await t.c.mail.keys.lookup([subkeyId])).map((k) => k.getFingerprint().toUpperCase())).toEqual([imported.fingerprint]);
    expect(await t.c.mail.keys.encryptionKeyFor('REVOKED@example.net')).not.toBeNull();
    const { publicKey: revoked } = await openpgp.revokeKey({ key: privateKey, format: 'object' });
    const after = await post(s.admin, revoked.armor());
    expect(after.json()).toMatchObject({ fingerprint: imported.fingerprint, revoked: true });
    expect(await t.c.mail.keys.encryptionKeyFor('revoked@example.net')).toBeNull();
  });

  it('imports a team key exported by GnuPG, re-protected with the configured passphrase', async () => {
    const fpr = await gpg.generateKey('Imported CERT <cert@imported.example>');
    const key = await t.c.mail.keys.importTeam(SYSTEM, { armoredPrivateKey: await gpg.exportSecret(fpr), currentPassphrase: '' });
    expect(key.fingerprint).toBe(fpr);
    expect((await as(t, null, { method: 'GET', url: '/api/v1/keys/team' })).json()).toMatchObject({ fingerprint: fpr, emails: ['cert@imported.example'] });
    await expect(t.c.mail.keys.generateTeam(SYSTEM, { name: 'x', email: 'x@example.net' })).rejects.toMatchObject({ code: 'pgp.team-key.exists' });
  });
});
