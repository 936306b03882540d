import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTeamKey, importContactKey, keyLookupFromList, loadTeamKey, readPublicKeys, type KeyLookup, type TeamKey } from '../../../lib/pgp.js';
import { GnuPG } from '../../../lib/pgp/testing/gnupg.js';
import { buildCorpus, ZH_TW } from '../testing/corpus.js';
import { swaksSend } from '../testing/swaks.js';
import { parseInbound, type ParseResult } from './parse.js';
import { startSmtpListener, type SmtpListener } from './smtp-listener.js';
import { openSpool, type Spool } from './spool.js';

/**
 * End to end with clients we did not write: GnuPG encrypts and signs a report to the team key
 * (exported by Tocsin), swaks delivers it over SMTP to the listener, and the spooled message parses
 * into a decrypted body with a verified signature.
 */
const PASSPHRASE = 'intake test passphrase';
const TEAM = 'cert@cert.example.tw';

let dir: string;
let spool: Spool;
let listener: SmtpListener;
let gpg: GnuPG;
let team: TeamKey;
let senderFpr: string;
let lookupKeys: KeyLookup;
const stored: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-intake-'));
  spool = await openSpool(dir);
  listener = await startSmtpListener({
    spool,
    port: 0,
    acceptRecipients: [TEAM],
    maxMessageBytes: 300_000,
    onStored: (id) => void stored.push(id),
  });
  const material = await generateTeamKey({ identities: [{ name: 'CERT', email: TEAM }], passphrase: PASSPHRASE });
  team = await loadTeamKey(material.armoredPrivateKey, PASSPHRASE);
  gpg = await GnuPG.create();
  await gpg.importKey(material.armoredPublicKey);
  senderFpr = await gpg.generateKey('Reporter Chen <chen@example.com.tw>');
  // The sender's key becomes known to Tocsin through the contact key import.
  const contact = await importContactKey(await gpg.exportPublic(senderFpr));
  lookupKeys = keyLookupFromList(await readPublicKeys(contact.armored));
});

afterAll(async () => {
  await listener?.close();
  await gpg?.close();
  await rm(dir, { recursive: true, force: true });
});

async function deliver(data: Buffer | string, to = TEAM): Promise<string> {
  const result = await swaksSend({ port: listener.port, from: 'chen@example.com.tw', to, data });
  const id = /^250 .*queued as (\S+)/.exec(result.dataReply ?? '')?.[1];
  if (!id) throw new Error(`not accepted: ${result.dataReply}\n${result.output}`);
  return id;
}

async function parseSpooled(id: string): Promise<ParseResult> {
  const { raw, envelope } = await spool.read(id);
  return parseInbound(raw, { teamKey: team, lookupKeys, envelopeFrom: envelope.mailFrom, limits: { maxAttachmentBytes: 20_000 } });
}

describe('encrypted reports from GnuPG over SMTP (swaks)', () => {
  it('decrypts a PGP/MIME report and verifies the sender signature', async () => {
    const inner =
      'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
      `您好，${ZH_TW}：https://login.bank.example.phish/ 正在偽冒網路銀行。\r\n`;
    const armored = (await gpg.run(['--armor', '--encrypt', '--sign', '-r', TEAM, '-u', senderFpr], inner)).stdout.toString();
    const message =
      `From: Reporter Chen <chen@example.com.tw>\r\nTo: ${TEAM}\r\nSubject: Encrypted report\r\nMessage-ID: <enc-1@example.com.tw>\r\nMIME-Version: 1.0\r\n` +
      'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="enc"\r\n\r\n' +
      '--enc\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n' +
      `--enc\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n${armored}\r\n--enc--\r\n`;
    const id = await deliver(message);
    expect(stored).toContain(id);
    const result = await parseSpooled(id);
    if (result.kind !== 'parsed') throw new Error(`quarantined: ${result.reason.code}`);
    const m = result.message;
    expect(m.text).toContain('https://login.bank.example.phish/ 正在偽冒網路銀行。');
    expect(m.language).toBe('zh-TW');
    expect(m.pgp).toMatchObject({
      encrypted: true,
      decrypted: true,
      signed: true,
      verified: true,
      signerFingerprint: senderFpr,
      signerMatchesFrom: true,
      failure: null,
      formats: ['pgp-mime'],
    });
    expect(m.attachments).toEqual([]);
    expect(m.subject).toBe('Encrypted report');
    await spool.markProcessed(id);
    await spool.markProcessed(id); // idempotent, as a processor re-running after a crash needs
    expect(await spool.stateOf(id)).toBe('processed');
  });

  it('decrypts an inline-PGP report and reports an unknown signer as such', async () => {
    const stranger = await gpg.generateKey('Stranger <stranger@example.org>');
    const armored = (await gpg.run(['--armor', '--encrypt', '--sign', '-r', TEAM, '-u', stranger], 'inline secret\n')).stdout.toString();
    const id = await deliver(`From: stranger@example.org\r\nTo: ${TEAM}\r\nSubject: inline\r\n\r\n${armored}`);
    const result = await parseSpooled(id);
    if (result.kind !== 'parsed') throw new Error(`quarantined: ${result.reason.code}`);
    expect(result.message.text.trim()).toBe('inline secret');
    expect(result.message.pgp).toMatchObject({ encrypted: true, decrypted: true, signed: true, verified: false, failure: { code: 'unknown-signer' } });
    await spool.markProcessed(id);
  });

  it('quarantines (never drops) a report encrypted to another key', async () => {
    const other = await gpg.generateKey('Someone Else <else@example.org>');
    const armored = (await gpg.run(['--armor', '--encrypt', '-r', other], 'not for the CERT')).stdout.toString();
    const message =
      `From: chen@example.com.tw\r\nSubject: wrong key\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e"\r\n\r\n` +
      `--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n${armored}\r\n--e--\r\n`;
    const id = await deliver(message);
    const result = await parseSpooled(id);
    expect(result).toMatchObject({ kind: 'quarantine', reason: { code: 'pgp-no-key' }, summary: { subject: 'wrong key' } });
    if (result.kind === 'quarantine') await spool.quarantine(id, result.reason);
    const q = await spool.listQuarantined();
    expect(q.find((e) => e.id === id)?.reason.code).toBe('pgp-no-key');
    expect((await spool.read(id)).raw.toString()).toContain('-----BEGIN PGP MESSAGE-----');
  });
});

