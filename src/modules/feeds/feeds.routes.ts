import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { Invalid } from '../../lib/errors.js';
import { NOTICE_STATES } from '../notifications/notifications.service.js';
import { EventSchema, EventsQuerySchema, FeedImportSchema, FeedSourceInputSchema, FeedSourcePatchSchema, FeedSourceSchema, UnmatchedSummarySchema } from './feeds.schemas.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

// The CSV of affected hosts can run to megabytes: it is not in lists, only at /notices/:id/csv.
const NoticeSchema = Type.Object({
  id: Type.String(), constituentId: Type.String(), contactId: Type.Union([Type.String(), Type.Null()]), partnerId: Type.Union([Type.String(), Type.Null()]), recipient: Type.String(),
  feedSourceId: Type.String(), importId: Type.String(), topic: Type.String(), types: Type.Array(Type.String()), eventCount: Type.Integer(), language: Type.String(), notifyMode: Type.String(),
  subject: Type.String(), state: Type.String(), incidentId: Type.Union([Type.String(), Type.Null()]), sendAfter: Type.String(), createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]), acknowledgedAt: Type.Union([Type.String(), Type.Null()]), resolvedAt: Type.Union([Type.String(), Type.Null()]), escalatedAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedVia: Type.Union([Type.String(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]),
});

/** A notice in lists: with its constituent's name (partners and constituents cannot list the directory). */
const NoticeListItemSchema = Type.Intersect([NoticeSchema, Type.Object({ constituentName: Type.Union([Type.String(), Type.Null()]) })]);

