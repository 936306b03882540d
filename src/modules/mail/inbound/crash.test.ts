import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { openSpool } from './spool.js';

/**
 * Durability: a listener process is killed with SIGKILL in the middle of a burst of deliveries.
 * Every message that got a 250 must be in the spool afterwards, and a restarted listener carries on.
 */
const script = fileURLToPath(new URL('../testing/listener-process.ts', import.meta.url));

function startListener(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`listener exited early (${code}): ${err}`)));
  });
}

function message(token: string): string {
  // ~24 KB, so that a kill often lands while a message is being written
  return `From: burst@example.net\r\nTo: cert@cert.example.tw\r\nSubject: burst ${token}\r\nMessage-ID: <${token}@example.net>\r\n\r\n${`${token} `.repeat(1500)}\r\n`;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('SMTP listener killed during a delivery burst', () => {
  it('keeps every message that got a 250', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tocsin-crash-'));
    dirs.push(dir);
    const { child, port } = await startListener(dir);
    const accepted = new Map<string, string>(); // token -> spool id from the 250 reply
    let refused = 0;
    let killed = false;
    const exited = new Promise((r) => child.once('exit', r));

    const worker = async (w: number) => {
      const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false, connectionTimeout: 5000, socketTimeout: 5000 });
      for (let i = 0; i < 25; i++) {
        const token = `w${w}m${i}x${Math.random().toString(36).slice(2, 8)}`;
        let response: string;
        try {
          response = (await transport.sendMail({ envelope: { from: 'burst@example.net', to: ['cert@cert.example.tw'] }, raw: message(token) })).response;
        } catch {
          refused++;
          continue;
        }
        const id = /^250 .*queued as (\S+)/.exec(response)?.[1];
        if (!id) throw new Error(`unexpected reply: ${response}`);
        accepted.set(token, id);
        if (accepted.size === 40 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
      transport.close();
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    await exited;
    expect(killed).toBe(true);
    expect(accepted.size).toBeGreaterThanOrEqual(40);
    expect(refused).toBeGreaterThan(0); // deliveries after the kill failed, as they must

    // "Restart": open the spool as a new process would, then check every acknowledged message.
    const spool = await openSpool(dir);
    const pending = new Set(await spool.listPending());
    for (const [token, id] of accepted) {
      expect(pending.has(id), `message ${token} got 250 as ${id} but is not in the spool`).toBe(true);
      const stored = await spool.read(id);
      expect(stored.raw.toString()).toBe(message(token));
      expect(stored.envelope).toMatchObject({ source: 'smtp', mailFrom: 'burst@example.net', rcptTo: ['cert@cert.example.tw'] });
    }
    // Half-written messages of the dead process were never acknowledged: cleaned away on open.
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);

    // A restarted listener on the same spool accepts mail again, and the old messages are still there.
    const second = await startListener(dir);
    try {
      const transport = createTransport({ host: '127.0.0.1', port: second.port, secure: false, ignoreTLS: true });
      const info = await transport.sendMail({ envelope: { from: 'after@example.net', to: ['cert@cert.example.tw'] }, raw: message('after-restart') });
      transport.close();
      const id = /queued as (\S+)/.exec(info.response)![1]!;
      const all = new Set(await spool.listPending());
      expect(all.has(id)).toBe(true);
      for (const acceptedId of accepted.values()) expect(all.has(acceptedId)).toBe(true);
    } finally {
      second.child.kill('SIGKILL');
    }
  });
});
