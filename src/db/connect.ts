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
  /** PostgreSQL schema in use when not the default. */
  schema?: string | undefined;
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
    // A search_path given in the URL (?options=-c search_path=x) names the deployment's schema.
    const fromUrl = /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(new URL(options.url).searchParams.get('options') ?? '')?.[1];
    const schema = options.schema ?? fromUrl;
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  if (options.url !== ':memory:') mkdirSync(dirname(options.url), { recursive: true });
  const { adapter } = openSqlite({ path: options.url, synchronous: options.sqliteSynchronous ?? 'FULL' });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: adapter }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
