import type { Db, NewRow, Row } from '../../db/database.js';

export type PgpKeyRow = Row<'pgp_keys'>;

/** Contacts' public keys, with the key-id and e-mail index tables kept in step. */
export function createKeysRepository() {
  return {
    async byFingerprint(db: Db, fingerprint: string): Promise<PgpKeyRow | undefined> {
      return db.selectFrom('pgp_keys').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
    },

    /** Inserts or replaces a key (same fingerprint: the merged key from the service). */
    async upsert(db: Db, row: NewRow<'pgp_keys'>, keyIds: string[], emails: string[]): Promise<void> {
      const existing = await db.selectFrom('pgp_keys').select('id').where('fingerprint', '=', row.fingerprint).executeTakeFirst();
      if (existing) {
        const { id: _id, created_at: _c, added_by: _a, ...rest } = row;
        await db.updateTable('pgp_keys').set(rest).where('id', '=', existing.id).execute();
      } else {
        await db.insertInto('pgp_keys').values(row).execute();
      }
      await db.deleteFrom('pgp_key_ids').where('fingerprint', '=', row.fingerprint).execute();
      await db.deleteFrom('pgp_key_emails').where('fingerprint', '=', row.fingerprint).execute();
      const ids = [...new Set(keyIds.map((k) => k.toLowerCase()))];
      if (ids.length) await db.insertInto('pgp_key_ids').values(ids.map((key_id) => ({ key_id, fingerprint: row.fingerprint }))).execute();
      const mails = [...new Set(emails.map((e) => e.toLowerCase()))];
      if (mails.length) await db.insertInto('pgp_key_emails').values(mails.map((email) => ({ email, fingerprint: row.fingerprint }))).execute();
    },

    async list(db: Db, limit: number): Promise<PgpKeyRow[]> {
      return db.selectFrom('pgp_keys').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },

    async byKeyIds(db: Db, keyIds: readonly string[]): Promise<PgpKeyRow[]> {
      if (keyIds.length === 0) return [];
      return db
        .selectFrom('pgp_keys')
        .selectAll('pgp_keys')
        .where('fingerprint', 'in', (eb) => eb.selectFrom('pgp_key_ids').select('pgp_key_ids.fingerprint').where('key_id', 'in', keyIds.map((k) => k.toLowerCase())))
        .execute();
    },

    /** Keys carrying an address in a user ID, newest first. */
    async byEmail(db: Db, email: string): Promise<PgpKeyRow[]> {
      return db
        .selectFrom('pgp_keys')
        .selectAll('pgp_keys')
        .where('fingerprint', 'in', (eb) => eb.selectFrom('pgp_key_emails').select('pgp_key_emails.fingerprint').where('email', '=', email.toLowerCase()))
        .orderBy('created_at', 'desc')
        .execute();
    },
  };
}

export type KeysRepository = ReturnType<typeof createKeysRepository>;
