import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import QRCode from 'qrcode';
import type { Db } from '../../db/database.js';
import { Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthenticated } from '../../lib/errors.js';
import { hashSecret, secretToken, uuidv7 } from '../../lib/ids.js';
import type { Language } from '../../lib/i18n.js';
import { addMs, HOUR_MS, MINUTE_MS, type Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import { authorize, type Actor, type Role } from './policy.js';
import type { ApiToken, SessionsRepository } from './sessions.repository.js';
import { matchTotp, newTotpSecret, totpUri } from './totp.js';
import type { User, UsersRepository } from './users.repository.js';

// algorithm 2 is Argon2id (a const enum in the typings, which isolated modules cannot import).
const ARGON = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 12;
/** Failed sign-ins before a lock, and the lock's growth (minutes): 15, 30, 60… capped at a day. */
const LOCK_AFTER = 5;
const LOCK_BASE_MINUTES = 15;
/** Sign-in attempts per client address per 15 minutes. */
const IP_ATTEMPTS = 30;
const IP_WINDOW_MS = 15 * MINUTE_MS;
const SETUP_KEY = 'setup_token_hash';
export const TOKEN_SCOPES = ['reports:write', 'reports:read', 'incidents:read', 'incidents:write', 'handoffs:write', 'samples:write', 'samples:read', 'feeds:write'] as const;

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON);
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string | undefined;
  recoveryCode?: string | undefined;
  ip: string | null;
}

export interface SessionInfo {
  user: User;
  csrfToken: string;
  mfaRequired: boolean;
}

