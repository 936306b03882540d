import { Forbidden, Unauthenticated } from '../../lib/errors.js';
import type { Actor, Role } from '../auth/policy.js';

/**
 * Who may use the mail module's console APIs. Kept beside the module for now with the same
 * semantics as `authorize` in auth/policy.ts (system actors may do anything; anonymous callers get
 * 401, others 403); these actions belong in policy.ts's Action union once its owner adds them.
 */
export type MailAction =
  /** List contacts' keys and the outbox. */
  | 'mail:read'
  /** Import contacts' keys. */
  | 'mail:keys-manage'
  /** Quarantine: list, download raw, release. */
  | 'mail:quarantine';

const ALLOWED: Record<MailAction, readonly Role[]> = {
  'mail:read': ['admin', 'coordinator', 'analyst', 'auditor'],
  'mail:keys-manage': ['admin', 'coordinator'],
  'mail:quarantine': ['admin', 'coordinator', 'analyst'],
};

export function canMail(actor: Actor, action: MailAction): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return ALLOWED[action].includes(actor.role);
}

export function authorizeMail(actor: Actor, action: MailAction): void {
  if (canMail(actor, action)) return;
  if (actor.kind === 'anonymous') throw new Unauthenticated('unauthenticated');
  throw new Forbidden('forbidden');
}
