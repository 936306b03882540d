import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearsign,
  encryptMimeEntity,
  formatFingerprint,
  generateTeamKey,
  importContactKey,
  importContactKeys,
  importTeamKey,
  keyLookupFromList,
  loadTeamKey,
  noKnownKeys,
  openInlinePgp,
  openPgpMessage,
  openPgpMime,
  parseMimeTree,
  readPublicKeys,
  readTeamKeyFile,
  serializePgpMime,
  signMimeEntity,
  verifyCleartext,
  wkdHash,
  wkdKeyFor,
  wkdLocation,
  writeTeamKeyFile,
  zBase32,
  type TeamKey,
} from '../pgp.js';
import { dearmorMessage } from './decrypt.js';
import { GnuPG } from './testing/gnupg.js';

const PASSPHRASE = 'correct horse battery staple';

let gpg: GnuPG;
let team: TeamKey;
let teamArmoredPublic: string;
let senderFpr: string;
let senderKeyArmored: string;

beforeAll(async () => {
  gpg = await GnuPG.create();
  const material = await generateTeamKey({ identities: [{ name: 'TWCERT/CC', email: 'twcert@cert.org.tw' }], passphrase: PASSPHRASE });
  team = await loadTeamKey(material.armoredPrivateKey, PASSPHRASE);
  teamArmoredPublic = material.armoredPublicKey;
  await gpg.importKey(teamArmoredPublic);
  senderFpr = await gpg.generateKey('Reporter Lin <reporter@example.com.tw>');
  senderKeyArmored = await gpg.exportPublic(senderFpr);
});

afterAll(async () => {
  await gpg?.close();
});

