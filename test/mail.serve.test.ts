/**
 * `tocsin serve` as operators run it: TLS with an openssl-made certificate (and HSTS), the team
 * key generated with `tocsin keys generate`, the SMTP listener started from configuration, and a
 * message delivered by swaks filed by the server's own intake.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swaksSend } from '../src/modules/mail/testing/swaks.js';
import { waitFor } from '../src/modules/mail/testing/smtp-sink.js';
import { startServer, tocsin } from './helpers/process.js';

const run = promisify(execFile);
const TEAM = 'report@cert.example.tw';

function get(url: string, ca: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('tocsin serve with TLS and mail', () => {
  let dir: string;
  let server: { url: string; child: ChildProcess; output: () => string } | undefined;
  let env: Record<string, string>;
  let ca: Buffer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tocsin-serve-mail-'));
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    ca = await readFile(join(dir, 'cert.pem'));
    env = {
      TOCSIN_DATA_DIR: join(dir, 'data'),
      TOCSIN_TLS_CERT: join(dir, 'cert.pem'),
      TOCSIN_TLS_KEY: join(dir, 'key.pem'),
      TOCSIN_SMTP_PORT: '0',
      TOCSIN_MAIL_ADDRESSES: TEAM,
      TOCSIN_PGP_PASSPHRASE: 'serve test passphrase',
      TOCSIN_SQLITE_SYNCHRONOUS: 'NORMAL',
    };
  }, 30_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('generates the team key, serves HTTPS with HSTS and files mail from its SMTP listener', async () => {
    const generated = await tocsin(['keys', 'generate', '--email', TEAM, '--name', 'Test CERT'], env);
    expect(generated.code, generated.stderr).toBe(0);
    const fpr = /Team key generated: ([0-9A-F ]+)/.exec(generated.stdout)![1]!.replace(/\s+/g, '');
    expect((await readdir(join(dir, 'data', 'keys'))).sort()).toEqual(expect.arrayContaining([`revocation-${fpr}.asc`, 'team.asc']));

    server = await startServer(env);
    expect(server.url).toMatch(/^https:\/\//);
    const smtpPort = Number(await waitFor(() => /Tocsin SMTP listening on [^:]+:(\d+)/.exec(server!.output())?.[1], 10_000, 'SMTP line'));

    const sec = await get(`${server.url}/.well-known/security.txt`, ca);
    expect(sec.status).toBe(200);
    expect(sec.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(sec.body).toContain('-----BEGIN PGP SIGNATURE-----');
    const pub = JSON.parse((await get(`${server.url}/api/v1/public/settings`, ca)).body) as { pgpFingerprint: string };
    expect(pub.pgpFingerprint).toBe(fpr);

    const sent = await swaksSend({ port: smtpPort, from: 'alice@example.net', to: TEAM, data: 'From: alice@example.net\r\nSubject: over TLS\r\n\r\nA phishing site at https://x.example/\r\n' });
    const id = /queued as (\S+)/.exec(sent.dataReply ?? '')![1]!;
    await waitFor(async () => (await readdir(join(dir, 'data', 'spool', 'done'))).includes(`${id}.msg`), 15_000, 'message filed by the server');
  }, 60_000);
});
