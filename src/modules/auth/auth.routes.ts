import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Container } from '../../container.js';
import { Unauthenticated } from '../../lib/errors.js';
import { SESSION_COOKIE } from '../../plugins/auth.js';
import { ROLES } from './policy.js';
import { TOKEN_SCOPES } from './auth.service.js';
import type { User } from './users.repository.js';

export const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  language: Type.String(),
  mfaEnabled: Type.Boolean(),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});
const SessionSchema = Type.Object({ user: Type.Object({ ...UserSchema.properties, mfaRequired: Type.Boolean() }), csrfToken: Type.String() });
const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });

export const authRoutes: FastifyPluginAsyncTypebox<{ c: Container }> = async (app, { c }) => {
  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: c.config.tls !== null || c.config.publicUrl.startsWith('https:'), path: '/', maxAge: c.config.sessionTtlHours * 3600 });
  const view = (user: User, mfaRequired: boolean) => ({ ...user, mfaRequired });

  app.post(
    '/api/v1/auth/login',
    {
      config: { allowWithoutMfa: true },
      schema: {
        tags: ['auth'],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }), totp: Type.Optional(Type.String({ maxLength: 10 })), recoveryCode: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: SessionSchema },
      },
    },
    async (req, reply) => {
      const { token, info } = await c.auth.login({ ...req.body, ip: req.ip });
      setCookie(reply, token);
      return { user: view(info.user, info.mfaRequired), csrfToken: info.csrfToken };
    },
  );

  app.get('/api/v1/auth/session', { config: { allowWithoutMfa: true }, schema: { tags: ['auth'], response: { 200: SessionSchema } } }, async (req) => {
    if (!req.session) throw new Unauthenticated('unauthenticated');
    return { user: view(req.session.user, req.session.mfaRequired), csrfToken: req.session.csrfToken };
  });

  app.post('/api/v1/auth/logout', { config: { allowWithoutMfa: true }, schema: { tags: ['auth'] } }, async (req, reply) => {
    if (req.session) await c.auth.logout(req.session.token, req.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.post('/api/v1/auth/mfa/setup', { config: { allowWithoutMfa: true }, schema: { tags: ['auth'], response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrSvg: Type.String() }) } } }, async (req) => c.auth.beginMfa(req.actor));
  app.post(
    '/api/v1/auth/mfa/confirm',
    { config: { allowWithoutMfa: true }, schema: { tags: ['auth'], body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 10 }) }, { additionalProperties: false }), response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) } } },
    async (req) => c.auth.confirmMfa(req.actor, req.body.code),
  );
  app.post('/api/v1/auth/mfa/disable', { schema: { tags: ['auth'], body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }) } }, async (req, reply) => {
    await c.auth.disableMfa(req.actor, req.body.password);
    return reply.status(204).send();
  });

  const TokenSchema = Type.Object({ id: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()), createdAt: Type.String(), expiresAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revokedAt: Type.Union([Type.String(), Type.Null()]) });
  app.get('/api/v1/auth/tokens', { schema: { tags: ['auth'], response: { 200: Type.Array(TokenSchema) } } }, async (req) => c.auth.listTokens(req.actor));
  app.post(
    '/api/v1/auth/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token; the token is shown only in this response',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), scopes: Type.Array(Type.Enum(TOKEN_SCOPES), { minItems: 1, uniqueItems: true }), expiresInDays: Type.Integer({ minimum: 1, maximum: 730 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ token: Type.String(), record: TokenSchema }) },
      },
    },
    async (req, reply) => reply.status(201).send(await c.auth.createToken(req.actor, req.body)),
  );
  app.delete('/api/v1/auth/tokens/:id', { schema: { tags: ['auth'], params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (req, reply) => {
    await c.auth.revokeToken(req.actor, req.params.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/setup/status', { schema: { tags: ['setup'], response: { 200: Type.Object({ needed: Type.Boolean() }) } } }, async () => ({ needed: await c.auth.setupNeeded() }));
  app.post(
    '/api/v1/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Create the first administrator with the one-time token the server printed',
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 100 }), username: Username, displayName: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 1024 }), language: Type.Optional(Type.Enum(['zh-TW', 'en'])) }, { additionalProperties: false }),
        response: { 201: UserSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await c.auth.completeSetup({ ...req.body, language: req.body.language ?? 'zh-TW' })),
  );

  app.get('/api/v1/users', { schema: { tags: ['admin'], response: { 200: Type.Array(UserSchema) } } }, async (req) => c.users.list(req.actor));
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['admin'],
        body: Type.Object({ username: Username, displayName: Type.String({ minLength: 1, maxLength: 200 }), email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })), password: Type.String({ minLength: 1, maxLength: 1024 }), role: Type.Enum(ROLES), organisationId: Type.Optional(Type.String({ format: 'uuid' })), language: Type.Optional(Type.Enum(['zh-TW', 'en'])) }, { additionalProperties: false }),
        response: { 201: UserSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await c.auth.createUser(req.actor, { ...req.body, email: req.body.email ?? null, organisationId: req.body.organisationId ?? null, language: req.body.language ?? 'zh-TW' })),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['admin'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: Type.Optional(Type.Enum(ROLES)), organisationId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])), disabled: Type.Optional(Type.Boolean()), language: Type.Optional(Type.Enum(['zh-TW', 'en'])), unlock: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: UserSchema },
      },
    },
    async (req) => c.users.update(req.actor, req.params.id, req.body),
  );
};