describe('team key', () => {
  it('is generated as Curve25519, encrypted at rest, and GnuPG sees the same fingerprint', async () => {
    expect(team.privateKey.getAlgorithmInfo().algorithm).toBe('eddsaLegacy');
    expect(team.emails).toEqual(['twcert@cert.org.tw']);
    expect(await gpg.fingerprint('twcert@cert.org.tw')).toBe(team.fingerprint);
    expect(formatFingerprint(team.fingerprint)).toMatch(/^([0-9A-F]{4} ){4}[0-9A-F]{4} {2}([0-9A-F]{4} ){4}[0-9A-F]{4}$/);
  });

  it('refuses a wrong or short passphrase with a stable code', async () => {
    const material = await generateTeamKey({ identities: [{ name: 'T', email: 't@example.org' }], passphrase: PASSPHRASE });
    expect(material.armoredPrivateKey).toContain('PRIVATE KEY BLOCK');
    const locked = await openpgp.readPrivateKey({ armoredKey: material.armoredPrivateKey });
    expect(locked.isDecrypted()).toBe(false);
    await expect(loadTeamKey(material.armoredPrivateKey, 'not the passphrase')).rejects.toMatchObject({ code: 'pgp.key.wrong-passphrase' });
    await expect(generateTeamKey({ identities: [{ name: 'T', email: 't@example.org' }], passphrase: 'short' })).rejects.toMatchObject({
      code: 'pgp.passphrase.too-short',
    });
  });

  it('imports a key pair exported by GnuPG and re-protects it with the configured passphrase', async () => {
    const other = await GnuPG.create();
    try {
      await other.run(['--passphrase', 'gpg side secret', '--pinentry-mode', 'loopback', '--quick-gen-key', 'Old CERT <cert@old.example>', 'future-default', 'default', 'never']);
      const fpr = await other.fingerprint('cert@old.example');
      const exported = await other.exportSecret(fpr, 'gpg side secret');
      await expect(importTeamKey({ armoredPrivateKey: exported, currentPassphrase: 'wrong', passphrase: PASSPHRASE })).rejects.toMatchObject({
        code: 'pgp.key.wrong-passphrase',
      });
      const material = await importTeamKey({ armoredPrivateKey: exported, currentPassphrase: 'gpg side secret', passphrase: PASSPHRASE });
      expect(material.fingerprint).toBe(fpr);
      const loaded = await loadTeamKey(material.armoredPrivateKey, PASSPHRASE);
      expect(loaded.fingerprint).toBe(fpr);
    } finally {
      await other.close();
    }
  });

  it('generates RSA-4096 on request', async () => {
    const material = await generateTeamKey({ identities: [{ name: 'T', email: 't@example.org' }], passphrase: PASSPHRASE, algorithm: 'rsa4096' });
    const key = await loadTeamKey(material.armoredPrivateKey, PASSPHRASE);
    expect(key.privateKey.getAlgorithmInfo()).toMatchObject({ algorithm: 'rsaEncryptSign', bits: 4096 });
  });

  it('is written to a file only its owner can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tocsin-key-'));
    try {
      const material = await generateTeamKey({ identities: [{ name: 'T', email: 't@example.org' }], passphrase: PASSPHRASE });
      const path = join(dir, 'team.asc');
      await writeTeamKeyFile(path, material.armoredPrivateKey);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readTeamKeyFile(path)).toBe(material.armoredPrivateKey);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('contact keys', () => {
  it('extracts user IDs, e-mails, expiry and capabilities from a GnuPG key', async () => {
    const fpr = await gpg.generateKey('Constituent SOC <soc@bank.example.tw>', '2y');
    await gpg.run(['--passphrase', '', '--pinentry-mode', 'loopback', '--quick-add-uid', fpr, 'SOC Desk <Desk@Bank.example.tw>']);
    const info = await importContactKey(await gpg.exportPublic(fpr));
    expect(info.fingerprint).toBe(fpr);
    expect(info.emails.sort()).toEqual(['desk@bank.example.tw', 'soc@bank.example.tw']);
    expect(info.userIds).toContain('Constituent SOC <soc@bank.example.tw>');
    expect(info.expiresAt).toBeInstanceOf(Date);
    expect(info.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
    expect(info).toMatchObject({ revoked: false, expired: false, canEncrypt: true, canSign: true });
    expect(info.armored).toContain('PUBLIC KEY BLOCK');
    expect(info.allKeyIds).toHaveLength(2);
  });

  it('reports revoked keys and rejects private keys and garbage with stable codes', async () => {
    const generated = await openpgp.generateKey({ userIDs: [{ email: 'gone@example.org' }], format: 'object' });
    const revoked = await openpgp.revokeKey({ key: generated.privateKey, format: 'armored' });
    const info = await importContactKey(revoked.publicKey);
    expect(info.revoked).toBe(true);
    expect(info.canEncrypt).toBe(false);
    await expect(importContactKey(generated.privateKey.armor())).rejects.toMatchObject({ code: 'pgp.key.private' });
    await expect(importContactKey('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnonsense\n-----END PGP PUBLIC KEY BLOCK-----\n')).rejects.toMatchObject({
      code: 'pgp.key.malformed',
    });
    await expect(importContactKey('hello')).rejects.toMatchObject({ code: 'pgp.key.malformed' });
  });

  it('reads keys pasted inside other text, and several keys at once', async () => {
    const two = (await gpg.run(['--armor', '--export', senderFpr, team.fingerprint])).stdout.toString();
    const infos = await importContactKeys(`Here is our key:\n\n${two}\nRegards`);
    expect(infos.map((i) => i.fingerprint).sort()).toEqual([senderFpr, team.fingerprint].sort());
    await expect(importContactKey(two)).rejects.toMatchObject({ code: 'pgp.key.not-one' });
  });
});

describe('decrypting and verifying what GnuPG produced', () => {
  it('decrypts a message GnuPG encrypted and signed, and names the verifying key', async () => {
    const { stdout } = await gpg.run(['--armor', '--encrypt', '--sign', '-r', team.fingerprint, '-u', senderFpr], '機密通報 secret report\n');
    const senderKeys = await readPublicKeys(senderKeyArmored);
    const result = await openPgpMessage(stdout.toString(), { teamKey: team, lookupKeys: keyLookupFromList(senderKeys), fromAddress: 'reporter@example.com.tw' }, 'inline');
    expect(new TextDecoder().decode(result.data!)).toBe('機密通報 secret report\n');
    expect(result.status).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      verified: true,
      signerFingerprint: senderFpr,
      signerMatchesFrom: true,
      failure: null,
    });
  });

  it('says unknown-signer, no-key and decrypt-failed when it cannot do better', async () => {
    const { stdout } = await gpg.run(['--armor', '--encrypt', '--sign', '-r', team.fingerprint, '-u', senderFpr], 'x');
    const unknown = await openPgpMessage(stdout.toString(), { teamKey: team, lookupKeys: noKnownKeys }, 'inline');
    expect(unknown.status).toMatchObject({ decrypted: true, signed: true, verified: false, failure: { code: 'unknown-signer' } });
    expect(unknown.status.signerKeyIds.length).toBe(1);

    const toSender = await gpg.run(['--armor', '--encrypt', '-r', senderFpr], 'not for you');
    const noKey = await openPgpMessage(toSender.stdout.toString(), { teamKey: team, lookupKeys: noKnownKeys }, 'inline');
    expect(noKey.data).toBeNull();
    expect(noKey.status).toMatchObject({ encrypted: true, decrypted: false, failure: { code: 'no-key' } });

    const noTeam = await openPgpMessage(stdout.toString(), { teamKey: null, lookupKeys: noKnownKeys }, 'inline');
    expect(noTeam.status.failure?.code).toBe('no-key');

    const binary = (await gpg.run(['--encrypt', '-r', team.fingerprint], 'some text that will be damaged')).stdout;
    const damaged = Buffer.from(binary);
    damaged[damaged.length - 5]! ^= 0xff;
    const broken = await openPgpMessage(new Uint8Array(damaged), { teamKey: team, lookupKeys: noKnownKeys }, 'pgp-mime');
    expect(broken.status).toMatchObject({ encrypted: true, decrypted: false, failure: { code: 'decrypt-failed' } });

    const garbage = await openPgpMessage('-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----\n', { teamKey: team, lookupKeys: noKnownKeys }, 'inline');
    expect(garbage.status.failure?.code).toBe('malformed');
  });

  it('decodes armor natively, falling back to OpenPGP.js for anything unusual', async () => {
    const { stdout } = await gpg.run(['--armor', '--comment', 'made by gpg', '--encrypt', '-r', team.fingerprint], 'armor test');
    const armored = stdout.toString();
    expect(armored).toContain('Comment: made by gpg');
    const native = dearmorMessage(armored)!;
    expect(Buffer.from(native).equals(Buffer.from((await openpgp.unarmor(armored)).data as unknown as Uint8Array))).toBe(true);
    expect(dearmorMessage(armored.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1!'))).toBeNull();
    expect(dearmorMessage('-----BEGIN PGP MESSAGE-----\nnot a header line\n\nAAAA\n-----END PGP MESSAGE-----')).toBeNull();
    const opened = await openPgpMessage(armored.replace(/\n/g, '\r\n'), { teamKey: team, lookupKeys: noKnownKeys }, 'inline');
    expect(new TextDecoder().decode(opened.data!)).toBe('armor test');
  });

  it('verifies a PGP/MIME multipart/signed made by GnuPG, also after line endings became LF', async () => {
    const part = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nPhishing site: https://bank.example.phish/\r\n';
    for (const textmode of [false, true]) {
      const sig = (await gpg.run(['--armor', '--detach-sign', ...(textmode ? ['--textmode'] : []), '-u', senderFpr], part)).stdout.toString();
      const message =
        'From: reporter@example.com.tw\r\nSubject: signed\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/signed; micalg=pgp-sha512; protocol="application/pgp-signature"; boundary="b1"\r\n\r\n' +
        `--b1\r\n${part}\r\n--b1\r\nContent-Type: application/pgp-signature\r\n\r\n${sig}\r\n--b1--\r\n`;
      const lookupKeys = keyLookupFromList(await readPublicKeys(senderKeyArmored));
      for (const raw of [Buffer.from(message), Buffer.from(message.replace(/\r\n/g, '\n'))]) {
        const opened = await openPgpMime(raw, { teamKey: team, lookupKeys });
        expect(opened.status).toMatchObject({ signed: true, verified: true, signerFingerprint: senderFpr, encrypted: false, failure: null });
        const root = parseMimeTree(opened.raw);
        expect(root.contentType.mediaType).toBe('text/plain');
        expect(opened.raw.toString()).toContain('Subject: signed');
        expect(opened.raw.toString()).not.toContain('PGP SIGNATURE');
      }
      const tampered = Buffer.from(message.replace('bank.example.phish', 'bank.example.fish'));
      const bad = await openPgpMime(tampered, { teamKey: team, lookupKeys });
      expect(bad.status).toMatchObject({ signed: true, verified: false, failure: { code: 'bad-signature' } });
    }
  });

  it('opens inline PGP: encrypted blocks and cleartext-signed blocks within a text body', async () => {
    const enc = (await gpg.run(['--armor', '--encrypt', '--sign', '-r', team.fingerprint, '-u', senderFpr], '內文 inner text')).stdout.toString();
    const signed = (await gpg.run(['--clearsign', '-u', senderFpr], 'signed paragraph\n- dashed line\n')).stdout.toString();
    const lookupKeys = keyLookupFromList(await readPublicKeys(senderKeyArmored));
    const result = await openInlinePgp(`Hello,\n\n${enc}\nand\n${signed}\nBye`, { teamKey: team, lookupKeys });
    expect(result.blocks).toBe(2);
    expect(result.text).toContain('內文 inner text');
    expect(result.text).toContain('signed paragraph\n- dashed line');
    expect(result.text).not.toContain('BEGIN PGP');
    expect(result.status).toMatchObject({ encrypted: true, decrypted: true, signed: true, verified: true, signerFingerprint: senderFpr });
  });
});

describe('what Tocsin produces, checked by GnuPG', () => {
  const entity = Buffer.from('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E4=BD=A0=E5=A5=BD hello\r\n');

  it('signs a MIME entity (multipart/signed) that gpg verifies', async () => {
    const signed = await signMimeEntity(entity, team);
    expect(signed.contentType).toMatch(/^multipart\/signed; micalg="pgp-sha\d+"; protocol="application\/pgp-signature"$/);
    const full = serializePgpMime(signed);
    const root = parseMimeTree(full);
    const [first, second] = root.children;
    const dir = await mkdtemp(join(tmpdir(), 'tocsin-sig-'));
    try {
      await writeFile(join(dir, 'part'), full.subarray(first!.start, first!.end));
      await writeFile(join(dir, 'sig.asc'), full.subarray(second!.bodyStart, second!.end));
      const verify = await gpg.run(['--verify', join(dir, 'sig.asc'), join(dir, 'part')]);
      expect(verify.status.some((l) => l.startsWith(`VALIDSIG ${team.fingerprint}`))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // and it verifies on our side as well
    const opened = await openPgpMime(Buffer.concat([Buffer.from('Subject: x\r\n'), full]), {
      teamKey: team,
      lookupKeys: keyLookupFromList([team.publicKey]),
    });
    expect(opened.status).toMatchObject({ verified: true, signerFingerprint: team.fingerprint });
  });

  it('encrypts and signs a MIME entity (multipart/encrypted) that gpg decrypts and verifies', async () => {
    const recipient = await readPublicKeys(senderKeyArmored);
    const encrypted = await encryptMimeEntity(entity, team, recipient);
    expect(encrypted.contentType).toBe('multipart/encrypted; protocol="application/pgp-encrypted"');
    const full = serializePgpMime(encrypted);
    const root = parseMimeTree(full);
    expect(full.subarray(root.children[0]!.bodyStart, root.children[0]!.end).toString()).toBe('Version: 1\r\n');
    const armored = full.subarray(root.children[1]!.bodyStart, root.children[1]!.end);
    const decrypted = await gpg.run(['--decrypt'], armored);
    expect(decrypted.stdout.equals(entity)).toBe(true);
    expect(decrypted.status.some((l) => l.startsWith(`VALIDSIG ${team.fingerprint}`))).toBe(true);
    // the team can read its own sent copy
    const ours = await openPgpMime(Buffer.concat([Buffer.from('Subject: x\r\n'), full]), { teamKey: team, lookupKeys: keyLookupFromList([team.publicKey]) });
    expect(ours.status).toMatchObject({ encrypted: true, decrypted: true, verified: true });
  });

  it('cleartext-signs text that gpg --verify accepts, and verifies what gpg clearsigned', async () => {
    const signed = await clearsign('Contact: mailto:twcert@cert.org.tw\nExpires: 2027-01-01T00:00:00.000Z\n', team);
    const verify = await gpg.run(['--verify'], signed);
    expect(verify.status.some((l) => l.startsWith(`VALIDSIG ${team.fingerprint}`))).toBe(true);
    const forged = signed.replace('twcert@cert.org.tw', 'evil@example.org');
    expect((await gpg.run(['--verify'], forged, true)).status.some((l) => l.startsWith('BADSIG'))).toBe(true);

    const gpgSigned = (await gpg.run(['--clearsign', '-u', senderFpr], 'from gpg\n')).stdout.toString();
    const ours = await verifyCleartext(gpgSigned, { lookupKeys: keyLookupFromList(await readPublicKeys(senderKeyArmored)) });
    expect(ours.text).toBe('from gpg');
    expect(ours.status).toMatchObject({ verified: true, signerFingerprint: senderFpr });
  });
});

describe('Web Key Directory', () => {
  it('computes the hash GnuPG computes and the test vector of the draft', async () => {
    expect(zBase32(Buffer.from([0]))).toBe('yy');
    expect(wkdHash('Joe.Doe')).toBe('iy9q119eutrkn8s1mk4r39qejnbu3n5q');
    const { stdout } = await gpg.run(['--with-wkd-hash', '--list-keys', 'twcert@cert.org.tw']);
    const line = stdout
      .toString()
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.endsWith('@cert.org.tw') && !l.includes('<'));
    expect(line).toBe(`${wkdHash('twcert')}@cert.org.tw`);
    const loc = wkdLocation('TWCERT@Cert.org.tw');
    expect(loc.directPath).toBe(`/.well-known/openpgpkey/hu/${wkdHash('twcert')}?l=TWCERT`);
    expect(loc.advancedUrl).toBe(`https://openpgpkey.cert.org.tw/.well-known/openpgpkey/cert.org.tw/hu/${loc.hash}?l=TWCERT`);
  });

  it('serves the binary key with only the matching user ID, which GnuPG imports', async () => {
    const generated = await openpgp.generateKey({
      userIDs: [{ name: 'CERT', email: 'cert@example.org' }, { name: 'Private', email: 'private@elsewhere.example' }],
      format: 'object',
    });
    const bytes = await wkdKeyFor(generated.publicKey, 'CERT@example.org');
    expect(bytes[0]! & 0x80).toBe(0x80); // binary packet, not armor
    const other = await GnuPG.create();
    try {
      await other.importKey(Buffer.from(bytes));
      const { stdout } = await other.run(['--with-colons', '--list-keys']);
      const uids = stdout
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('uid:'));
      expect(uids).toHaveLength(1);
      expect(uids[0]).toContain('cert@example.org');
    } finally {
      await other.close();
    }
    await expect(wkdKeyFor(generated.publicKey, 'nobody@example.org')).rejects.toMatchObject({ code: 'pgp.wkd.no-user-id' });
  });
});
