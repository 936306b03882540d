import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { sendNotFound } from '../../plugins/error-handler.js';
import { pickLanguage } from './public-face.service.js';

/**
 * The team's public face: security.txt, the team key at a stable URL and through WKD (direct
 * method), and the RFC 2350 description. Public, cacheable for a short while.
 */
export const publicFaceRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  const face = c.mail.publicFace;
  const keys = c.mail.keys;
  const hide = { hide: true };

  app.get('/.well-known/security.txt', { schema: hide }, async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await face.securityTxt()),
  );
  // RFC 9116 2.3: the legacy location redirects to the well-known one.
  app.get('/security.txt', { schema: hide }, async (_req, reply) => reply.redirect('/.well-known/security.txt', 301));

  app.get('/pgp-key.asc', { schema: hide }, async (req, reply) => {
    const published = await keys.published().catch(() => null);
    if (!published) return sendNotFound(req, reply);
    return reply.type('application/pgp-keys').header('cache-control', 'public, max-age=3600').send(published.armored);
  });

  app.get('/.well-known/openpgpkey/policy', { schema: hide }, async (req, reply) => {
    const published = await keys.published().catch(() => null);
    if (!published) return sendNotFound(req, reply);
    return reply.type('text/plain; charset=utf-8').send(published.wkdPolicy);
  });

  app.get('/.well-known/openpgpkey/hu/:hash', { schema: { ...hide, params: Type.Object({ hash: Type.String({ maxLength: 64 }) }) } }, async (req, reply) => {
    const published = await keys.published().catch(() => null);
    const entry = published?.wkd.find((w) => w.hash === req.params.hash);
    if (!entry) return sendNotFound(req, reply);
    // WKD serves the binary key (not armored), with the access-control header clients expect.
    return reply.type('application/octet-stream').header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=3600').send(Buffer.from(entry.body));
  });

  app.get('/rfc2350', { schema: { ...hide, querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('zh-TW'), Type.Literal('en')])) }) } }, async (req, reply) => {
    const lang = pickLanguage(req.query.lang, req.headers['accept-language']);
    return reply.type('text/plain; charset=utf-8').header('content-language', lang).header('vary', 'Accept-Language').send(await face.rfc2350(lang));
  });
};
