import { Type, type Static } from 'typebox';
import type { Db, Row } from '../../db/database.js';
import { Conflict, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';

export const PARTNER_KINDS = ['sector-cert', 'national-cert', 'foreign-cert', 'isac', 'alliance'] as const;

export const PartnerInputSchema = Type.Object(
  {
    shortName: Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' }),
    nameZh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(PARTNER_KINDS),
    sector: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    email: Type.Optional(Type.Union([Type.String({ maxLength: 320, format: 'email' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type PartnerInput = Static<typeof PartnerInputSchema>;

export const PartnerSchema = Type.Object({
  id: Type.String(),
  shortName: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: Type.String(),
  sector: Type.Union([Type.String(), Type.Null()]),
  country: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
});
export type Partner = Static<typeof PartnerSchema>;

const toPartner = (r: Row<'partners'>): Partner => ({ id: r.id, shortName: r.short_name, nameZh: r.name_zh, nameEn: r.name_en, kind: r.kind, sector: r.sector, country: r.country, email: r.email });

export function createPartnersService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const { db, audit, clock } = deps;
  return {
    async list(actor: Actor): Promise<Partner[]> {
      authorize(actor, 'partner:list');
      let q = db.selectFrom('partners').selectAll().orderBy('short_name');
      if (actor.kind === 'user' && actor.role === 'partner') q = q.where('id', '=', actor.organisationId ?? '');
      return (await q.execute()).map(toPartner);
    },
    async get(actor: Actor, id: string): Promise<Partner> {
      authorize(actor, 'partner:read', { id });
      const r = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw new NotFound('not_found');
      return toPartner(r);
    },
    async create(actor: Actor, input: PartnerInput): Promise<Partner> {
      authorize(actor, 'settings:manage');
      const exists = await db.selectFrom('partners').select('id').where('short_name', '=', input.shortName).executeTakeFirst();
      if (exists) throw new Conflict('validation_failed', undefined, { details: [{ field: 'shortName', code: 'taken' }] });
      const id = uuidv7();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('partners').values({ id, short_name: input.shortName, name_zh: input.nameZh, name_en: input.nameEn, kind: input.kind, sector: input.sector ?? null, country: input.country, email: input.email ?? null, created_at: now, updated_at: now }).execute();
        await audit.record(trx, actor, { action: 'partner.create', targetType: 'partner', targetId: id, details: { shortName: input.shortName } });
      });
      return this.get(actor, id);
    },
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;
