import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { openSqlite } from './sqlite-adapter.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… for PostgreSQL; otherwise a SQLite file path (or ':memory:'). */
  url: string;
  /** PostgreSQL schema to use (tests give each file its own). */
  schema?: string;
  poolSize?: number;
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

// int8 (bigint) and numeric come back as strings by default; our counters fit in doubles.
pg.types.setTypeParser(20, (v) => Number(v));

export function connectDatabase(options: ConnectOptions): DatabaseHandle {
  if (isPostgresUrl(options.url)) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (options.url !== ':memory:') mkdirSync(dirname(options.url), { recursive: true });
  const { adapter } = openSqlite({ path: options.url, synchronous: options.sqliteSynchronous ?? 'FULL' });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: adapter }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
