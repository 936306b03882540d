import { Type, type Static } from 'typebox';
import type { Db, Row } from '../../db/database.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor } from '../auth/policy.js';
import { SECTORS } from '../incidents/taxonomy.js';

/** First cut: name, sector and responsible sector CERT. Netblocks, domains and contacts come with feeds. */
export const ConstituentInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    sector: Type.Enum(SECTORS),
    partnerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ConstituentInput = Static<typeof ConstituentInputSchema>;

export const ConstituentSchema = Type.Object({ id: Type.String(), name: Type.String(), sector: Type.String(), partnerId: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() });
export type Constituent = Static<typeof ConstituentSchema>;

const toConstituent = (r: Row<'constituents'>): Constituent => ({ id: r.id, name: r.name, sector: r.sector, partnerId: r.partner_id, createdAt: r.created_at });

export function createConstituentsService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const { db, audit, clock } = deps;
  return {
    async list(actor: Actor, opts: { q?: string | undefined; limit: number }): Promise<Constituent[]> {
      authorize(actor, 'constituent:list');
      let q = db.selectFrom('constituents').selectAll().orderBy('name').limit(opts.limit);
      if (actor.kind === 'user' && actor.role === 'constituent') q = q.where('id', '=', actor.organisationId ?? '');
      if (opts.q) q = q.where('name', 'like', `%${opts.q}%`);
      return (await q.execute()).map(toConstituent);
    },
    async get(actor: Actor, id: string): Promise<Constituent> {
      authorize(actor, 'constituent:read', { id });
      const r = await db.selectFrom('constituents').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw new NotFound('not_found');
      return toConstituent(r);
    },
    async create(actor: Actor, input: ConstituentInput): Promise<Constituent> {
      authorize(actor, 'settings:manage');
      if (input.partnerId) {
        const p = await db.selectFrom('partners').select('id').where('id', '=', input.partnerId).executeTakeFirst();
        if (!p) throw new Invalid('validation_failed', undefined, { details: [{ field: 'partnerId', code: 'unknown_partner' }] });
      }
      const id = uuidv7();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('constituents').values({ id, name: input.name.trim(), sector: input.sector, partner_id: input.partnerId ?? null, created_at: now, updated_at: now }).execute();
        await audit.record(trx, actor, { action: 'constituent.create', targetType: 'constituent', targetId: id, details: { name: input.name } });
      });
      return this.get(actor, id);
    },
  };
}

export type ConstituentsService = ReturnType<typeof createConstituentsService>;
