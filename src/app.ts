import { existsSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type {} from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Container } from './container.js';
import { Invalid } from './lib/errors.js';
import { migrationsCurrent } from './db/migrate.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { constituentRoutes } from './modules/constituents/constituents.routes.js';
import { feedRoutes } from './modules/feeds/feeds.routes.js';
import { incidentRoutes } from './modules/incidents/incidents.routes.js';
import { malwareRoutes } from './modules/malware/malware.routes.js';
import { mailRoutes } from './modules/mail/mail.routes.js';
import { publicFaceRoutes } from './modules/mail/public-face.routes.js';
import { reportRoutes } from './modules/reports/reports.routes.js';
import { adminRoutes } from './modules/settings/admin.routes.js';
import { installAuth } from './plugins/auth.js';
import { installErrorHandler, sendNotFound } from './plugins/error-handler.js';
import { createMetrics } from './plugins/metrics.js';
import { installValidators } from './plugins/validation.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  https?: { cert: Buffer; key: Buffer } | null;
}

/** Builds the whole application; never listens (the server and the tests decide how it is reached). */
export async function buildApp(c: Container, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: c.config.maxBodyBytes,
    trustProxy: c.config.trustProxy,
    ...(opts.https ? { https: opts.https } : {}),
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installErrorHandler(app);

  // JSON that is not valid UTF-8 is refused, not silently repaired with U+FFFD.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: c.config.maxBodyBytes }, (req, body, done) => {
    const buf = body as Buffer;
    if (!isUtf8(buf)) return done(new Invalid('invalid_utf8'), undefined);
    // PostgreSQL text cannot hold U+0000; refuse it for every database alike.
    if (/\\u0000/i.test(buf.toString('latin1'))) return done(new Invalid('invalid_utf8'), undefined);
    return defaultJson(req, buf.toString('utf8'), done);
  });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: c.config.maxAttachmentBytes, files: c.config.maxAttachments, fields: 5, fieldSize: c.config.maxBodyBytes, parts: c.config.maxAttachments + 5 } });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: c.config.tls || c.config.publicUrl.startsWith('https:') ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tocsin API', version: '1', description: 'Incident reporting, handling and coordination for a CERT/CSIRT. Errors: { error: { code, message, details? } }.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'tocsin_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  installAuth(app, c.auth);
  const metrics = createMetrics(app);

  app.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/api/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      const current = await migrationsCurrent(c.db, c.database.schema);
      return current ? { status: 'ready' } : reply.status(503).send({ status: 'migrations_pending' });
    } catch {
      return reply.status(503).send({ status: 'database_unreachable' });
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => reply.type('text/plain; version=0.0.4').send(await metrics.render(c)));

  await app.register(authRoutes, { c });
  await app.register(reportRoutes, { c });
  await app.register(incidentRoutes, { c });
  await app.register(adminRoutes, { c });
  await app.register(malwareRoutes, { c });
  await app.register(mailRoutes, { c });
  await app.register(publicFaceRoutes, { c });
  await app.register(constituentRoutes, { c });
  await app.register(feedRoutes, { c });

  // The built web UI: static files, and index.html for client-side routes.
  const webRoot = c.config.webDistDir;
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !hasWeb) return sendNotFound(req, reply);
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });

  return app;
}