describe('the mail corpus over SMTP', () => {
  it('spools every message, and each parses readably or is quarantined with a reason', async () => {
    const corpus = buildCorpus({ bigAttachmentBytes: 50_000 });
    const outcome: Record<string, string> = {};
    // One SMTP session (nodemailer) for the whole corpus: swaks is exercised above, and starting
    // it once per message would only make the test slow.
    const transport = createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
    const deliverAll = async (raw: Buffer) => {
      const info = await transport.sendMail({ envelope: { from: 'corpus@example.net', to: [TEAM] }, raw });
      return /queued as (\S+)/.exec(info.response)![1]!;
    };
    for (const [name, raw] of Object.entries(corpus)) {
      const id = await deliverAll(raw);
      const result = await parseSpooled(id);
      if (result.kind === 'parsed') {
        await spool.markProcessed(id);
        outcome[name] = 'parsed';
      } else {
        await spool.quarantine(id, result.reason);
        outcome[name] = result.reason.code;
      }
    }
    expect(outcome).toMatchObject({
      plainEnglish: 'parsed',
      nested: 'parsed',
      subjectUtf8: 'parsed',
      subjectBig5: 'parsed',
      subjectGb2312: 'parsed',
      big5DeclaredUtf8: 'parsed',
      encodedWordMislabelled: 'parsed',
      utf8DeclaredAscii: 'parsed',
      unknownCharset: 'parsed',
      missingHeaders: 'parsed',
      noHeaderBlock: 'parsed',
      minimalHeaders: 'parsed',
      bigAttachment: 'parsed',
      deepBomb: 'too-deep',
      wideBomb: 'too-many-parts',
      htmlOnly: 'parsed',
      brokenMultipart: 'parsed',
    });
    transport.close();
    expect(Object.keys(outcome)).toHaveLength(Object.keys(corpus).length);
    const quarantined = (await spool.listQuarantined()).map((q) => q.reason.code);
    expect(quarantined).toEqual(expect.arrayContaining(['too-deep', 'too-many-parts']));
    expect(await spool.listPending()).toEqual([]);
  });

  it('refuses a message over the SMTP size limit with 552 and keeps nothing of it, then carries on', async () => {
    const before = (await spool.listPending()).length + (await spool.listProcessed()).length;
    const huge = `From: chen@example.com.tw\r\nSubject: too big\r\n\r\n${'A'.repeat(76).concat('\r\n').repeat(5000)}`;
    const result = await swaksSend({ port: listener.port, from: 'chen@example.com.tw', to: TEAM, data: huge });
    expect(result.dataReply).toMatch(/^552 /);
    expect((await spool.listPending()).length + (await spool.listProcessed()).length).toBe(before);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
    // unknown recipients are refused at RCPT (not an open relay)
    const relay = await swaksSend({ port: listener.port, from: 'chen@example.com.tw', to: 'victim@elsewhere.example', data: 'Subject: x\r\n\r\nx\r\n' });
    expect(relay.code).not.toBe(0);
    expect(relay.output).toMatch(/550 .*recipient not accepted/);
    // and the listener is still there
    const id = await deliver('Subject: still alive\r\n\r\nyes\r\n');
    expect((await spool.read(id)).raw.toString()).toContain('still alive');
  });

  it('keeps nothing of a message whose client vanished in the middle of DATA (it never got a 250)', async () => {
    const pendingBefore = await spool.listPending();
    const socket = connect(listener.port, '127.0.0.1');
    const replies: string[] = [];
    socket.on('data', (d: Buffer) => replies.push(d.toString()));
    const waitFor = async (code: string) => {
      while (!replies.join('').includes(code)) await sleep(10);
    };
    await waitFor('220 ');
    socket.write('EHLO vanishing.example\r\n');
    await waitFor('250 ');
    socket.write(`MAIL FROM:<x@vanishing.example>\r\nRCPT TO:<${TEAM}>\r\nDATA\r\n`);
    await waitFor('354 ');
    socket.write('Subject: half\r\n\r\n' + 'half a message\r\n'.repeat(2000));
    await sleep(50);
    socket.destroy();
    // the listener cleans up once it sees the connection gone
    while ((await readdir(join(dir, 'tmp'))).length > 0) await sleep(10);
    expect(await spool.listPending()).toEqual(pendingBefore);
    expect((await spool.read(await deliver('Subject: after\r\n\r\nok\r\n'))).raw.toString()).toContain('after');
  });
});
