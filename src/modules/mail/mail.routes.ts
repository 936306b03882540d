import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { NotFound } from '../../lib/errors.js';
import { formatFingerprint } from '../../lib/pgp.js';
import { decodeCursor, encodeCursor } from '../reports/reports.routes.js';
import {
  ContactKeyInputSchema,
  ContactKeySchema,
  InboundItemSchema,
  MailProfilePatchSchema,
  MailProfileSchema,
  OutboxItemSchema,
  QuarantineItemSchema,
  ReleaseOutcomeSchema,
  TeamKeySchema,
  TemplateOverridesSchema,
  TemplatesViewSchema,
} from './mail.schemas.js';

const SpoolIdParam = Type.Object({ id: Type.String({ pattern: '^\\d{8}T\\d{9}Z-[0-9a-f]{10}$' }) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The mail module's API for the console: keys, quarantine, outbox, templates, profile, per-report mail. */
export const mailRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  const mail = c.mail;

  app.get('/api/v1/keys/team', { schema: { tags: ['mail'], summary: 'The team public key (anyone)', response: { 200: TeamKeySchema } } }, async () => {
    const info = await mail.keys.teamInfo().catch(() => null);
    if (!info) throw new NotFound('not_found');
    return { ...info, formattedFingerprint: formatFingerprint(info.fingerprint), url: mail.publicFace.keyUrl() };
  });

  app.get('/api/v1/keys/contacts', { schema: { tags: ['mail'], summary: "Contacts' public keys", response: { 200: Type.Object({ items: Type.Array(ContactKeySchema) }) } } }, async (req) => ({
    items: await mail.keys.listContacts(req.actor),
  }));

  app.post(
    '/api/v1/keys/contacts',
    { schema: { tags: ['mail'], summary: "Import a contact's public key (same fingerprint: merged)", body: ContactKeyInputSchema, response: { 201: ContactKeySchema } } },
    async (req, reply) => reply.status(201).send(await mail.keys.importContact(req.actor, req.body.armored, 'console')),
  );

  app.get('/api/v1/mail/quarantine', { schema: { tags: ['mail'], summary: 'Quarantined inbound messages, newest first', response: { 200: Type.Object({ items: Type.Array(QuarantineItemSchema) }) } } }, async (req) => ({
    items: await mail.intake.listQuarantine(req.actor),
  }));

  app.get('/api/v1/mail/quarantine/:id/raw', { schema: { tags: ['mail'], summary: 'The raw quarantined message (download)', params: SpoolIdParam } }, async (req, reply) => {
    const raw = await mail.intake.quarantinedRaw(req.actor, req.params.id);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${req.params.id}.eml"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(raw);
  });

  app.post('/api/v1/mail/quarantine/:id/release', { schema: { tags: ['mail'], summary: 'Process a quarantined message again', params: SpoolIdParam, response: { 200: ReleaseOutcomeSchema } } }, async (req) =>
    mail.intake.release(req.actor, req.params.id),
  );

  app.get(
    '/api/v1/mail/outbox',
    {
      schema: {
        tags: ['mail'],
        summary: 'Outbound mail with delivery state, newest first',
        querystring: Type.Object({
          state: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('bounced')])),
          reportId: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(OutboxItemSchema), counts: Type.Record(Type.String(), Type.Number()), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const before = req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
      const items = await mail.outbox.list(req.actor, { state: req.query.state, reportId: req.query.reportId, limit, before: before && { createdAt: before.key ?? '', id: before.id } });
      const last = items[items.length - 1];
      return { items, counts: await mail.outbox.counts(), nextCursor: items.length === limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
  );

  app.post('/api/v1/mail/outbox/:id/retry', { schema: { tags: ['mail'], summary: 'Send a failed message again', params: IdParam, response: { 200: OutboxItemSchema } } }, async (req) =>
    mail.outbox.retry(req.actor, req.params.id),
  );

  app.get('/api/v1/mail/templates', { schema: { tags: ['mail'], summary: 'Mail templates: defaults, overrides, variables (admin)', response: { 200: TemplatesViewSchema } } }, async (req) =>
    mail.templates.get(req.actor),
  );
  app.put('/api/v1/mail/templates', { schema: { tags: ['mail'], summary: 'Replace the template overrides (admin)', body: TemplateOverridesSchema, response: { 200: TemplatesViewSchema } } }, async (req) =>
    mail.templates.put(req.actor, req.body),
  );

  app.get('/api/v1/mail/profile', { schema: { tags: ['mail'], summary: 'security.txt and RFC 2350 settings (admin)', response: { 200: MailProfileSchema } } }, async (req) => mail.publicFace.getProfile(req.actor));
  app.put('/api/v1/mail/profile', { schema: { tags: ['mail'], summary: 'Change security.txt and RFC 2350 settings (admin)', body: MailProfilePatchSchema, response: { 200: MailProfileSchema } } }, async (req) =>
    mail.publicFace.updateProfile(req.actor, req.body),
  );

  app.get(
    '/api/v1/mail/reports/:id',
    { schema: { tags: ['mail'], summary: 'Mail received and sent for a report', params: IdParam, response: { 200: Type.Object({ inbound: Type.Array(InboundItemSchema), outbound: Type.Array(OutboxItemSchema) }) } } },
    async (req) => mail.replies.forReport(req.actor, req.params.id),
  );
};
