import { readFileSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createContainer } from './container.js';
import { connectDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { startJobRunner } from './jobs/runner.js';
import { ANALYSIS_LANE } from './modules/malware/analysis-runner.js';
import { startMailIntake } from './modules/mail/intake-runner.js';

/** Starts Tocsin: migrate, build, listen, print where; closes cleanly on SIGINT/SIGTERM. */
export async function startServer(config: Config): Promise<void> {
  const database = connectDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous });
  await migrateToLatest(database.db, database.schema);
  const c = createContainer(config, database);
  const pretty = process.stdout.isTTY;
  const app = await buildApp(c, {
    logger: {
      level: config.logLevel,
      ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard', ignore: 'pid,hostname' } } } : {}),
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
    https: config.tls ? { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) } : null,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('127.0.0.1', config.host === '127.0.0.1' ? '127.0.0.1' : config.host);
  // Tests and operators wait for exactly this line.
  process.stdout.write(`Tocsin listening on ${url}\n`);
  const setup = await c.auth.issueSetupToken();
  if (setup) {
    process.stdout.write(`\nNo administrator exists yet. Create the first one with this one-time link:\n  ${config.publicUrl}/setup?token=${setup}\n\n`);
  }
  // The embedded default runs jobs in this process; `tocsin worker` adds more processes on PostgreSQL.
  // Periodic jobs (feed polling, the notice sweep, housekeeping) are scheduled by the runner itself.
  const worker = config.runJobs ? startJobRunner(c.queue, config.jobs, (err) => app.log.error({ err }, 'job runner error'), { [ANALYSIS_LANE]: config.malware.workers }) : null;
  // Mail intake (SMTP listener, IMAP polling, spool processing) runs where the spool is: here.
  const mailIntake = await startMailIntake(c.mail, config, { logger: app.log });
  if (mailIntake.smtp) process.stdout.write(`Tocsin SMTP listening on ${mailIntake.smtp.host}:${mailIntake.smtp.port}\n`);
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    await mailIntake.stop();
    await app.close();
    await worker?.stop();
    await database.close();
  });
}