const NoticeDetailSchema = Type.Intersect([
  NoticeSchema,
  Type.Object({
    constituentName: Type.Union([Type.String(), Type.Null()]), feedName: Type.Union([Type.String(), Type.Null()]), body: Type.String(), acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
    hostCount: Type.Integer(), hosts: Type.Array(Type.String()),
    mail: Type.Union([Type.Object({ id: Type.String(), state: Type.String(), messageId: Type.String(), encrypted: Type.Union([Type.Boolean(), Type.Null()]), attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]), sentAt: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  }),
]);

const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

/** Feed uploads: the body is streamed to the blob store as it arrives (any content type, or multipart). */
const uploadRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.post(
    '/api/v1/feeds/:id/import',
    { config: { scope: 'feeds:write' }, schema: { tags: ['feeds'], summary: 'Upload or push a feed file; the import runs on the job queue (202 with the import)', params: IdParam, response: { 202: FeedImportSchema } } },
    async (req, reply) => {
      let stream: Readable;
      let fileName: string | null = null;
      if (req.isMultipart()) {
        const file = await req.file();
        if (!file) throw new Invalid('validation_failed', undefined, { details: [{ field: 'file', code: 'required' }] });
        stream = file.file;
        fileName = file.filename || null;
      } else {
        if (!(req.body instanceof Readable)) throw new Invalid('validation_failed', undefined, { details: [{ field: 'body', code: 'required' }] });
        stream = req.body;
        const q = req.query as { fileName?: unknown };
        fileName = typeof q.fileName === 'string' && q.fileName !== '' ? q.fileName : null;
      }
      const method = req.actor.kind === 'user' && req.actor.via === 'token' ? 'push' : 'upload';
      return reply.status(202).send(await c.feeds.startImport(req.actor, req.params.id, { stream, fileName, method }));
    },
  );
};

/** Feed sources, imports, events, the unmatched summary, notices and the acknowledgement link. */
export const feedRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  await app.register(uploadRoutes, { c });
  app.get('/api/v1/feeds/:id', { schema: { tags: ['feeds'], params: IdParam, response: { 200: FeedSourceSchema } } }, async (req) => c.feeds.getSource(req.actor, req.params.id));
  app.get('/api/v1/feed-imports/:id', { schema: { tags: ['feeds'], summary: 'One import: counts, state and the rejected rows with their line numbers', params: IdParam, response: { 200: FeedImportSchema } } }, async (req) => c.feeds.getImport(req.actor, req.params.id));
  app.get('/api/v1/feeds', { schema: { tags: ['feeds'], response: { 200: Type.Array(FeedSourceSchema) } } }, async (req) => c.feeds.listSources(req.actor));
  app.post('/api/v1/feeds', { schema: { tags: ['feeds'], body: FeedSourceInputSchema, response: { 201: FeedSourceSchema } } }, async (req, reply) => reply.status(201).send(await c.feeds.createSource(req.actor, req.body)));
  app.patch('/api/v1/feeds/:id', { schema: { tags: ['feeds'], params: IdParam, body: FeedSourcePatchSchema, response: { 200: FeedSourceSchema } } }, async (req) => c.feeds.updateSource(req.actor, req.params.id, req.body));
  app.post('/api/v1/feeds/:id/poll', { schema: { tags: ['feeds'], summary: 'Poll the source\'s URL now; the fetch runs on the job queue (202; the result shows in the source\'s poll state)', params: IdParam, response: { 202: FeedSourceSchema } } }, async (req, reply) => reply.status(202).send(await c.feedPoller.pollNow(req.actor, req.params.id)));
  app.get(
    '/api/v1/feeds/:id/imports',
    { schema: { tags: ['feeds'], params: IdParam, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }), response: { 200: Type.Object({ items: Type.Array(FeedImportSchema) }) } } },
    async (req) => ({ items: await c.feeds.listImports(req.actor, req.params.id, req.query.limit ?? 50) }),
  );
  app.get('/api/v1/events', { schema: { tags: ['feeds'], querystring: EventsQuerySchema, response: { 200: Type.Object({ items: Type.Array(EventSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } } }, async (req) => c.feeds.listEvents(req.actor, req.query));
  app.get('/api/v1/events/unmatched-summary', { schema: { tags: ['feeds'], response: { 200: UnmatchedSummarySchema } } }, async (req) => c.feeds.unmatchedSummary(req.actor));
  app.get(
    '/api/v1/notices',
    {
      schema: {
        tags: ['feeds'],
        querystring: Type.Object({ state: Type.Optional(Type.Enum(NOTICE_STATES)), constituentId: Type.Optional(Type.String({ format: 'uuid' })), feedSourceId: Type.Optional(Type.String({ format: 'uuid' })), importId: Type.Optional(Type.String({ format: 'uuid' })), cursor: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ items: Type.Array(NoticeListItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => c.notifications.list(req.actor, { state: req.query.state, constituentId: req.query.constituentId, feedSourceId: req.query.feedSourceId, importId: req.query.importId, cursor: req.query.cursor, limit: req.query.limit ?? 100 }),
  );
  app.get(
    '/api/v1/notices/counts',
    {
      schema: {
        tags: ['feeds'],
        summary: 'How many notices are in each state, with the list\'s filters',
        querystring: Type.Object({ constituentId: Type.Optional(Type.String({ format: 'uuid' })), feedSourceId: Type.Optional(Type.String({ format: 'uuid' })), importId: Type.Optional(Type.String({ format: 'uuid' })) }),
        response: { 200: Type.Object({ total: Type.Integer(), byState: Type.Record(Type.String(), Type.Integer()) }) },
      },
    },
    async (req) => c.notifications.stateCounts(req.actor, req.query),
  );
  app.get('/api/v1/notices/:id', { schema: { tags: ['feeds'], params: IdParam, response: { 200: NoticeDetailSchema } } }, async (req) => c.notifications.get(req.actor, req.params.id));
  app.get('/api/v1/notices/:id/csv', { schema: { tags: ['feeds'], summary: 'The CSV of affected hosts, as sent with the notice', params: IdParam } }, async (req, reply) => {
    const { fileName, csv } = await c.notifications.csv(req.actor, req.params.id);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('x-content-type-options', 'nosniff').send(csv);
  });
  app.post('/api/v1/notices/:id/acknowledge', { schema: { tags: ['feeds'], summary: 'Record an acknowledgement the owner gave another way (phone)', params: IdParam, body: NoteBody, response: { 200: NoticeSchema } } }, async (req) => c.notifications.acknowledgeFor(req.actor, req.params.id, req.body.note?.trim() || null));
  app.post('/api/v1/notices/:id/resolve', { schema: { tags: ['feeds'], summary: 'Close a notice the owner showed to be fixed', params: IdParam, body: NoteBody, response: { 200: NoticeSchema } } }, async (req) => c.notifications.resolveFor(req.actor, req.params.id, req.body.note?.trim() || null));
  // The notice's link opens the portal page /notices/ack/:token, which reads the notice here and
  // acknowledges it only when the owner confirms (a POST): scanners that open links change nothing.
  const TokenParam = Type.Object({ token: Type.String({ maxLength: 100 }) });
  app.get(
    '/api/v1/public/notices/ack/:token',
    { schema: { tags: ['public'], summary: "The notice a link names (no login; changes nothing)", params: TokenParam, response: { 200: Type.Object({ state: Type.String(), subject: Type.String(), constituentName: Type.Union([Type.String(), Type.Null()]), acknowledgedAt: Type.Union([Type.String(), Type.Null()]) }) } } },
    async (req) => c.notifications.peek(req.params.token),
  );
  app.post(
    '/api/v1/public/notices/ack/:token',
    { schema: { tags: ['public'], summary: 'Confirm receipt of a notice through its link (no login)', params: TokenParam, response: { 200: Type.Object({ state: Type.String(), subject: Type.String() }) } } },
    async (req) => c.notifications.acknowledge(req.params.token, req.ip),
  );
};
