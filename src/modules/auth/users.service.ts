import type { Db } from '../../db/database.js';
import { NotFound } from '../../lib/errors.js';
import type { Language } from '../../lib/i18n.js';
import type { Clock } from '../../lib/time.js';
import type { AuditService } from '../audit/audit.service.js';
import { authorize, type Actor, type Role } from './policy.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { User, UsersRepository } from './users.repository.js';

export function createUsersService(deps: { db: Db; users: UsersRepository; sessions: SessionsRepository; audit: AuditService; clock: Clock }) {
  const { db, users, sessions, audit, clock } = deps;
  return {
    async list(actor: Actor): Promise<User[]> {
      authorize(actor, 'user:manage');
      return users.list(db);
    },
    async update(actor: Actor, id: string, patch: { displayName?: string | undefined; role?: Role | undefined; organisationId?: string | null | undefined; disabled?: boolean | undefined; language?: Language | undefined; unlock?: boolean | undefined }): Promise<User> {
      authorize(actor, 'user:manage');
      const before = await users.byId(db, id);
      if (!before) throw new NotFound('not_found');
      await db.transaction().execute(async (trx) => {
        await users.update(trx, id, {
          ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.organisationId !== undefined ? { organisation_id: patch.organisationId } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
          ...(patch.language !== undefined ? { language: patch.language } : {}),
          ...(patch.unlock ? { failed_logins: 0, locked_until: null } : {}),
          updated_at: clock.now().toISOString(),
        });
        // A role change or a disabled account ends the user's sessions at once.
        if (patch.role !== undefined || patch.disabled) await sessions.deleteForUser(trx, id);
        await audit.record(trx, actor, { action: 'user.update', targetType: 'user', targetId: id, details: { ...patch } });
      });
      return (await users.byId(db, id))!;
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
