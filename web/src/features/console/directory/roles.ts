import { STAFF_ROLES } from '../types.js';

/** Mirrors `constituent:manage` in src/modules/auth/policy.ts: create, edit, delete, CSV import. */
export function canManageConstituents(role: string | undefined): boolean {
  return role === 'admin' || role === 'coordinator';
}

/** Mirrors `constituent:export`: staff. */
export function canExportConstituents(role: string | undefined): boolean {
  return role !== undefined && STAFF_ROLES.includes(role);
}
