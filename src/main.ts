#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createContainer } from './container.js';
import { connectDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { DomainError } from './lib/errors.js';
import { translate } from './lib/i18n.js';
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
  .description('Run background jobs (mail outbox, analyses, feed imports) until stopped')
  .action(async () => {
    const cfg = config();
    const database = connectDatabase({ url: cfg.databaseUrl, sqliteSynchronous: cfg.sqliteSynchronous });
    await migrateToLatest(database.db, database.schema);
    const c = createContainer(cfg, database);
    const worker = c.queue.start({ onError: (err) => console.error('job runner error:', err) });
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

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DomainError) console.error(`${err.code}: ${translate(err.code, 'en', err.params)}${err.details ? ` ${JSON.stringify(err.details)}` : ''}`);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
