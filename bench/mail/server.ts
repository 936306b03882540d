/**
 * The measured side of bench/mail, run pinned to CPU 0:
 *   bare  — smtp-server that reads each message and answers 250 (no disk): the SMTP baseline
 *   spool — Tocsin's listener: message fsynced into the spool before the 250
 *   parse — spool, then parse (decrypt, verify, charset repair, mailparser) and mark processed
 *   full  — Tocsin's real intake: spool, parse, then the report created in the database (SQLite,
 *           synchronous FULL) with its attachments in the blob store, the inbound ledger row, the
 *           audit entry and the acknowledgement queued in the outbox — the way `tocsin serve` runs it
 * Prints {"port"} when listening, then {"done"} with timestamps once `expect` messages are through.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { keyLookupFromList, loadTeamKey, readPublicKeys, writeTeamKeyFile } from '../../src/lib/pgp.js';
import { openSpool, parseInbound, startSmtpListener } from '../../src/modules/mail/index.js';

const [mode, spoolDir, expectArg] = process.argv.slice(2) as ['bare' | 'spool' | 'parse' | 'full', string, string];
const expected = Number(expectArg);
let done = 0;
let failures = 0;
let firstAt = 0;
const finish = () => {
  if (++done === expected) process.stdout.write(JSON.stringify({ done, failures, firstAt, lastAt: Date.now() }) + '\n');
};

if (mode === 'bare') {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    size: 30 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        firstAt ||= Date.now();
        callback(null, 'OK');
        finish();
      });
    },
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: (server.server.address() as AddressInfo).port }) + '\n'));
} else if (mode === 'full') {
  const dataDir = join(spoolDir, '..', `${basename(spoolDir)}-data`);
  await mkdir(join(dataDir, 'keys'), { recursive: true });
  await writeTeamKeyFile(join(dataDir, 'keys', 'team.asc'), readFileSync(process.env.BENCH_TEAM_KEY!, 'utf8'));
  const config = loadConfig({ TOCSIN_DATA_DIR: dataDir, TOCSIN_PGP_PASSPHRASE: process.env.BENCH_TEAM_PASSPHRASE!, TOCSIN_MAIL_ADDRESSES: 'cert@cert.example.tw', TOCSIN_MAX_ATTACHMENT_BYTES: String(30 * 1024 * 1024) });
  const database = connectDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous });
  await migrateToLatest(database.db, database.schema);
  const c = createContainer(config, database);
  await c.settings.update({ kind: 'system', component: 'bench' }, { email: 'cert@cert.example.tw' });
  await c.mail.keys.importContact({ kind: 'system', component: 'bench' }, readFileSync(process.env.BENCH_SENDER_KEY!, 'utf8'), 'cli');
  await c.mail.keys.teamKey(); // as `tocsin serve` does at start-up
  const counted = new Set<string>();
  let running = false;
  let again = false;
  // The same loop as `tocsin serve`: each stored message kicks a processing run of the spool.
  const kick = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      const r = await c.mail.intake.processPending();
      for (const id of [...r.processed, ...r.quarantined]) {
        if (counted.has(id)) continue;
        counted.add(id);
        if (r.quarantined.includes(id)) failures++;
        finish();
      }
      if (r.failed.length) again = true;
    } while (again);
    running = false;
    if (done === expected) {
      // Check the filed reports really carry a verified signature when the message was signed.
      const rows = await database.db.selectFrom('reports').select('pgp').execute();
      const bad = rows.filter((r) => { const p = JSON.parse(r.pgp ?? '{}') as { encrypted?: boolean; verified?: boolean }; return p.encrypted && !p.verified; }).length;
      if (rows.length !== expected || bad) process.stderr.write(`reports: ${rows.length} of ${expected}, ${bad} not verified\n`);
    }
  };
  const listener = await startSmtpListener({
    spool: await c.mail.spool(),
    port: 0,
    acceptRecipients: config.mail.addresses,
    maxClients: 500,
    onStored: () => {
      firstAt ||= Date.now();
      void kick();
    },
  });
  process.stdout.write(JSON.stringify({ port: listener.port }) + '\n');
} else {
  const spool = await openSpool(spoolDir);
  const teamKey = await loadTeamKey(readFileSync(process.env.BENCH_TEAM_KEY!, 'utf8'), process.env.BENCH_TEAM_PASSPHRASE!);
  const lookupKeys = keyLookupFromList(await readPublicKeys(readFileSync(process.env.BENCH_SENDER_KEY!, 'utf8')));
  const queue: string[] = [];
  let running = 0;
  const CONCURRENCY = 4;
  const pump = () => {
    while (running < CONCURRENCY && queue.length) {
      const id = queue.shift()!;
      running++;
      (async () => {
        const { raw, envelope } = await spool.read(id);
        const result = await parseInbound(raw, { teamKey, lookupKeys, envelopeFrom: envelope.mailFrom });
        if (result.kind !== 'parsed' || (result.message.pgp.encrypted && !result.message.pgp.verified)) failures++;
        if (result.kind === 'parsed') await spool.markProcessed(id);
        else await spool.quarantine(id, result.reason);
      })()
        .catch(() => failures++)
        .finally(() => {
          running--;
          finish();
          pump();
        });
    }
  };
  const listener = await startSmtpListener({
    spool,
    port: 0,
    acceptRecipients: ['cert@cert.example.tw'],
    maxClients: 500,
    onStored: (id) => {
      firstAt ||= Date.now();
      if (mode === 'spool') return finish();
      queue.push(id);
      pump();
    },
  });
  process.stdout.write(JSON.stringify({ port: listener.port }) + '\n');
}
