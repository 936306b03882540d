import type { Db, Row, RowUpdate } from '../../db/database.js';
import type { Language } from '../../lib/i18n.js';
import type { Role } from './policy.js';

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  organisationId: string | null;
  language: Language;
  mfaEnabled: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserSecrets {
  passwordHash: string;
  mfaSecret: string | null;
  mfaPendingSecret: string | null;
  mfaLastStep: number | null;
  recoveryCodes: string[];
}

export function toUser(r: Row<'users'>): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    role: r.role as Role,
    organisationId: r.organisation_id,
    language: r.language === 'en' ? 'en' : 'zh-TW',
    mfaEnabled: r.mfa_enabled === 1,
    disabled: r.disabled === 1,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}

function toSecrets(r: Row<'users'>): UserSecrets {
  return {
    passwordHash: r.password_hash,
    mfaSecret: r.mfa_secret,
    mfaPendingSecret: r.mfa_pending_secret,
    mfaLastStep: r.mfa_last_step === null ? null : Number(r.mfa_last_step),
    recoveryCodes: JSON.parse(r.recovery_codes) as string[],
  };
}

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  passwordHash: string;
  role: Role;
  organisationId: string | null;
  language: Language;
  now: string;
}

export function createUsersRepository() {
  return {
    async insert(db: Db, u: NewUser): Promise<void> {
      await db
        .insertInto('users')
        .values({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          email: u.email,
          password_hash: u.passwordHash,
          role: u.role,
          organisation_id: u.organisationId,
          language: u.language,
          created_at: u.now,
          updated_at: u.now,
        })
        .execute();
    },
    async count(db: Db): Promise<number> {
      const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async byId(db: Db, id: string): Promise<User | undefined> {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async byUsername(db: Db, username: string): Promise<{ user: User; secrets: UserSecrets } | undefined> {
      const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return r && { user: toUser(r), secrets: toSecrets(r) };
    },
    async secrets(db: Db, id: string): Promise<UserSecrets | undefined> {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toSecrets(r);
    },
    async list(db: Db): Promise<User[]> {
      return (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
    },
    async update(db: Db, id: string, patch: RowUpdate<'users'>): Promise<void> {
      await db.updateTable('users').set(patch).where('id', '=', id).execute();
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
