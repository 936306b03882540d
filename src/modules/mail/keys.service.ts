import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PublicKey } from 'openpgp';
import type { MailConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import { Conflict, Invalid } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import {
  describePublicKey,
  generateTeamKey,
  importTeamKey,
  loadTeamKey,
  readPublicKeys,
  readTeamKeyFile,
  writeTeamKeyFile,
  type ContactKeyInfo,
  type KeyLookup,
  type TeamKey,
  type TeamKeyAlgorithm,
} from '../../lib/pgp.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import { publishedTeamKey, type PublishedKey } from './public-face.js';
import type { KeysRepository, PgpKeyRow } from './keys.repository.js';

/**
 * The team key (a passphrase-protected file under the data folder, unlocked in memory) and the
 * contacts' public keys (the `pgp_keys` table). The file is re-read when it changes on disk, so a
 * `tocsin keys generate|import` while the server runs takes effect without a restart.
 */
export interface ContactKeyView {
  fingerprint: string;
  keyId: string;
  userIds: string[];
  emails: string[];
  algorithm: string;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
  canEncrypt: boolean;
  canSign: boolean;
  source: string;
  addedAt: string;
  armored: string;
}

export interface TeamKeyInfo {
  fingerprint: string;
  emails: string[];
  armored: string;
}

type KeyConfig = Pick<MailConfig, 'teamKeyPath' | 'pgpPassphrase'>;

export function createKeysService(deps: { db: Db; keys: KeysRepository; audit: AuditService; clock: Clock; config: KeyConfig }) {
  const { db, keys, audit, clock, config } = deps;
  let loaded: { mtimeMs: number; key: TeamKey; published: Promise<PublishedKey> } | null = null;
  let loading: Promise<TeamKey | null> | null = null;
  const parsed = new Map<string, { updatedAt: string; key: PublicKey }>();

  async function loadFromDisk(): Promise<TeamKey | null> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(config.teamKeyPath)).mtimeMs;
    } catch {
      loaded = null;
      return null;
    }
    if (loaded && loaded.mtimeMs === mtimeMs) return loaded.key;
    if (!config.pgpPassphrase) throw new Invalid('pgp.passphrase.missing', 'TOCSIN_PGP_PASSPHRASE is not set, so the team key cannot be unlocked');
    const key = await loadTeamKey(await readTeamKeyFile(config.teamKeyPath), config.pgpPassphrase);
    loaded = { mtimeMs, key, published: publishedTeamKey(key) };
    return key;
  }

  function requirePassphrase(): string {
    if (!config.pgpPassphrase) throw new Invalid('pgp.passphrase.missing', 'set TOCSIN_PGP_PASSPHRASE first: it protects the team key at rest');
    return config.pgpPassphrase;
  }

  async function store(actor: Actor, armoredPrivateKey: string, action: string, force: boolean): Promise<TeamKey> {
    if (existsSync(config.teamKeyPath) && !force) throw new Conflict('pgp.team-key.exists', `a team key already exists at ${config.teamKeyPath} (use --force to replace it)`);
    await mkdir(dirname(config.teamKeyPath), { recursive: true, mode: 0o700 });
    await writeTeamKeyFile(config.teamKeyPath, armoredPrivateKey);
    loaded = null;
    const key = (await loadFromDisk())!;
    await audit.recordAlone(actor, { action, targetType: 'pgp_key', targetId: null, details: { fingerprint: key.fingerprint, emails: key.emails } });
    return key;
  }

  function view(r: PgpKeyRow, now: Date): ContactKeyView {
    return {
      fingerprint: r.fingerprint,
      keyId: r.key_id,
      userIds: JSON.parse(r.user_ids) as string[],
      emails: JSON.parse(r.emails) as string[],
      algorithm: r.algorithm,
      createdAt: r.key_created_at,
      expiresAt: r.expires_at,
      expired: r.expires_at !== null && r.expires_at <= now.toISOString(),
      revoked: r.revoked === 1,
      canEncrypt: r.can_encrypt === 1,
      canSign: r.can_sign === 1,
      source: r.source,
      addedAt: r.created_at,
      armored: r.armored,
    };
  }

  async function parse(r: PgpKeyRow): Promise<PublicKey> {
    const hit = parsed.get(r.fingerprint);
    if (hit && hit.updatedAt === r.updated_at) return hit.key;
    const [key] = await readPublicKeys(r.armored);
    parsed.set(r.fingerprint, { updatedAt: r.updated_at, key: key! });
    return key!;
  }

  /** Signature verification: contacts' keys holding any of the key IDs. */
  const lookup: KeyLookup = async (keyIds) => Promise.all((await keys.byKeyIds(db, keyIds)).map(parse));

  return {
    lookup,

    /** The unlocked team key, or null when none has been generated or imported yet. */
    async teamKey(): Promise<TeamKey | null> {
      if (!loading) loading = loadFromDisk().finally(() => (loading = null));
      return loading;
    },

    async teamKeyOrFail(): Promise<TeamKey> {
      const key = await this.teamKey();
      if (!key) throw new Invalid('pgp.team-key.missing', 'no team key: run `tocsin keys generate` or `tocsin keys import`');
      return key;
    },

    /** What the public face serves: armored key, WKD entries. */
    async published(): Promise<PublishedKey | null> {
      const key = await this.teamKey();
      return key && loaded ? loaded.published : null;
    },

    async teamInfo(): Promise<TeamKeyInfo | null> {
      const key = await this.teamKey();
      return key ? { fingerprint: key.fingerprint, emails: key.emails, armored: key.publicKey.armor() } : null;
    },

    async generateTeam(actor: Actor, opts: { name: string; email: string; algorithm?: TeamKeyAlgorithm; expiresInDays?: number; force?: boolean }): Promise<{ key: TeamKey; revocationCertificate: string | null }> {
      const material = await generateTeamKey({
        identities: [{ name: opts.name, email: opts.email }],
        passphrase: requirePassphrase(),
        ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
        ...(opts.expiresInDays ? { expiresInSeconds: opts.expiresInDays * 86400 } : {}),
        date: clock.now(),
      });
      const key = await store(actor, material.armoredPrivateKey, 'mail.team_key.generate', opts.force ?? false);
      return { key, revocationCertificate: material.revocationCertificate };
    },

    async importTeam(actor: Actor, opts: { armoredPrivateKey: string; currentPassphrase?: string; force?: boolean }): Promise<TeamKey> {
      const material = await importTeamKey({
        armoredPrivateKey: opts.armoredPrivateKey,
        passphrase: requirePassphrase(),
        ...(opts.currentPassphrase !== undefined ? { currentPassphrase: opts.currentPassphrase } : {}),
      });
      return store(actor, material.armoredPrivateKey, 'mail.team_key.import', opts.force ?? false);
    },

    /** Adds (or refreshes: same fingerprint, merged) a contact's public key. */
    async importContact(actor: Actor, armored: string, source: 'console' | 'cli'): Promise<ContactKeyView> {
      authorize(actor, 'mail:keys-manage');
      const [incoming, ...more] = await readPublicKeys(armored).catch((err: unknown) => {
        // One stable, translated API code; the precise reason travels in the details.
        if (err instanceof Invalid) throw new Invalid('validation_failed', err.message, { details: [{ field: 'armored', code: err.code, message: err.message }] });
        throw err;
      });
      if (!incoming || more.length > 0) throw new Invalid('validation_failed', undefined, { details: [{ field: 'armored', code: 'pgp.key.not-one', message: `expected one key, found ${more.length + (incoming ? 1 : 0)}` }] });
      const now = clock.now();
      const nowIso = now.toISOString();
      return db.transaction().execute(async (trx) => {
        const fingerprint = (await describePublicKey(incoming, now)).fingerprint;
        const existing = await keys.byFingerprint(trx, fingerprint);
        // Same key again (new user IDs, extended expiry, a revocation): merge rather than replace.
        const merged = existing ? await (await readPublicKeys(existing.armored))[0]!.update(incoming, now) : incoming;
        const info: ContactKeyInfo = await describePublicKey(merged, now);
        const id = existing?.id ?? uuidv7(now.getTime());
        await keys.upsert(
          trx,
          {
            id,
            fingerprint: info.fingerprint,
            key_id: info.keyId,
            user_ids: JSON.stringify(info.userIds),
            emails: JSON.stringify(info.emails),
            armored: info.armored,
            algorithm: info.curve ? `${info.algorithm} (${info.curve})` : info.bits ? `${info.algorithm} ${info.bits}` : info.algorithm,
            key_created_at: info.createdAt.toISOString(),
            expires_at: info.expiresAt ? info.expiresAt.toISOString() : null,
            revoked: info.revoked ? 1 : 0,
            can_encrypt: info.canEncrypt ? 1 : 0,
            can_sign: info.canSign ? 1 : 0,
            source,
            added_by: actor.kind === 'user' ? actor.id : null,
            created_at: existing?.created_at ?? nowIso,
            updated_at: nowIso,
          },
          info.allKeyIds,
          info.emails,
        );
        await audit.record(trx, actor, { action: existing ? 'mail.contact_key.update' : 'mail.contact_key.import', targetType: 'pgp_key', targetId: id, details: { fingerprint: info.fingerprint, revoked: info.revoked } });
        return view((await keys.byFingerprint(trx, info.fingerprint))!, now);
      });
    },

    async listContacts(actor: Actor, limit = 500): Promise<ContactKeyView[]> {
      authorize(actor, 'mail:read');
      const now = clock.now();
      return (await keys.list(db, limit)).map((r) => view(r, now));
    },

    /** A usable encryption key for an address (not revoked, not expired, can encrypt), or null. */
    async encryptionKeyFor(email: string): Promise<PublicKey | null> {
      const nowIso = clock.now().toISOString();
      for (const r of await keys.byEmail(db, email)) {
        if (r.revoked === 1 || r.can_encrypt !== 1 || (r.expires_at !== null && r.expires_at <= nowIso)) continue;
        return parse(r);
      }
      return null;
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
