import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle, type Dialect } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** The dialects every repository and integration test runs on: SQLite always, PostgreSQL in CI. */
export function testDialects(): Dialect[] {
  return process.env.TOCSIN_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  handle: DatabaseHandle;
  dataDir: string;
  url: string;
  schema: string | undefined;
  dispose(): Promise<void>;
}

/** A fresh, migrated database: a temp SQLite file, or a new PostgreSQL schema dropped afterwards. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tocsin-test-'));
  if (dialect === 'sqlite') {
    const url = join(dataDir, 'tocsin.sqlite');
    const handle = connectDatabase({ url, sqliteSynchronous: 'NORMAL' });
    await migrateToLatest(handle.db);
    return { handle, dataDir, url, schema: undefined, dispose: async () => { await handle.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const url = process.env.TOCSIN_TEST_PG_URL!;
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = connectDatabase({ url, schema, poolSize: 5 });
  await migrateToLatest(handle.db, schema);
  return {
    handle,
    dataDir,
    url,
    schema,
    dispose: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
