import { isUtf8 } from 'node:buffer';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { Invalid } from '../../lib/errors.js';
import { ConstituentPatchSchema, ConstituentSchema, ImportResultSchema } from './constituents.schemas.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const CSV_LIMIT = 64 * 1024 * 1024;

/** Constituent writes, CSV import and export (list, read and create are in settings/admin.routes.ts). */
export const constituentRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  // CSV bodies (this plugin only): UTF-8 text, refused otherwise.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as Buffer;
    if (!isUtf8(buf)) return done(new Invalid('invalid_utf8'), undefined);
    return done(null, buf.toString('utf8'));
  });

  app.patch('/api/v1/constituents/:id', { schema: { tags: ['constituents'], params: IdParam, body: ConstituentPatchSchema, response: { 200: ConstituentSchema } } }, async (req) => c.constituents.update(req.actor, req.params.id, req.body));
  app.delete('/api/v1/constituents/:id', { schema: { tags: ['constituents'], params: IdParam } }, async (req, reply) => {
    await c.constituents.remove(req.actor, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/api/v1/constituents/import',
    // A national constituency is large: this route takes CSV files far beyond the JSON body limit.
    { bodyLimit: CSV_LIMIT, schema: { tags: ['constituents'], summary: 'CSV import, all or nothing (errors name the line)', consumes: ['text/csv'], body: Type.String({ maxLength: CSV_LIMIT }), response: { 200: ImportResultSchema } } },
    async (req) => c.constituents.importCsv(req.actor, req.body),
  );
  app.get('/api/v1/constituents/export.csv', { schema: { tags: ['constituents'] } }, async (req, reply) => {
    const csv = await c.constituents.exportCsv(req.actor);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="constituents.csv"').send(csv);
  });
};
