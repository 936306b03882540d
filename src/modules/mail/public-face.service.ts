import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { pickLanguage as pickAcceptLanguage } from '../../lib/i18n.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { KeysService } from './keys.service.js';
import type { MailProfile, MailProfilePatch } from './mail.schemas.js';
import { buildSecurityTxt, renderRfc2350, signedRfc2350, signedSecurityTxt, type Lang, type SecurityTxtSettings, type TeamProfile } from './public-face.js';

/**
 * The team's public face served over HTTP: security.txt (RFC 9116), the team key (stable URL and
 * WKD), and the RFC 2350 description, built from the site settings, the mail profile settings
 * (`mail.profile`) and TOCSIN_PUBLIC_URL. Signed documents are cached per day and content.
 */
const KEY = 'mail.profile';

const L = (zh: string, en: string) => ({ 'zh-TW': zh, en });

export const DEFAULT_PROFILE: MailProfile = {
  securityTxt: { policy: null, acknowledgments: null, hiring: null, expiresDays: 180 },
  rfc2350: {
    shortName: 'CERT',
    lastUpdated: '2026-11-27',
    timeZone: 'Asia/Taipei (UTC+8)',
    address: L('（請於設定中填寫）', '(to be set in the settings)'),
    pointsOfContact: L('請以電子郵件聯絡本團隊；敏感資料請以本團隊 OpenPGP 金鑰加密。', 'Contact the team by e-mail; encrypt sensitive material with the team OpenPGP key.'),
    mission: L('協助服務對象預防、偵測及回應資安事件。', 'To help our constituency prevent, detect and respond to security incidents.'),
    constituency: L('（請於設定中填寫）', '(to be set in the settings)'),
    sponsorship: L('（請於設定中填寫）', '(to be set in the settings)'),
    authority: L('（請於設定中填寫）', '(to be set in the settings)'),
    incidentTypes: L('處理所有類型之資安事件，並依影響程度排定優先順序。', 'All types of security incidents, prioritised by their impact.'),
    cooperation: L('依 TLP 2.0 與其他 CERT/CSIRT 合作並交換資訊。', 'We cooperate and share information with other CERTs/CSIRTs under TLP 2.0.'),
    communication: L('建議以 OpenPGP 加密之電子郵件通訊。', 'OpenPGP-encrypted e-mail is recommended.'),
    incidentResponse: L('事件分類、協調與處理支援。', 'Incident triage, coordination and resolution support.'),
    proactiveActivities: L('資安警訊與通報。', 'Security advisories and notifications.'),
    reportingForms: L('請使用網站上的通報表單或寄送電子郵件。', 'Use the reporting form on our website or send an e-mail.'),
    disclaimers: L('本團隊盡力確保資訊正確，惟不負任何因使用本資訊所生之責任。', 'While every precaution is taken in the preparation of information, the team assumes no responsibility for errors or for damages resulting from its use.'),
  },
};

/** ?lang= when given, else the Accept-Language preference (zh-TW by default). */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'en' || query === 'zh-TW') return query;
  return pickAcceptLanguage(acceptLanguage);
}