export function createAuthService(deps: {
  db: Db;
  users: UsersRepository;
  sessions: SessionsRepository;
  settingsRepo: SettingsRepository;
  settings: SettingsService;
  audit: AuditService;
  clock: Clock;
  sessionTtlHours: number;
}) {
  const { db, users, sessions, settingsRepo, settings, audit, clock } = deps;
  const ttlMs = deps.sessionTtlHours * HOUR_MS;
  // A fixed dummy hash so that an unknown username costs as much time as a wrong password.
  const dummyHash = hashPassword(secretToken(16));

  async function checkSecondFactor(userId: string, input: LoginInput, secrets: { mfaSecret: string | null; mfaLastStep: number | null; recoveryCodes: string[] }): Promise<boolean> {
    const now = clock.now();
    if (input.totp && secrets.mfaSecret) {
      const step = matchTotp(secrets.mfaSecret, input.totp.trim(), now, secrets.mfaLastStep);
      if (step === null) return false;
      await users.update(db, userId, { mfa_last_step: step });
      return true;
    }
    if (input.recoveryCode) {
      const digest = hashSecret(input.recoveryCode.trim().toLowerCase());
      if (!secrets.recoveryCodes.includes(digest)) return false;
      await users.update(db, userId, { recovery_codes: JSON.stringify(secrets.recoveryCodes.filter((c) => c !== digest)) });
      return true;
    }
    return false;
  }

  return {
    /** Returns the session token (cookie value) plus the session's user; throws a typed error otherwise. */
    async login(input: LoginInput): Promise<{ token: string; info: SessionInfo }> {
      const now = clock.now();
      const nowIso = now.toISOString();
      if (input.ip) {
        const count = await sessions.hit(db, `ip:${input.ip}`, addMs(now, -IP_WINDOW_MS).toISOString(), nowIso);
        if (count > IP_ATTEMPTS) throw new TooManyRequests('too_many_attempts', Math.ceil(IP_WINDOW_MS / 1000));
      }
      const found = await users.byUsername(db, input.username.trim());
      const anon: Actor = { kind: 'anonymous', ip: input.ip };
      if (!found) {
        await argonVerify(await dummyHash, input.password).catch(() => false);
        await audit.recordAlone(anon, { action: 'auth.login_failed', details: { username: input.username.slice(0, 64), reason: 'unknown_user' } });
        throw new Unauthenticated('invalid_credentials');
      }
      const { user, secrets } = found;
      if (user.lockedUntil && user.lockedUntil > nowIso) {
        const minutes = Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / MINUTE_MS);
        throw new TooManyRequests('account_locked', minutes * 60, { minutes });
      }
      const passwordOk = await argonVerify(secrets.passwordHash, input.password).catch(() => false);
      if (!passwordOk) {
        const failures = user.failedLogins + 1;
        const lock = failures >= LOCK_AFTER ? addMs(now, Math.min(LOCK_BASE_MINUTES * 2 ** (failures - LOCK_AFTER), 24 * 60) * MINUTE_MS).toISOString() : null;
        await db.transaction().execute(async (trx) => {
          await users.update(trx, user.id, { failed_logins: failures, locked_until: lock });
          await audit.record(trx, anon, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, details: { reason: 'bad_password', failures, locked: lock !== null } });
        });
        throw new Unauthenticated('invalid_credentials');
      }
      if (user.disabled) throw new Forbidden('account_disabled');
      if (user.mfaEnabled) {
        if (!input.totp && !input.recoveryCode) throw new Unauthenticated('mfa_required');
        const ok = await checkSecondFactor(user.id, input, secrets);
        if (!ok) {
          const failures = user.failedLogins + 1;
          await users.update(db, user.id, { failed_logins: failures });
          await audit.recordAlone(anon, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, details: { reason: 'bad_second_factor' } });
          throw new Unauthenticated('mfa_invalid');
        }
      }
      const token = secretToken(32);
      const csrfToken = secretToken(24);
      const actor: Actor = { kind: 'user', id: user.id, username: user.username, role: user.role, organisationId: user.organisationId, ip: input.ip, via: 'session' };
      await db.transaction().execute(async (trx) => {
        await sessions.insert(trx, { id: hashSecret(token), userId: user.id, csrfToken, mfaVerified: user.mfaEnabled, createdAt: nowIso, lastSeenAt: nowIso, expiresAt: addMs(now, ttlMs).toISOString(), ip: input.ip });
        await users.update(trx, user.id, { failed_logins: 0, locked_until: null, last_login_at: nowIso });
        await audit.record(trx, actor, { action: 'auth.login', targetType: 'user', targetId: user.id, details: { mfa: user.mfaEnabled, recoveryCode: Boolean(input.recoveryCode) } });
      });
      const requireMfa = (await settings.site()).requireMfa;
      return { token, info: { user: { ...user, failedLogins: 0, lockedUntil: null }, csrfToken, mfaRequired: requireMfa && !user.mfaEnabled } };
    },

    /** Resolves a session cookie to its user; sliding expiry. */
    async resolveSession(token: string): Promise<SessionInfo | null> {
      const s = await sessions.byId(db, hashSecret(token));
      const now = clock.now();
      if (!s || s.expiresAt <= now.toISOString()) return null;
      const user = await users.byId(db, s.userId);
      if (!user || user.disabled) return null;
      // Refresh at most once a minute: a read-heavy console must not write on every request.
      if (now.getTime() - Date.parse(s.lastSeenAt) > MINUTE_MS) await sessions.touch(db, s.id, now.toISOString(), addMs(now, ttlMs).toISOString());
      const requireMfa = (await settings.site()).requireMfa;
      return { user, csrfToken: s.csrfToken, mfaRequired: requireMfa && !user.mfaEnabled };
    },

    async logout(token: string, actor: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await sessions.delete(trx, hashSecret(token));
        if (actor.kind === 'user') await audit.record(trx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.id });
      });
    },

    /** Resolves a bearer API token; null when unknown, expired or revoked. */
    async resolveToken(token: string): Promise<{ user: User; token: ApiToken } | null> {
      const t = await sessions.tokenByHash(db, hashSecret(token));
      const nowIso = clock.now().toISOString();
      if (!t || t.revokedAt || t.expiresAt <= nowIso) return null;
      const user = await users.byId(db, t.userId);
      if (!user || user.disabled) return null;
      if (!t.lastUsedAt || Date.parse(nowIso) - Date.parse(t.lastUsedAt) > MINUTE_MS) await sessions.markTokenUsed(db, t.id, nowIso);
      return { user, token: t };
    },

    async createToken(actor: Actor, input: { name: string; scopes: string[]; expiresInDays: number }): Promise<{ token: string; record: ApiToken }> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user' || actor.via !== 'session') throw new Forbidden('forbidden');
      const unknown = input.scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
      if (unknown.length) throw new Invalid('validation_failed', undefined, { details: unknown.map((s) => ({ field: 'scopes', code: 'unknown_scope', message: s })) });
      const now = clock.now();
      const token = `tcn_${secretToken(32)}`;
      const record: ApiToken = { id: uuidv7(), userId: actor.id, name: input.name, scopes: input.scopes, createdAt: now.toISOString(), expiresAt: addMs(now, input.expiresInDays * 24 * HOUR_MS).toISOString(), lastUsedAt: null, revokedAt: null };
      await db.transaction().execute(async (trx) => {
        await sessions.insertToken(trx, { ...record, tokenHash: hashSecret(token) });
        await audit.record(trx, actor, { action: 'token.create', targetType: 'api_token', targetId: record.id, details: { name: input.name, scopes: input.scopes, expiresAt: record.expiresAt } });
      });
      return { token, record };
    },

    async listTokens(actor: Actor): Promise<ApiToken[]> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user') return [];
      return sessions.tokensForUser(db, actor.id);
    },

    async revokeToken(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user') throw new Forbidden('forbidden');
      await db.transaction().execute(async (trx) => {
        const ok = await sessions.revokeToken(trx, id, actor.id, clock.now().toISOString());
        if (!ok) throw new NotFound('not_found');
        await audit.record(trx, actor, { action: 'token.revoke', targetType: 'api_token', targetId: id });
      });
    },

    async beginMfa(actor: Actor): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user' || actor.via !== 'session') throw new Forbidden('forbidden');
      const secret = newTotpSecret();
      const site = await settings.site();
      await users.update(db, actor.id, { mfa_pending_secret: secret });
      const otpauthUrl = totpUri(secret, actor.username, site.teamName.en);
      const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return { secret, otpauthUrl, qrSvg };
    },

    async confirmMfa(actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user' || actor.via !== 'session') throw new Forbidden('forbidden');
      const secrets = await users.secrets(db, actor.id);
      if (!secrets?.mfaPendingSecret) throw new Invalid('mfa_not_pending');
      const step = matchTotp(secrets.mfaPendingSecret, code.trim(), clock.now(), null);
      if (step === null) throw new Invalid('mfa_invalid');
      const recoveryCodes = Array.from({ length: 10 }, () => secretToken(10).toLowerCase().replace(/[^a-z0-9]/g, 'x').slice(0, 12));
      await db.transaction().execute(async (trx) => {
        await users.update(trx, actor.id, {
          mfa_enabled: 1,
          mfa_secret: secrets.mfaPendingSecret,
          mfa_pending_secret: null,
          mfa_last_step: step,
          recovery_codes: JSON.stringify(recoveryCodes.map((c) => hashSecret(c))),
          updated_at: clock.now().toISOString(),
        });
        await audit.record(trx, actor, { action: 'auth.mfa_enabled', targetType: 'user', targetId: actor.id });
      });
      return { recoveryCodes };
    },

    async disableMfa(actor: Actor, password: string): Promise<void> {
      authorize(actor, 'self:manage');
      if (actor.kind !== 'user' || actor.via !== 'session') throw new Forbidden('forbidden');
      const secrets = await users.secrets(db, actor.id);
      if (!secrets || !(await argonVerify(secrets.passwordHash, password).catch(() => false))) throw new Unauthenticated('invalid_credentials');
      await db.transaction().execute(async (trx) => {
        await users.update(trx, actor.id, { mfa_enabled: 0, mfa_secret: null, mfa_last_step: null, recovery_codes: '[]', updated_at: clock.now().toISOString() });
        await audit.record(trx, actor, { action: 'auth.mfa_disabled', targetType: 'user', targetId: actor.id });
      });
    },

    /** First run: a one-time token for creating the first administrator (printed by the server). */
    async issueSetupToken(): Promise<string | null> {
      if ((await users.count(db)) > 0) return null;
      const token = secretToken(24);
      await settingsRepo.set(db, SETUP_KEY, hashSecret(token), clock.now().toISOString());
      return token;
    },

    async setupNeeded(): Promise<boolean> {
      return (await users.count(db)) === 0;
    },

    async completeSetup(input: { token: string; username: string; displayName: string; password: string; language: Language }): Promise<User> {
      const expected = await settingsRepo.get<string>(db, SETUP_KEY);
      if ((await users.count(db)) > 0) throw new Conflict('setup_done');
      if (!expected || expected !== hashSecret(input.token)) throw new Forbidden('setup_token_invalid');
      const system: Actor = { kind: 'system', component: 'setup' };
      const user = await this.createUser(system, { username: input.username, displayName: input.displayName, password: input.password, role: 'admin', organisationId: null, email: null, language: input.language });
      await settingsRepo.delete(db, SETUP_KEY);
      return user;
    },

    async createUser(actor: Actor, input: { username: string; displayName: string; password: string; role: Role; organisationId: string | null; email: string | null; language: Language }): Promise<User> {
      authorize(actor, 'user:manage');
      if (input.password.length < MIN_PASSWORD_LENGTH) throw new Invalid('weak_password', undefined, { details: [{ field: 'password', code: 'weak_password' }] });
      if ((input.role === 'partner' || input.role === 'constituent') && !input.organisationId) {
        throw new Invalid('validation_failed', undefined, { details: [{ field: 'organisationId', code: 'required_for_role' }] });
      }
      if (await users.byUsername(db, input.username)) throw new Conflict('username_taken', undefined, { details: [{ field: 'username', code: 'username_taken' }] });
      const now = clock.now().toISOString();
      const id = uuidv7();
      const passwordHash = await hashPassword(input.password);
      await db.transaction().execute(async (trx) => {
        await users.insert(trx, { id, username: input.username, displayName: input.displayName, email: input.email, passwordHash, role: input.role, organisationId: input.organisationId, language: input.language, now });
        await audit.record(trx, actor, { action: 'user.create', targetType: 'user', targetId: id, details: { username: input.username, role: input.role, organisationId: input.organisationId } });
      });
      return (await users.byId(db, id))!;
    },

    async resetMfa(actor: Actor, username: string): Promise<void> {
      authorize(actor, 'user:manage');
      const found = await users.byUsername(db, username);
      if (!found) throw new NotFound('not_found');
      await db.transaction().execute(async (trx) => {
        await users.update(trx, found.user.id, { mfa_enabled: 0, mfa_secret: null, mfa_pending_secret: null, mfa_last_step: null, recovery_codes: '[]', updated_at: clock.now().toISOString() });
        await sessions.deleteForUser(trx, found.user.id);
        await audit.record(trx, actor, { action: 'user.mfa_reset', targetType: 'user', targetId: found.user.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
