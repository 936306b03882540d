import type { Db } from '../../db/database.js';
import { Invalid } from '../../lib/errors.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import type { SettingsRepository } from '../settings/settings.repository.js';
import { DEFAULT_TEMPLATES, MAIL_LANGUAGES, renderMail, TEMPLATE_VARIABLES, validateTemplate, type MailLanguage, type MailTemplate, type RenderedMail, type TemplateKey, type TemplateVariables } from './outbound/index.js';

/**
 * Administrators' overrides of the bilingual mail templates, stored in settings (`mail.templates`).
 * Rendering takes an override when one exists and the built-in default otherwise.
 */
export type TemplateOverrides = Partial<Record<TemplateKey, Partial<Record<MailLanguage, MailTemplate>>>>;

const KEY = 'mail.templates';
const KEYS = Object.keys(DEFAULT_TEMPLATES) as TemplateKey[];

export function createTemplatesService(deps: { db: Db; settingsRepo: SettingsRepository; audit: AuditService; clock: Clock }) {
  const { db, settingsRepo, audit, clock } = deps;

  async function overrides(trx: Db = db): Promise<TemplateOverrides> {
    return (await settingsRepo.get<TemplateOverrides>(trx, KEY)) ?? {};
  }

  return {
    overrides,

    async render(trx: Db, key: TemplateKey, language: MailLanguage, vars: TemplateVariables): Promise<RenderedMail> {
      return renderMail(key, language, vars, await overrides(trx));
    },

    async get(actor: Actor) {
      authorize(actor, 'settings:manage');
      const variables = Object.fromEntries(Object.entries(TEMPLATE_VARIABLES).map(([k, v]) => [k, [...v]])) as Record<TemplateKey, string[]>;
      return { defaults: DEFAULT_TEMPLATES, overrides: await overrides(), variables };
    },

    /** Replaces the overrides; each template is checked (known variables, balanced braces) first. */
    async put(actor: Actor, next: TemplateOverrides) {
      authorize(actor, 'settings:manage');
      const problems: { field: string; code: string; message: string }[] = [];
      const clean: TemplateOverrides = {};
      for (const [key, byLang] of Object.entries(next)) {
        if (!KEYS.includes(key as TemplateKey)) {
          problems.push({ field: key, code: 'unknown_template', message: `no template ${key}` });
          continue;
        }
        for (const [lang, tpl] of Object.entries(byLang ?? {})) {
          if (!(MAIL_LANGUAGES as readonly string[]).includes(lang) || !tpl) {
            problems.push({ field: `${key}.${lang}`, code: 'unknown_language', message: `no language ${lang}` });
            continue;
          }
          for (const p of validateTemplate(key as TemplateKey, tpl)) problems.push({ field: `${key}.${lang}`, code: 'invalid_template', message: p });
          (clean[key as TemplateKey] ??= {})[lang as MailLanguage] = { subject: tpl.subject, text: tpl.text };
        }
      }
      if (problems.length) throw new Invalid('validation_failed', undefined, { details: problems });
      await db.transaction().execute(async (trx) => {
        await settingsRepo.set(trx, KEY, clean, clock.now().toISOString());
        await audit.record(trx, actor, { action: 'mail.templates.update', targetType: 'settings', details: { templates: Object.entries(clean).flatMap(([k, v]) => Object.keys(v ?? {}).map((l) => `${k}.${l}`)) } });
      });
      return this.get(actor);
    },
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
