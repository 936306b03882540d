import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpListener, type SmtpListener } from './smtp-listener.js';
import { openSpool, type Spool } from './spool.js';

/** STARTTLS with a certificate and key from files (made by Debian's openssl for the test). */
let dir: string;
let spool: Spool;
let listener: SmtpListener;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tocsin-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
  spool = await openSpool(join(dir, 'spool'));
  listener = await startSmtpListener({ spool, port: 0, acceptRecipients: ['cert@cert.example.tw'], tls: { certPath: cert, keyPath: key } });
});
afterAll(async () => {
  await listener?.close();
  await rm(dir, { recursive: true, force: true });
});

async function send(opts: { requireTLS: boolean }): Promise<string> {
  const transport = createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    requireTLS: opts.requireTLS,
    ignoreTLS: !opts.requireTLS,
    tls: { rejectUnauthorized: false },
  });
  try {
    const info = await transport.sendMail({ envelope: { from: 'r@example.net', to: ['cert@cert.example.tw'] }, raw: 'Subject: tls\r\n\r\nover TLS?\r\n' });
    return /queued as (\S+)/.exec(info.response)![1]!;
  } finally {
    transport.close();
  }
}

describe('SMTP listener with STARTTLS', () => {
  it('upgrades to TLS when the client asks, and records it in the envelope', async () => {
    const id = await send({ requireTLS: true });
    expect((await spool.read(id)).envelope.secure).toBe(true);
  });

  it('still accepts clients that do not use TLS (opportunistic, as inbound MX must)', async () => {
    const id = await send({ requireTLS: false });
    expect((await spool.read(id)).envelope.secure).toBe(false);
  });
});
