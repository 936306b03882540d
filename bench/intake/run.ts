/**
 * bench/intake: report submissions per second through the real HTTP stack, beside a bare Fastify
 * route inserting one row with the same driver, measured in the same run. The server runs on CPU 0
 * and autocannon on CPU 1 (taskset), so they do not compete for a core.
 *
 *   npx tsx bench/intake/run.ts [--duration 15] [--connections 32] [--pg postgres://…]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const duration = Number(opt('duration', '15'));
const connections = Number(opt('connections', '32'));
const pgUrl = opt('pg', process.env.TOCSIN_TEST_PG_URL ?? '');

const body = JSON.stringify({
  channel: 'web-general',
  category: 'phishing',
  title: 'Fake bank login page',
  description: '收到假冒銀行的釣魚郵件，連到 https://bank-login.example.com/ ，請協助處理。'.repeat(3),
  reporter: { name: '王小明', email: 'ming@example.com.tw', phone: '+886 2 1234 5678' },
  assets: ['https://bank-login.example.com/login', '203.0.113.10'],
});

function start(script: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((done, fail) => {
    const child = spawn('taskset', ['-c', '0', process.execPath, '--import', 'tsx', ...script], { cwd: ROOT, env: { ...process.env, TOCSIN_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Tocsin listening on (http\S+)/.exec(out);
      if (m) done({ url: m[1]!, child });
    });
    child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
  });
}

/** autocannon in a child pinned to CPU 1, so the load generator never shares the server's core. */
function load(url: string): Promise<{ rps: number; p50: number; p99: number; non2xx: number; errors: number }> {
  return new Promise((done, fail) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', join(ROOT, 'bench/intake/load.ts'), url, String(duration), String(connections), body], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`load exited ${code}`))));
  });
}

async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

const pgSchemas: string[] = [];
async function freshPgSchema(url: string): Promise<string> {
  const schema = `bench_${Date.now()}`;
  pgSchemas.push(schema);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

const results: { target: string; db: string; rps: number; p50: number; p99: number; non2xx: number }[] = [];
async function measure(target: string, dbName: string, script: string[], env: Record<string, string>) {
  const { url, child } = await start(script, env);
  try {
    const r = await load(`${url}/api/v1/reports`);
    results.push({ target, db: dbName, ...r });
    console.error(`${target} on ${dbName}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
  } finally {
    await stop(child);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-'));
try {
  await measure('bare route', 'SQLite', ['bench/intake/bare-server.ts'], { BARE_DB: join(dir, 'bare.sqlite') });
  await measure('Tocsin', 'SQLite', ['src/main.ts', 'serve'], { TOCSIN_DATA_DIR: join(dir, 'tocsin'), TOCSIN_PORT: '0', DATABASE_URL: '' });
  if (pgUrl) {
    await measure('bare route', 'PostgreSQL', ['bench/intake/bare-server.ts'], { BARE_DB: await freshPgSchema(pgUrl) });
    await measure('Tocsin', 'PostgreSQL', ['src/main.ts', 'serve'], { TOCSIN_DATA_DIR: join(dir, 'tocsin-pg'), TOCSIN_PORT: '0', DATABASE_URL: await freshPgSchema(pgUrl) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (pgUrl && pgSchemas.length) {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    for (const s of pgSchemas) await c.query(`drop schema if exists ${s} cascade`);
    await c.end();
  }
}

console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; ${duration} s, ${connections} connections\n`);
console.log('| target | database | reports/s | p50 ms | p99 ms | non-2xx | ratio to bare |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const bare = results.find((x) => x.db === r.db && x.target === 'bare route');
  console.log(`| ${r.target} | ${r.db} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${bare ? (r.rps / bare.rps).toFixed(2) : '-'} |`);
}
