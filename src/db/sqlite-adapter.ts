import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Adapts Node's built-in `node:sqlite` to the interface Kysely's SqliteDialect expects (the shape of
 * better-sqlite3). Prepared statements are cached by SQL text: Kysely compiles the same text for
 * the same query shape, so the hot paths prepare once.
 */
export interface SqliteOptions {
  path: string;
  busyTimeoutMs?: number;
  /** FULL syncs the WAL on every commit (survives power loss); NORMAL survives process crashes. */
  synchronous?: 'FULL' | 'NORMAL';
}

const CACHE_LIMIT = 500;

export function openSqlite(options: SqliteOptions): { db: DatabaseSync; adapter: SqliteDatabase } {
  const db = new DatabaseSync(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  if (options.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${options.synchronous ?? 'FULL'}`);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // 64 MiB of page cache instead of SQLite's 2 MB: feed imports update several indexes per event, and
  // with the default cache most of those B-tree pages are read again for every batch.
  db.exec('PRAGMA cache_size = -65536');
  const cache = new Map<string, SqliteStatement>();

  const wrap = (stmt: StatementSync): SqliteStatement => {
    const reader = stmt.columns().length > 0;
    return {
      reader,
      all: (params) => stmt.all(...(params as never[])),
      run: (params) => stmt.run(...(params as never[])),
      iterate: (params) => stmt.iterate(...(params as never[])) as IterableIterator<unknown>,
    };
  };

  const adapter: SqliteDatabase = {
    close: () => {
      cache.clear();
      if (db.isOpen) db.close();
    },
    prepare: (sql) => {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = wrap(db.prepare(sql));
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
  return { db, adapter };
}
