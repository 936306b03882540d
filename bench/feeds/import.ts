/**
 * The database write path of a real feed import: a generated Shadowserver report (data.ts) imported through
 * the import job's own runImport, on a real app container over a fresh database — a temporary SQLite file, or
 * a new PostgreSQL schema dropped afterwards (as test/helpers/db.ts makes them).
 *
 *   npx tsx bench/feeds/import.ts [--rows 100000] [--report scan_rdp|compromised_website] [--dialect sqlite|postgres|both]
 *                                 [--constituents 1000] [--netblocks 300000] [--domains 200000] [--repeat 1]
 *
 * PostgreSQL: TOCSIN_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test). Each run reports the import's
 * wall and CPU time (CPU of this process only: the PostgreSQL server works in its own), rows/s and events/s,
 * the time spent writing events (storeBatch, finishSightings: the write path), in the notification layer
 * (notices from drafts, resolving older ones) and in the rest (matcher build, parsing, matching…), what was
 * stored, and the same for a second run of the same import (a retry after a crash must store nothing new).
 * Not part of npm test.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { createEventsRepository } from '../../src/modules/feeds/events.repository.js';
import { createFeedImportRunner } from '../../src/modules/feeds/feeds.import.js';
import type { Dialect } from '../../src/db/connect.js';
import type { Actor } from '../../src/modules/auth/policy.js';
import { createTestDatabase } from '../../test/helpers/db.js';
import { makeScopes, reportFileName, writeReport } from './data.js';
import type { ReportKind } from './data.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const rows = Number(arg('rows', '100000'));
const kind = arg('report', 'scan_rdp') as ReportKind;
const constituents = Number(arg('constituents', '1000'));
const repeat = Number(arg('repeat', '1'));
const dialectArg = arg('dialect', process.env.TOCSIN_TEST_PG_URL ? 'both' : 'sqlite');
const dialects: Dialect[] = dialectArg === 'both' ? ['sqlite', 'postgres'] : [dialectArg as Dialect];
if (dialects.includes('postgres') && !process.env.TOCSIN_TEST_PG_URL) throw new Error('PostgreSQL needs TOCSIN_TEST_PG_URL');

const system: Actor = { kind: 'system', component: 'bench' };

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** One import on a fresh database; returns its measurements. */
async function importOnce(dialect: Dialect, file: string, scope: ReturnType<typeof makeScopes>): Promise<object> {
  const db = await createTestDatabase(dialect);
  try {
    const c = createContainer(loadConfig({ TOCSIN_DATA_DIR: db.dataDir }), db.handle);
    // Constituents with their netblocks, ASNs and domains, through the service (as the console makes them).
    for (const s of scope.scopes) {
      await c.constituents.create(system, {
        name: s.id,
        sector: 'isp',
        netblocks: [...(s.netblocks ?? [])],
        asns: (s.asns ?? []).map(Number),
        domains: [...(s.domains ?? [])],
        contacts: [{ name: 'NOC', role: 'security', email: `noc@${s.id}.example.tw`, language: 'zh-TW', notifyMode: 'immediate', tlpCeiling: 'RED', eventTypes: [] }],
      });
    }
    const source = await c.feeds.createSource(system, { name: 'Shadowserver', parser: 'shadowserver', defaultTlp: 'AMBER' });
    const count = async (table: 'events' | 'event_imports' | 'notices') => Number((await c.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const runs = [];
    const imp = await c.feeds.startImport(system, source.id, { stream: createReadStream(file), fileName: reportFileName(kind), method: 'upload' });
    const id = imp.id;
    for (const label of ['first', 'rerun']) {
      // The rerun is what a crash and retry does: the same import (same observed time) queued again.
      if (label === 'rerun') await c.db.updateTable('feed_imports').set({ status: 'queued' }).where('id', '=', id).execute();
      const phases = { storeBatchS: 0, finishSightingsS: 0, noticesS: 0 };
      // The container's own runner, wired to the same parts, but with the event store and the notices timed.
      const timedRepo = createEventsRepository();
      const time = async <T>(key: keyof typeof phases, body: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        try {
          return await body();
        } finally {
          phases[key] += (performance.now() - t0) / 1000;
        }
      };
      const runner = createFeedImportRunner({
        db: c.db,
        blobs: c.blobs,
        clock: c.clock,
        config: c.config.feeds,
        constituents: c.constituents,
        events: {
          storeBatch: (db, rows, importId) => time('storeBatchS', () => timedRepo.storeBatch(db, rows, importId)),
          finishSightings: (db, importId, batches) => time('finishSightingsS', () => timedRepo.finishSightings(db, importId, batches)),
        },
        notifications: {
          fromDrafts: (imp, drafts) => time('noticesS', () => c.notifications.fromDrafts(imp, drafts)),
          resolveAfterImport: (sourceId, importId) => time('noticesS', () => c.notifications.resolveAfterImport(sourceId, importId)),
          scheduleSweep: () => c.notifications.scheduleSweep(),
        },
      });
      const cpu = process.cpuUsage();
      const t = performance.now();
      await runner.runImport(id);
      const wallS = (performance.now() - t) / 1000;
      const cpuS = cpuSeconds(cpu);
      const writeS = phases.storeBatchS + phases.finishSightingsS;
      const done = await c.db.selectFrom('feed_imports').select(['status', 'error', 'events', 'notices', 'matched']).where('id', '=', id).executeTakeFirstOrThrow();
      if (done.status !== 'done') throw new Error(`import ${done.status}: ${done.error}`);
      runs.push({
        run: label,
        wallS: +wallS.toFixed(2),
        cpuS: +cpuS.toFixed(2),
        rowsPerSecond: Math.round(rows / wallS),
        rowsPerCpuSecond: Math.round(rows / cpuS),
        events: Number(done.events),
        eventsPerSecond: Math.round(Number(done.events) / wallS),
        notices: Number(done.notices),
        // The event write path alone (batches of new events, then the sighting updates and totals).
        phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, +v.toFixed(2)])),
        writeEventsPerSecond: Math.round(Number(done.events) / writeS),
        restS: +(wallS - writeS - phases.noticesS).toFixed(2),
        stored: { events: await count('events'), eventImports: await count('event_imports'), notices: await count('notices') },
      });
      process.stderr.write(`  ${dialect} ${label}: ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU\n`);
    }
    return { dialect, runs };
  } finally {
    await db.dispose();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-import-'));
try {
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  // Fewer constituents than the engine bench (they are made through the service, one by one), holding the
  // same 300,000 netblocks and 200,000 domains, so that the report's hosts are as varied (most rows are
  // distinct events) and as often owned.
  const scope = makeScopes({ constituents, netblocks: Number(arg('netblocks', '300000')), domains: Number(arg('domains', '200000')) });
  const file = join(dir, reportFileName(kind));
  await writeReport(file, rows, scope, kind);
  const results = [];
  for (const dialect of dialects) for (let i = 0; i < repeat; i++) results.push(await importOnce(dialect, file, scope));
  console.log(JSON.stringify({ node: process.version, loadBefore: load, loadAfter: loadavg().map((x) => x.toFixed(2)).join(' '), rows, report: kind, constituents, results }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
