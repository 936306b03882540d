#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createContainer } from './container.js';
import { connectDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { startJobRunner } from './jobs/runner.js';
import { ANALYSIS_LANE } from './modules/malware/analysis-runner.js';
import { DomainError } from './lib/errors.js';
import { translate } from './lib/i18n.js';
import { formatFingerprint } from './lib/pgp.js';
import { ROLES, type Role } from './modules/auth/policy.js';

const program = new Command();
program.name('tocsin').description('Tocsin: incident reporting, handling and coordination for a CERT/CSIRT').version('0.1.0');

function config(overrides: Record<string, string | undefined> = {}): Config {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return loadConfig(process.env, defined);
}

async function withContainer<T>(fn: (c: ReturnType<typeof createContainer>) => Promise<T>): Promise<T> {
  const cfg = config();
  const database = connectDatabase({ url: cfg.databaseUrl, sqliteSynchronous: cfg.sqliteSynchronous });
  try {
    await migrateToLatest(database.db, database.schema);
    return await fn(createContainer(cfg, database));
  } finally {
    await database.close();
  }
}

async function readPassword(): Promise<string> {
  if (process.env.TOCSIN_PASSWORD) return process.env.TOCSIN_PASSWORD;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

program
  .command('serve')
  .description('Run the web server (migrates the database first)')
  .option('--host <host>', 'address to listen on (TOCSIN_HOST)')
  .option('--port <port>', 'port to listen on (TOCSIN_PORT)')
  .option('--data-dir <dir>', 'data folder: SQLite file, blobs, keys (TOCSIN_DATA_DIR)')
  .option('--database-url <url>', 'postgres://… to use PostgreSQL (DATABASE_URL)')
  .action(async (o: { host?: string; port?: string; dataDir?: string; databaseUrl?: string }) => {
    // Loaded on demand: the other commands start faster without the web stack.
    const { startServer } = await import('./server.js');
    await startServer(config({ TOCSIN_HOST: o.host, TOCSIN_PORT: o.port, TOCSIN_DATA_DIR: o.dataDir, DATABASE_URL: o.databaseUrl }));
  });

program
  .command('worker')
  .description('Run background jobs (mail outbox, analyses, feed imports and polls, sweeps) until stopped')
  .action(async () => {
    const cfg = config();
    const database = connectDatabase({ url: cfg.databaseUrl, sqliteSynchronous: cfg.sqliteSynchronous });
    await migrateToLatest(database.db, database.schema);
    const c = createContainer(cfg, database);
    const worker = startJobRunner(c.queue, cfg.jobs, (err) => console.error('job runner error:', err), { [ANALYSIS_LANE]: cfg.malware.workers });
    console.log('Tocsin worker running; stop with Ctrl-C.');
    const stop = async () => {
      await worker.stop();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('migrate')
  .description('Bring the database schema up to date')
  .action(async () => {
    const cfg = config();
    const database = connectDatabase({ url: cfg.databaseUrl });
    try {
      const r = await migrateToLatest(database.db, database.schema);
      const ran = (r.results ?? []).filter((m) => m.status === 'Success').map((m) => m.migrationName);
      console.log(ran.length ? `Applied: ${ran.join(', ')}` : 'The database is up to date.');
    } finally {
      await database.close();
    }
  });

const user = program.command('user').description('Manage staff accounts');
user
  .command('add')
  .description('Create a user; the password is read from TOCSIN_PASSWORD or standard input')
  .requiredOption('--username <name>')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <displayName>', 'display name')
  .option('--email <email>')
  .option('--organisation <id>', 'partner or constituent id (for those roles)')
  .option('--language <lang>', 'zh-TW or en', 'zh-TW')
  .action(async (o: { username: string; role: string; name?: string; email?: string; organisation?: string; language: string }) => {
    if (!(ROLES as readonly string[]).includes(o.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const password = await readPassword();
    await withContainer(async (c) => {
      const u = await c.auth.createUser({ kind: 'system', component: 'cli' }, { username: o.username, displayName: o.name ?? o.username, password, role: o.role as Role, organisationId: o.organisation ?? null, email: o.email ?? null, language: o.language === 'en' ? 'en' : 'zh-TW' });
      console.log(`Created ${u.role} ${u.username} (${u.id})`);
    });
  });
user
  .command('reset-mfa')
  .description("Remove a user's second factor (they enrol again at next sign-in) and end their sessions")
  .requiredOption('--username <name>')
  .action(async (o: { username: string }) => {
    await withContainer(async (c) => {
      await c.auth.resetMfa({ kind: 'system', component: 'cli' }, o.username);
      console.log(`Two-factor authentication reset for ${o.username}`);
    });
  });

const audit = program.command('audit').description('The tamper-evident audit log');
audit
  .command('verify')
  .description('Recompute the hash chain; exits 1 if any entry was edited, inserted or deleted')
  .action(async () => {
    const result = await withContainer((c) => c.audit.verify());
    if (result.ok) console.log(`Audit log intact: ${result.entries} entries, head ${result.headHash}`);
    else {
      console.error(`Audit log TAMPERED (${result.problems.length} problems):`);
      for (const p of result.problems) console.error(`  - ${p}`);
      process.exitCode = 1;
    }
  });

const keys = program.command('keys').description('The team OpenPGP key (data dir/keys/team.asc, protected by TOCSIN_PGP_PASSPHRASE) and contacts\' keys');
keys
  .command('generate')
  .description('Generate the team key pair; prints its fingerprint and writes a revocation certificate to keep offline')
  .requiredOption('--email <email>', 'the team address, e.g. cert@cert.example.tw')
  .requiredOption('--name <name>', 'the team name in the user ID')
  .option('--algorithm <alg>', 'curve25519 or rsa4096', 'curve25519')
  .option('--expires-days <days>', 'key lifetime in days (default: no expiry)')
  .option('--force', 'replace an existing team key')
  .action(async (o: { email: string; name: string; algorithm: string; expiresDays?: string; force?: boolean }) => {
    if (o.algorithm !== 'curve25519' && o.algorithm !== 'rsa4096') throw new Error('--algorithm must be curve25519 or rsa4096');
    await withContainer(async (c) => {
      const { key, revocationCertificate } = await c.mail.keys.generateTeam({ kind: 'system', component: 'cli' }, { name: o.name, email: o.email, algorithm: o.algorithm as 'curve25519' | 'rsa4096', ...(o.expiresDays ? { expiresInDays: Number(o.expiresDays) } : {}), force: o.force ?? false });
      console.log(`Team key generated: ${formatFingerprint(key.fingerprint)}`);
      if (revocationCertificate) {
        const { writeFile } = await import('node:fs/promises');
        const { join, dirname } = await import('node:path');
        const path = join(dirname(c.config.mail.teamKeyPath), `revocation-${key.fingerprint}.asc`);
        await writeFile(path, revocationCertificate, { mode: 0o600 });
        console.log(`Revocation certificate: ${path} — move it offline; it can revoke the key.`);
      }
    });
  });
keys
  .command('import <file>')
  .description('Import an existing team key pair (armored private key); its current passphrase is read from TOCSIN_PGP_IMPORT_PASSPHRASE')
  .option('--force', 'replace an existing team key')
  .action(async (file: string, o: { force?: boolean }) => {
    const { readFile } = await import('node:fs/promises');
    const armored = await readFile(file, 'utf8');
    await withContainer(async (c) => {
      const current = process.env.TOCSIN_PGP_IMPORT_PASSPHRASE;
      const key = await c.mail.keys.importTeam({ kind: 'system', component: 'cli' }, { armoredPrivateKey: armored, ...(current !== undefined ? { currentPassphrase: current } : {}), force: o.force ?? false });
      console.log(`Team key imported: ${formatFingerprint(key.fingerprint)} (${key.emails.join(', ')})`);
    });
  });
keys
  .command('show')
  .description('Print the team key fingerprint, addresses and public key')
  .action(async () => {
    await withContainer(async (c) => {
      const info = await c.mail.keys.teamInfo();
      if (!info) {
        console.log('No team key yet: run `tocsin keys generate` or `tocsin keys import`.');
        process.exitCode = 1;
        return;
      }
      console.log(`Fingerprint: ${formatFingerprint(info.fingerprint)}\nAddresses:   ${info.emails.join(', ')}\n\n${info.armored}`);
    });
  });
keys
  .command('contact-import <file>')
  .description("Import a contact's public key (reporter, constituent, partner CERT) for encryption and signature checks")
  .action(async (file: string) => {
    const { readFile } = await import('node:fs/promises');
    const armored = await readFile(file, 'utf8');
    await withContainer(async (c) => {
      const k = await c.mail.keys.importContact({ kind: 'system', component: 'cli' }, armored, 'cli');
      console.log(`Imported ${formatFingerprint(k.fingerprint)} (${k.emails.join(', ') || 'no e-mail address'})${k.revoked ? ' — REVOKED' : k.expired ? ' — EXPIRED' : ''}`);
    });
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DomainError) console.error(`${err.code}: ${translate(err.code, 'en', err.params)}${err.details ? ` ${JSON.stringify(err.details)}` : ''}`);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
