import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hoodiecrow, { type HoodiecrowServer } from 'hoodiecrow-imap';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollImapOnce, type ImapPollOptions } from './imap-poller.js';
import { openSpool, type Spool } from './spool.js';

/** IMAP polling with imapflow against hoodiecrow, an IMAP server we did not write. */
let dir: string;
let spool: Spool;
let server: HoodiecrowServer;
let port: number;

function startServer(): Promise<void> {
  server = hoodiecrow({
    plugins: ['ID', 'UIDPLUS', 'MOVE', 'UNSELECT', 'ENABLE', 'SPECIAL-USE'],
    users: { intake: { password: 'secret-password' } },
    storage: {
      INBOX: {
        messages: [
          { raw: 'From: a@example.net\r\nSubject: one\r\n\r\nfirst report\r\n' },
          { raw: 'From: b@example.net\r\nSubject: read already\r\n\r\nseen\r\n', flags: ['\\Seen'] },
          { raw: `From: c@example.net\r\nSubject: three\r\n\r\n${'third report '.repeat(10)}\r\n` },
        ],
      },
      '': { folders: { Processed: { messages: [] } } },
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      port = (server.server.address() as AddressInfo).port;
      resolve();
    }),
  );
}

const options = (): ImapPollOptions => ({ spool, host: '127.0.0.1', port, secure: false, auth: { user: 'intake', pass: 'secret-password' } });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-imap-'));
  spool = await openSpool(dir);
  await startServer();
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

function unseen(): string[] {
  return server
    .getMailbox('INBOX')!
    .messages.filter((m) => !m.flags.includes('\\Seen'))
    .map((m) => m.raw);
}

describe('IMAP polling', () => {
  it('spools each unseen message, then flags it \\Seen; a second poll finds nothing', async () => {
    const first = await pollImapOnce(options());
    expect(first.stored).toHaveLength(2);
    const raws = await Promise.all(first.stored.map(async (id) => (await spool.read(id)).raw.toString()));
    expect(raws[0]).toContain('first report');
    expect(raws[1]).toContain('third report');
    const { envelope } = await spool.read(first.stored[0]!);
    expect(envelope).toMatchObject({ source: 'imap', mailFrom: null, imap: { mailbox: 'INBOX', uid: 1 } });
    expect(unseen()).toEqual([]);
    expect((await pollImapOnce(options())).stored).toEqual([]);
  });

  it('can move spooled messages to another mailbox instead', async () => {
    const result = await pollImapOnce({ ...options(), after: { moveTo: 'Processed' } });
    expect(result.stored).toHaveLength(2);
    expect(server.getMailbox('INBOX')!.messages).toHaveLength(1);
    expect(server.getMailbox('Processed')!.messages).toHaveLength(2);
  });

  it('leaves a message on the server when it could not be spooled', async () => {
    await rm(join(dir, 'new'), { recursive: true }); // the commit (rename into new/) now fails
    await expect(pollImapOnce(options())).rejects.toThrow();
    expect(unseen()).toHaveLength(2);
  });

  it('leaves messages over the size limit in the mailbox', async () => {
    const result = await pollImapOnce({ ...options(), maxMessageBytes: 100 });
    expect(result.stored).toHaveLength(1);
    expect(result.skipped).toEqual([3]);
    expect(unseen()).toHaveLength(1);
  });
});
