import { Forbidden, Unauthenticated } from '../../lib/errors.js';

/**
 * The one place that decides who may do what. Every service method calls `authorize` first.
 * Resources carry just the facts the rules need (organisation, hand-off partners).
 */
export const ROLES = ['admin', 'coordinator', 'analyst', 'auditor', 'partner', 'constituent'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['admin', 'coordinator', 'analyst', 'auditor'];
export const HANDLER_ROLES: readonly Role[] = ['admin', 'coordinator', 'analyst'];

export type Actor =
  | { kind: 'user'; id: string; username: string; role: Role; organisationId: string | null; ip?: string | null; via: 'session' | 'token'; scopes?: readonly string[] }
  | { kind: 'reporter'; reportId: string; ip?: string | null }
  | { kind: 'anonymous'; ip?: string | null }
  | { kind: 'system'; component: string; ip?: null };

export type Action =
  | 'report:create'
  | 'report:create-staff' // phone reports logged by staff
  | 'report:list'
  | 'report:read'
  | 'report:triage'
  | 'report:track' // the reporter's own report through its token
  | 'incident:list'
  | 'incident:read'
  | 'incident:create'
  | 'incident:update'
  | 'incident:comment'
  | 'incident:merge'
  | 'incident:handoff'
  | 'handoff:feedback'
  | 'partner:list'
  | 'partner:read'
  | 'constituent:list'
  | 'constituent:read'
  | 'constituent:manage' // create, edit, delete, CSV import
  | 'constituent:export'
  | 'feed:read' // feed sources, imports, unmatched summary
  | 'feed:manage' // feed sources
  | 'feed:import' // upload (staff) or push (partners, token scope feeds:write)
  | 'event:list' // staff; a constituent its own; a partner those of constituents in its care
  | 'notice:list'
  | 'notice:read' // staff; a constituent its own; a partner those addressed to it or about constituents in its care
  | 'notice:manage' // acknowledge on the owner's behalf (phone), resolve by hand, send again
  | 'user:manage'
  | 'settings:manage'
  | 'audit:read'
  | 'stats:read'
  | 'self:manage'
  | 'sample:submit' // signed-in staff and constituents (anonymous: the public route's allowance)
  | 'sample:list'
  | 'sample:read' // staff; a constituent only samples it (or its organisation) submitted
  | 'sample:download' // the password-protected zip of the live sample: handlers only
  | 'sample:manage' // re-analyse, link to incidents, add indicators to incidents
  | 'yara:read'
  | 'yara:manage'
  | 'mail:read' // contacts' keys and the outbox
  | 'mail:keys-manage' // import contacts' keys
  | 'mail:quarantine'; // quarantined inbound mail (list, download raw, release), retry of failed outbound mail

export interface Resource {
  /** The constituent organisation a report or incident belongs to. */
  organisationId?: string | null;
  /** Partner organisations an incident has been handed to. */
  handedTo?: readonly string[];
  /** For partner/constituent records: their own id. */
  id?: string;
  /** Users and organisations that submitted a malware sample. */
  submitterIds?: readonly string[];
  submitterOrganisationIds?: readonly string[];
}

const staff = (r: Role) => (STAFF_ROLES as readonly string[]).includes(r);
const handler = (r: Role) => (HANDLER_ROLES as readonly string[]).includes(r);

export function can(actor: Actor, action: Action, resource: Resource = {}): boolean {
  if (actor.kind === 'system') return true;
  if (action === 'report:create') return true;
  if (actor.kind === 'reporter') return action === 'report:track';
  if (actor.kind !== 'user') return false;
  const role = actor.role;
  const org = actor.organisationId;
  switch (action) {
    case 'report:track':
      return false;
    case 'report:create-staff':
    case 'report:triage':
    case 'incident:create':
    case 'incident:update':
    case 'incident:comment':
    case 'incident:merge':
    case 'incident:handoff':
      return handler(role);
    case 'report:list':
      return staff(role) || role === 'constituent';
    case 'report:read':
      return staff(role) || (role === 'constituent' && org !== null && resource.organisationId === org);
    case 'incident:list':
      return staff(role) || role === 'partner';
    case 'incident:read':
      return staff(role) || (role === 'partner' && org !== null && (resource.handedTo ?? []).includes(org));
    case 'handoff:feedback':
      return role === 'admin' || role === 'coordinator' || (role === 'partner' && org !== null && (resource.handedTo ?? []).includes(org));
    case 'partner:list':
      return staff(role) || role === 'partner';
    case 'partner:read':
      return staff(role) || (role === 'partner' && resource.id === org);
    case 'constituent:list':
      return staff(role) || role === 'constituent';
    case 'constituent:read':
      return staff(role) || (role === 'constituent' && resource.id === org);
    case 'constituent:manage':
    case 'feed:manage':
    case 'mail:keys-manage':
      return role === 'admin' || role === 'coordinator';
    case 'constituent:export':
    case 'feed:read':
      return staff(role);
    case 'feed:import':
      return handler(role) || role === 'partner';
    case 'event:list':
    case 'notice:list':
      return staff(role) || ((role === 'constituent' || role === 'partner') && org !== null);
    case 'notice:read':
      return staff(role) || (org !== null && ((role === 'constituent' && resource.organisationId === org) || (role === 'partner' && (resource.handedTo ?? []).includes(org))));
    case 'notice:manage':
      return handler(role);
    case 'user:manage':
    case 'settings:manage':
      return role === 'admin';
    case 'audit:read':
      return role === 'admin' || role === 'auditor';
    case 'stats:read':
    case 'mail:read':
      return staff(role);
    case 'self:manage':
      return true;
    case 'sample:submit':
      return handler(role) || role === 'constituent';
    case 'sample:list':
      return staff(role) || role === 'constituent';
    case 'sample:read':
      return staff(role) || (role === 'constituent' && ((resource.submitterIds ?? []).includes(actor.id) || (org !== null && (resource.submitterOrganisationIds ?? []).includes(org))));
    case 'sample:download':
    case 'sample:manage':
    case 'yara:manage':
    case 'mail:quarantine':
      return handler(role);
    case 'yara:read':
      return staff(role);
  }
}

export function authorize(actor: Actor, action: Action, resource?: Resource): void {
  if (can(actor, action, resource)) return;
  if (actor.kind === 'anonymous') throw new Unauthenticated('unauthenticated');
  throw new Forbidden('forbidden');
}

/** Row filters for list queries: what slice of the data this actor may see. */
export function listScope(actor: Actor): { all: true } | { organisationId: string } | { partnerId: string } | { none: true } {
  if (actor.kind === 'system') return { all: true };
  if (actor.kind !== 'user') return { none: true };
  if (staff(actor.role)) return { all: true };
  if (actor.role === 'partner' && actor.organisationId) return { partnerId: actor.organisationId };
  if (actor.role === 'constituent' && actor.organisationId) return { organisationId: actor.organisationId };
  return { none: true };
}
