/**
 * bench/mail: inbound messages per second end to end — SMTP accepted → stored (fsync) → parsed
 * (PGP decrypted and verified) → marked processed — for 2 KB plain and 200 KB PGP/MIME messages,
 * beside a bare smtp-server that only reads and acknowledges (the SMTP baseline), measured in the
 * same run. The server is pinned to CPU 0 and the load generator (nodemailer, pooled connections)
 * to CPU 1 with taskset. "full" is Tocsin's real intake including report creation in the database.
 *
 * Each configuration runs `--rounds` times, interleaved (bare, spool, parse, full, bare, ...), and the
 * median round is reported, so that load from other processes on the machine skews all alike.
 *
 *   npx tsx bench/mail/run.ts [--plain 1000] [--pgp 150] [--connections 16] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as openpgp from 'openpgp';
import { generateTeamKey } from '../../src/lib/pgp.js';
import { pgpMessage, plainMessage } from './messages.js';

const ROOT = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const counts = { plain: Number(opt('plain', '1000')), pgp: Number(opt('pgp', '150')) };
const connections = Number(opt('connections', '16'));
const rounds = Number(opt('rounds', '3'));
const PASSPHRASE = 'bench passphrase, not secret';

const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-mail-'));
const team = await generateTeamKey({ identities: [{ name: 'CERT', email: 'cert@cert.example.tw' }], passphrase: PASSPHRASE });
const sender = await openpgp.generateKey({ userIDs: [{ name: 'Reporter', email: 'reporter@example.com.tw' }], format: 'object' });
writeFileSync(join(dir, 'team.asc'), team.armoredPrivateKey);
writeFileSync(join(dir, 'sender.asc'), sender.publicKey.armor());
const files = { plain: join(dir, 'plain.eml'), pgp: join(dir, 'pgp.eml') };
writeFileSync(files.plain, plainMessage());
writeFileSync(files.pgp, await pgpMessage(await openpgp.readKey({ armoredKey: team.armoredPublicKey }), sender.privateKey));

interface ServerLine {
  port?: number;
  done?: number;
  failures?: number;
  lastAt?: number;
}

function startServer(mode: string, spoolDir: string, expected: number): Promise<{ child: ChildProcess; port: number; finished: Promise<ServerLine> }> {
  return new Promise((ready, fail) => {
    const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', join(ROOT, 'bench/mail/server.ts'), mode, spoolDir, String(expected)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_TEAM_KEY: join(dir, 'team.asc'), BENCH_TEAM_PASSPHRASE: PASSPHRASE, BENCH_SENDER_KEY: join(dir, 'sender.asc') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let resolveFinished: (l: ServerLine) => void;
    const finished = new Promise<ServerLine>((r) => (resolveFinished = r));
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as ServerLine;
        buf = buf.slice(nl + 1);
        if (line.port) ready({ child, port: line.port, finished });
        if (line.done) resolveFinished(line);
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
}

function runLoad(port: number, file: string, count: number): Promise<{ startedAt: number; endedAt: number; sent: number; failed: number; p50: number; p99: number }> {
  return new Promise((done, fail) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', join(ROOT, 'bench/mail/load.ts'), String(port), file, String(count), String(connections)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`load exited ${code}`))));
  });
}

type Row = { kind: string; target: string; perSecond: number; smtpPerSecond: number; p50: number; p99: number; failed: number };
const all: Row[] = [];
try {
  for (const kind of ['plain', 'pgp'] as const) {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['bare', 'spool', 'parse', 'full'] as const) {
        const spoolDir = join(dir, `spool-${kind}-${mode}-${round}`);
        const { child, port, finished } = await startServer(mode, spoolDir, counts[kind]);
        try {
          const load = await runLoad(port, files[kind], counts[kind]);
          const end = await finished;
          const row: Row = {
            kind,
            target: mode,
            perSecond: counts[kind] / ((end.lastAt! - load.startedAt) / 1000),
            smtpPerSecond: load.sent / ((load.endedAt - load.startedAt) / 1000),
            p50: load.p50,
            p99: load.p99,
            failed: load.failed + (end.failures ?? 0),
          };
          all.push(row);
          console.error(`${kind} ${mode} #${round + 1}: ${row.perSecond.toFixed(0)} msg/s end to end, SMTP ${row.smtpPerSecond.toFixed(0)}/s, p50 ${row.p50} ms, p99 ${row.p99} ms, failed ${row.failed}`);
        } finally {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
        rmSync(spoolDir, { recursive: true, force: true });
        rmSync(`${spoolDir}-data`, { recursive: true, force: true });
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The median round (by end-to-end rate) of each configuration. */
const rows: Row[] = [];
for (const kind of ['plain', 'pgp']) {
  for (const target of ['bare', 'spool', 'parse', 'full']) {
    const list = all.filter((r) => r.kind === kind && r.target === target).sort((a, b) => a.perSecond - b.perSecond);
    rows.push(list[Math.floor(list.length / 2)]!);
  }
}

const label: Record<string, string> = {
  bare: 'bare smtp-server (read, 250)',
  spool: 'Tocsin: spooled (fsync) before 250',
  parse: 'Tocsin: spooled + parsed + marked processed',
  full: 'Tocsin: spooled + parsed + report created (SQLite)',
};
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; ${connections} SMTP connections; ${counts.plain} plain, ${counts.pgp} PGP messages; median of ${rounds} rounds\n`);
console.log('| message | target | messages/s end to end | SMTP transactions/s | SMTP p50 ms | SMTP p99 ms | failed | ratio to bare |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const bare = rows.find((x) => x.kind === r.kind && x.target === 'bare')!;
  console.log(`| ${r.kind === 'plain' ? '2 KB plain' : '200 KB PGP/MIME'} | ${label[r.target]} | ${r.perSecond.toFixed(0)} | ${r.smtpPerSecond.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.failed} | ${(r.perSecond / bare.perSecond).toFixed(2)} |`);
}
