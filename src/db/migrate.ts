import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './database.js';
import * as foundation from './migrations/20261127_001_foundation.js';
import * as seedPartners from './migrations/20261127_002_seed_partners.js';
import * as mail from './migrations/20261127_010_mail.js';
import * as feeds from './migrations/20261127_020_feeds.js';
import * as malware from './migrations/20261127_030_malware.js';
import * as noticeLoop from './migrations/20261128_040_notice_loop.js';

/**
 * Migrations are listed here (not read from disk) so the compiled build and tsx runs see the same
 * set. Names sort in the order they must run.
 */
const migrations: Record<string, Migration> = {
  '20261127_001_foundation': foundation,
  '20261127_002_seed_partners': seedPartners,
  '20261127_010_mail': mail,
  '20261127_020_feeds': feeds,
  '20261127_030_malware': malware,
  '20261128_040_notice_loop': noticeLoop,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

/**
 * On PostgreSQL with a non-default search_path (one schema per deployment or per test), the
 * migration bookkeeping must live in that schema too: Kysely otherwise looks for it by name in any
 * schema and can find another deployment's.
 */
function migrator(db: Db, schema?: string): Migrator {
  return new Migrator({ db, provider, migrationTableName: 'tocsin_migrations', migrationLockTableName: 'tocsin_migrations_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
}

export async function migrateToLatest(db: Db, schema?: string): Promise<MigrationResultSet> {
  const runner = migrator(db, schema);
  const result = await runner.migrateToLatest();
  if (result.error) throw result.error instanceof Error ? result.error : new Error(String(result.error));
  return result;
}

/** True when every known migration has run (readiness check). */
export async function migrationsCurrent(db: Db, schema?: string): Promise<boolean> {
  const list = await migrator(db, schema).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
