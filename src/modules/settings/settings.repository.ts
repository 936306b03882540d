import type { Db } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';

export function createSettingsRepository() {
  const bumpCounter = precompiled(
    (db) => db.insertInto('counters').values({ name: '', value: 1 }).onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) }))).returning('value'),
    (name: string) => [name, 1, 1],
  );
  return {
    async get<T>(db: Db, key: string): Promise<T | undefined> {
      const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r ? (JSON.parse(r.value) as T) : undefined;
    },
    async set(db: Db, key: string, value: unknown, now: string): Promise<void> {
      const json = JSON.stringify(value);
      await db
        .insertInto('settings')
        .values({ key, value: json, updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
        .execute();
    },
    async delete(db: Db, key: string): Promise<void> {
      await db.deleteFrom('settings').where('key', '=', key).execute();
    },
    /** Atomically increments a named counter and returns the new value (tracking numbers). */
    async nextCounter(db: Db, name: string): Promise<number> {
      const [row] = await bumpCounter<{ value: number }>(db, name);
      return Number(row!.value);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
