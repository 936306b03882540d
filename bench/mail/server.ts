/**
 * The measured side of bench/mail, run pinned to CPU 0:
 *   bare  — smtp-server that reads each message and answers 250 (no disk): the SMTP baseline
 *   spool — Tocsin's listener: message fsynced into the spool before the 250
 *   full  — spool, then parse (decrypt, verify, charset repair, mailparser) and mark processed
 * Prints {"port"} when listening, then {"done"} with timestamps once `expect` messages are through.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { keyLookupFromList, loadTeamKey, readPublicKeys } from '../../src/lib/pgp.js';
import { openSpool, parseInbound, startSmtpListener } from '../../src/modules/mail/index.js';

const [mode, spoolDir, expectArg] = process.argv.slice(2) as ['bare' | 'spool' | 'full', string, string];
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
