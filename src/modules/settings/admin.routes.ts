import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { authorize } from '../auth/policy.js';
import { ConstituentInputSchema, ConstituentSchema } from '../constituents/constituents.service.js';
import { PartnerInputSchema, PartnerSchema } from '../partners/partners.service.js';
import { CATEGORIES } from '../reports/reports.schemas.js';
import { SiteSettingsSchema } from './settings.service.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Settings, partners, constituents, statistics and the audit log. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  app.get('/api/v1/public/settings', { schema: { tags: ['public'] } }, async () => {
    const s = await c.settings.site();
    const teamKey = await c.mail.keys.teamInfo().catch(() => null);
    return { teamName: s.teamName, email: s.email, phone: s.phone, pgpFingerprint: teamKey?.fingerprint ?? null, pgpKeyUrl: teamKey ? c.mail.publicFace.keyUrl() : null, maxAttachmentBytes: c.config.maxAttachmentBytes, maxAttachments: c.config.maxAttachments, categories: CATEGORIES };
  });
  app.get('/api/v1/settings', { schema: { tags: ['admin'], response: { 200: SiteSettingsSchema } } }, async (req) => {
    authorize(req.actor, 'settings:manage');
    return c.settings.site();
  });
  app.put('/api/v1/settings', { schema: { tags: ['admin'], body: Type.Partial(SiteSettingsSchema, { additionalProperties: false }), response: { 200: SiteSettingsSchema } } }, async (req) => c.settings.update(req.actor, req.body));

  app.get('/api/v1/partners', { schema: { tags: ['coordination'], response: { 200: Type.Array(PartnerSchema) } } }, async (req) => c.partners.list(req.actor));
  app.get('/api/v1/partners/:id', { schema: { tags: ['coordination'], params: IdParam, response: { 200: PartnerSchema } } }, async (req) => c.partners.get(req.actor, req.params.id));
  app.post('/api/v1/partners', { schema: { tags: ['coordination'], body: PartnerInputSchema, response: { 201: PartnerSchema } } }, async (req, reply) => reply.status(201).send(await c.partners.create(req.actor, req.body)));

  app.get(
    '/api/v1/constituents',
    { schema: { tags: ['constituents'], querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }), response: { 200: Type.Array(ConstituentSchema) } } },
    async (req) => c.constituents.list(req.actor, { q: req.query.q, limit: req.query.limit ?? 100 }),
  );
  app.get('/api/v1/constituents/:id', { schema: { tags: ['constituents'], params: IdParam, response: { 200: ConstituentSchema } } }, async (req) => c.constituents.get(req.actor, req.params.id));
  app.post('/api/v1/constituents', { schema: { tags: ['constituents'], body: ConstituentInputSchema, response: { 201: ConstituentSchema } } }, async (req, reply) => reply.status(201).send(await c.constituents.create(req.actor, req.body)));

  app.get(
    '/api/v1/stats',
    { schema: { tags: ['stats'], querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }) } },
    async (req) => c.stats.compute(req.actor, req.query),
  );

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })), targetType: Type.Optional(Type.String({ maxLength: 40 })), targetId: Type.Optional(Type.String({ maxLength: 36 })) }),
      },
    },
    async (req) => c.audit.list(req.actor, { limit: req.query.limit ?? 100, beforeSeq: req.query.beforeSeq, targetType: req.query.targetType, targetId: req.query.targetId }),
  );
};
