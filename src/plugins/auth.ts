import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '../lib/errors.js';
import type { AuthService, SessionInfo } from '../modules/auth/auth.service.js';
import type { Actor } from '../modules/auth/policy.js';

export const SESSION_COOKIE = 'tocsin_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: (SessionInfo & { token: string }) | null;
  }
  interface FastifyContextConfig {
    /** API-token scope this route needs; routes without one refuse tokens. */
    scope?: string;
    /** Reachable by a signed-in user who still has to enrol in MFA. */
    allowWithoutMfa?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves who is calling (API token, session cookie, or nobody) before the body is parsed, and
 * enforces CSRF for cookie-authenticated writes, token scopes, and the MFA enrolment requirement.
 * What the caller may do is decided by the services' policy checks.
 */
export function installAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.actor = { kind: 'anonymous', ip: req.ip };
    req.session = null;
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const found = m ? await auth.resolveToken(m[1]!) : null;
      if (!found) throw new Unauthenticated('token_invalid');
      const scope = req.routeOptions.config?.scope;
      if (!scope || !found.token.scopes.includes(scope)) throw new Forbidden('token_scope', undefined, { params: { scope: scope ?? '-' } });
      const u = found.user;
      req.actor = { kind: 'user', id: u.id, username: u.username, role: u.role, organisationId: u.organisationId, ip: req.ip, via: 'token', scopes: found.token.scopes };
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const info = await auth.resolveSession(cookie);
    if (!info) return; // an expired cookie is the same as none
    if (UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, info.csrfToken)) throw new Forbidden('csrf_failed');
    }
    if (info.mfaRequired && !req.routeOptions.config?.allowWithoutMfa) throw new Forbidden('mfa_enrolment_required');
    const u = info.user;
    req.session = { ...info, token: cookie };
    req.actor = { kind: 'user', id: u.id, username: u.username, role: u.role, organisationId: u.organisationId, ip: req.ip, via: 'session' };
  });
}
