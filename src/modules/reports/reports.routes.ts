import type {} from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { Invalid, PayloadTooLarge } from '../../lib/errors.js';
import { assertValid } from '../../plugins/validation.js';
import { CreateReportSchema, CreatedReportSchema, ReportDetailSchema, ReporterMessageSchema, ReportSummarySchema, TrackingViewSchema, type CreateReportInput } from './reports.schemas.js';
import type { StoredFile } from './reports.service.js';

const Token = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Reads a multipart request: the `report` JSON field and streamed `attachments` files. */
async function readMultipart(req: FastifyRequest, c: Container, wantReport: boolean): Promise<{ report: unknown; files: StoredFile[] }> {
  const files: StoredFile[] = [];
  let report: unknown = undefined;
  for await (const part of req.parts({ limits: { fileSize: c.config.maxAttachmentBytes, files: c.config.maxAttachments, fields: 5, fieldSize: c.config.maxBodyBytes } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'attachments') {
        part.file.resume();
        throw new Invalid('validation_failed', undefined, { details: [{ field: part.fieldname, code: 'unknown_field' }] });
      }
      const stored = await c.blobs.put(part.file, { maxBytes: c.config.maxAttachmentBytes, name: part.filename });
      files.push({ filename: part.filename || 'file', contentType: part.mimetype || 'application/octet-stream', ...stored });
    } else if (wantReport && part.fieldname === 'report') {
      if (part.valueTruncated) throw new PayloadTooLarge('payload_too_large');
      if (String(part.value).includes('\u0000') || /\\u0000/i.test(String(part.value))) throw new Invalid('invalid_utf8');
      try {
        report = JSON.parse(String(part.value));
      } catch {
        throw new Invalid('invalid_json');
      }
    } else {
      throw new Invalid('validation_failed', undefined, { details: [{ field: part.fieldname, code: 'unknown_field' }] });
    }
  }
  return { report, files };
}

export const reportRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  app.post(
    '/api/v1/reports',
    {
      config: { scope: 'reports:write' },
      schema: {
        tags: ['reports'],
        summary: 'File a report (JSON, or multipart/form-data with a `report` JSON field and `attachments` files)',
        response: { 201: CreatedReportSchema },
      },
    },
    async (req, reply) => {
      let raw: unknown;
      let files: StoredFile[] = [];
      if (req.isMultipart()) ({ report: raw, files } = await readMultipart(req, c, true));
      else raw = req.body;
      const input = assertValid<CreateReportInput>(CreateReportSchema, raw);
      const created = await c.reports.create(req.actor, input, files);
      return reply.status(201).send({ ...created, trackingUrl: `/track/${created.trackingToken}` });
    },
  );

  app.post(
    '/api/v1/reports/phone',
    { schema: { tags: ['reports'], summary: 'Log a report taken by phone (staff)', body: CreateReportSchema, response: { 201: CreatedReportSchema } } },
    async (req, reply) => {
      const created = await c.reports.create(req.actor, { ...req.body, channel: 'phone' });
      return reply.status(201).send({ ...created, trackingUrl: `/track/${created.trackingToken}` });
    },
  );

  app.get('/api/v1/track/:token', { schema: { tags: ['tracking'], params: Token, response: { 200: TrackingViewSchema } } }, async (req) => c.reports.track(req.params.token));

  app.post(
    '/api/v1/track/:token/messages',
    { schema: { tags: ['tracking'], params: Token, body: ReporterMessageSchema, response: { 201: Type.Object({ id: Type.String() }) } } },
    async (req, reply) => reply.status(201).send(await c.reports.addReporterMessage(req.params.token, req.body.body, req.ip)),
  );

  app.post(
    '/api/v1/track/:token/attachments',
    { schema: { tags: ['tracking'], params: Token, response: { 201: Type.Object({ attachments: Type.Array(Type.Object({ id: Type.String(), filename: Type.String(), size: Type.Number() })) }) } } },
    async (req, reply) => {
      await c.reports.track(req.params.token); // unknown token: 404 before anything is stored
      if (!req.isMultipart()) throw new Invalid('unsupported_media_type');
      const { files } = await readMultipart(req, c, false);
      if (files.length === 0) throw new Invalid('validation_failed', undefined, { details: [{ field: 'attachments', code: 'required' }] });
      return reply.status(201).send({ attachments: await c.reports.addReporterFiles(req.params.token, files, req.ip) });
    },
  );

  app.get(
    '/api/v1/reports',
    {
      config: { scope: 'reports:read' },
      schema: {
        tags: ['reports'],
        querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })), channel: Type.Optional(Type.String({ maxLength: 20 })), q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(ReportSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const before = req.query.cursor ? decodeCursor(req.query.cursor) : undefined;
      const items = await c.reports.list(req.actor, { status: req.query.status, channel: req.query.channel, q: req.query.q, limit, before: before && { createdAt: before.key ?? '', id: before.id } });
      const last = items[items.length - 1];
      return { items, nextCursor: items.length === limit && last ? encodeCursor(last.createdAt, last.id) : null };
    },
  );

  app.get('/api/v1/reports/:id', { config: { scope: 'reports:read' }, schema: { tags: ['reports'], params: IdParam, response: { 200: ReportDetailSchema } } }, async (req) => c.reports.get(req.actor, req.params.id));

  app.get(
    '/api/v1/reports/:id/attachments/:attachmentId',
    { schema: { tags: ['reports'], params: Type.Object({ id: Type.String({ format: 'uuid' }), attachmentId: Type.String({ format: 'uuid' }) }) } },
    async (req, reply) => {
      const a = await c.reports.attachmentFor(req.actor, req.params.id, req.params.attachmentId);
      // Never inline: a hostile HTML or SVG attachment must not render in our origin.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(c.blobs.open(a.sha256));
    },
  );

  app.post(
    '/api/v1/reports/:id/reject',
    { schema: { tags: ['reports'], params: IdParam, body: Type.Object({ reason: Type.Enum(['rejected', 'spam']), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }) } },
    async (req, reply) => {
      await c.reports.reject(req.actor, [req.params.id], req.body.reason, req.body.note ?? null);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/reports/bulk',
    {
      schema: {
        tags: ['reports'],
        body: Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500, uniqueItems: true }), action: Type.Enum(['reject', 'spam', 'link']), incidentId: Type.Optional(Type.String({ format: 'uuid' })), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const { ids, action, incidentId, note } = req.body;
      if (action === 'link') {
        if (!incidentId) throw new Invalid('validation_failed', undefined, { details: [{ field: 'incidentId', code: 'required' }] });
        await c.incidents.link(req.actor, incidentId, ids);
      } else await c.reports.reject(req.actor, ids, action === 'spam' ? 'spam' : 'rejected', note ?? null);
      return reply.status(204).send();
    },
  );
};

export function encodeCursor(key: string | null, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { key: string | null; id: string } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if ((key === null || typeof key === 'string') && typeof id === 'string') return { key, id };
  } catch {
    // fall through
  }
  throw new Invalid('validation_failed', undefined, { details: [{ field: 'cursor', code: 'invalid_cursor' }] });
}

