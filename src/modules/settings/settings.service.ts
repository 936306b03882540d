import { Type, type Static } from 'typebox';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/time.js';
import { authorize, type Actor } from '../auth/policy.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SettingsRepository } from './settings.repository.js';

/** Deployment settings an administrator edits in the console. */
export const SiteSettingsSchema = Type.Object(
  {
    teamName: Type.Object({ 'zh-TW': Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    email: Type.String({ maxLength: 320 }),
    phone: Type.String({ maxLength: 50 }),
    trackingPrefix: Type.String({ pattern: '^[A-Z][A-Z0-9]{0,9}$' }),
    incidentPrefix: Type.String({ pattern: '^[A-Z][A-Z0-9]{0,9}$' }),
    requireMfa: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SiteSettings = Static<typeof SiteSettingsSchema>;

export const DEFAULT_SETTINGS: SiteSettings = {
  teamName: { 'zh-TW': '電腦緊急應變小組', en: 'Computer Emergency Response Team' },
  email: 'report@cert.example',
  phone: '',
  trackingPrefix: 'TC',
  incidentPrefix: 'IN',
  requireMfa: false,
};

const KEY = 'site';

export function createSettingsService(deps: { db: Db; settings: SettingsRepository; audit: AuditService; clock: Clock }) {
  const { db, settings, audit, clock } = deps;
  let cache: SiteSettings | undefined;
  return {
    /** Read often (every report, every login): cached in process, refreshed on change. */
    async site(): Promise<SiteSettings> {
      if (!cache) cache = { ...DEFAULT_SETTINGS, ...((await settings.get<Partial<SiteSettings>>(db, KEY)) ?? {}) };
      return cache;
    },
    async update(actor: Actor, patch: Partial<SiteSettings>): Promise<SiteSettings> {
      authorize(actor, 'settings:manage');
      const next = { ...(await this.site()), ...patch };
      await db.transaction().execute(async (trx) => {
        await settings.set(trx, KEY, next, clock.now().toISOString());
        await audit.record(trx, actor, { action: 'settings.update', targetType: 'settings', details: { changed: Object.keys(patch) } });
      });
      cache = next;
      return next;
    },
    invalidate(): void {
      cache = undefined;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
