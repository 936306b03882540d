import type { Db } from '../../db/database.js';

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  mfaVerified: boolean;
  expiresAt: string;
  lastSeenAt: string;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function createSessionsRepository() {
  return {
    async insert(db: Db, s: Session & { createdAt: string; ip: string | null }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({ id: s.id, user_id: s.userId, csrf_token: s.csrfToken, mfa_verified: s.mfaVerified ? 1 : 0, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt, ip: s.ip })
        .execute();
    },
    async byId(db: Db, id: string): Promise<Session | undefined> {
      const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, userId: r.user_id, csrfToken: r.csrf_token, mfaVerified: r.mfa_verified === 1, expiresAt: r.expires_at, lastSeenAt: r.last_seen_at };
    },
    async touch(db: Db, id: string, lastSeenAt: string, expiresAt: string): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
    },
    async delete(db: Db, id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
    async deleteForUser(db: Db, userId: string): Promise<void> {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
    async deleteExpired(db: Db, now: string): Promise<void> {
      await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    },

    async insertToken(db: Db, t: ApiToken & { tokenHash: string }): Promise<void> {
      await db
        .insertInto('api_tokens')
        .values({ id: t.id, user_id: t.userId, name: t.name, token_hash: t.tokenHash, scopes: JSON.stringify(t.scopes), created_at: t.createdAt, expires_at: t.expiresAt })
        .execute();
    },
    async tokenByHash(db: Db, hash: string): Promise<ApiToken | undefined> {
      const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r && { id: r.id, userId: r.user_id, name: r.name, scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
    },
    async tokensForUser(db: Db, userId: string): Promise<ApiToken[]> {
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
      return rows.map((r) => ({ id: r.id, userId: r.user_id, name: r.name, scopes: JSON.parse(r.scopes) as string[], createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
    },
    async markTokenUsed(db: Db, id: string, at: string): Promise<void> {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async revokeToken(db: Db, id: string, userId: string, at: string): Promise<boolean> {
      const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Fixed-window counter for login throttling; returns the count after this attempt. */
    async hit(db: Db, key: string, windowStart: string, now: string): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();
        if (!row || row.window_start < windowStart) {
          if (row) await trx.updateTable('login_attempts').set({ window_start: now, count: 1 }).where('key', '=', key).execute();
          else await trx.insertInto('login_attempts').values({ key, window_start: now, count: 1 }).execute();
          return 1;
        }
        await trx.updateTable('login_attempts').set({ count: row.count + 1 }).where('key', '=', key).execute();
        return row.count + 1;
      });
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