export function createPublicFaceService(deps: { db: Db; settingsRepo: SettingsRepository; settings: SettingsService; keys: KeysService; audit: AuditService; clock: Clock; config: Pick<Config, 'publicUrl' | 'mail'> }) {
  const { db, settingsRepo, settings, keys, audit, clock, config } = deps;
  const cache = new Map<string, string>();
  const https = config.publicUrl.startsWith('https://');

  async function profile(): Promise<MailProfile> {
    const stored = (await settingsRepo.get<Partial<MailProfile>>(db, KEY)) ?? {};
    return { securityTxt: { ...DEFAULT_PROFILE.securityTxt, ...stored.securityTxt }, rfc2350: { ...DEFAULT_PROFILE.rfc2350, ...stored.rfc2350 } };
  }

  async function reportAddress(): Promise<string> {
    return config.mail.addresses.find((a) => !a.startsWith('@')) ?? (await settings.site()).email;
  }

  function cached(key: string, make: () => Promise<string>): Promise<string> {
    const hit = cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    return make().then((v) => {
      if (cache.size > 50) cache.clear();
      cache.set(key, v);
      return v;
    });
  }

  return {
    profile,

    async getProfile(actor: Actor): Promise<MailProfile> {
      authorize(actor, 'settings:manage');
      return profile();
    },

    async updateProfile(actor: Actor, patch: MailProfilePatch): Promise<MailProfile> {
      authorize(actor, 'settings:manage');
      const current = await profile();
      const next: MailProfile = { securityTxt: { ...current.securityTxt, ...patch.securityTxt }, rfc2350: { ...current.rfc2350, ...patch.rfc2350 } };
      await db.transaction().execute(async (trx) => {
        await settingsRepo.set(trx, KEY, next, clock.now().toISOString());
        await audit.record(trx, actor, { action: 'mail.profile.update', targetType: 'settings', details: { changed: [...Object.keys(patch.securityTxt ?? {}).map((k) => `securityTxt.${k}`), ...Object.keys(patch.rfc2350 ?? {}).map((k) => `rfc2350.${k}`)] } });
      });
      cache.clear();
      return next;
    },

    keyUrl: () => `${config.publicUrl}/pgp-key.asc`,

    /** security.txt, cleartext-signed when there is a team key; Expires counts from today (UTC). */
    async securityTxt(): Promise<string> {
      const [p, key, email] = await Promise.all([profile(), keys.teamKey().catch(() => null), reportAddress()]);
      const today = new Date(clock.now().toISOString().slice(0, 10) + 'T00:00:00Z');
      const s: SecurityTxtSettings = {
        contacts: [`mailto:${email}`, ...(https ? [`${config.publicUrl}/`] : [])],
        expires: new Date(today.getTime() + p.securityTxt.expiresDays * 86400_000),
        encryption: key ? [https ? `${config.publicUrl}/pgp-key.asc` : `openpgp4fpr:${key.fingerprint.toLowerCase()}`] : [],
        preferredLanguages: ['zh-TW', 'en'],
        canonical: https ? [`${config.publicUrl}/.well-known/security.txt`] : [],
        policy: p.securityTxt.policy ? [p.securityTxt.policy] : https ? [`${config.publicUrl}/rfc2350`] : [],
        ...(p.securityTxt.acknowledgments ? { acknowledgments: [p.securityTxt.acknowledgments] } : {}),
        ...(p.securityTxt.hiring ? { hiring: [p.securityTxt.hiring] } : {}),
      };
      const now = clock.now();
      return cached(`sec:${key?.fingerprint ?? ''}:${JSON.stringify(s)}`, async () => (key ? signedSecurityTxt(s, key, now) : buildSecurityTxt(s, now)));
    },

    async rfc2350(lang: Lang): Promise<string> {
      const [p, key, email, site] = await Promise.all([profile(), keys.teamKey().catch(() => null), reportAddress(), settings.site()]);
      const r = p.rfc2350;
      const team: TeamProfile = {
        ...r,
        name: site.teamName,
        lastUpdated: new Date(`${r.lastUpdated}T00:00:00Z`),
        documentLocations: [`${config.publicUrl}/rfc2350`],
        email: site.email,
        reportEmail: email,
        ...(site.phone ? { telephone: site.phone } : {}),
        keyFingerprint: key?.fingerprint ?? '',
        keyUrl: `${config.publicUrl}/pgp-key.asc`,
      };
      return cached(`rfc:${lang}:${key?.fingerprint ?? ''}:${JSON.stringify(team)}`, async () => (key ? signedRfc2350(team, lang, key) : renderRfc2350(team, lang)));
    },
  };
}

export type PublicFaceService = ReturnType<typeof createPublicFaceService>;
