import type { Role } from './staff.entity';

/** Who is calling: passed first to every service method that depends on it. */
export interface AuthContext {
  staffId: string;
  roles: Role[];
  unitIds: string[];
}

export function isAdmin(auth: AuthContext): boolean {
  return auth.roles.includes('admin');
}

/** Whether the caller may act in all these units: staff only in their own, admins in any. */
export function actsIn(auth: AuthContext, ...unitIds: string[]): boolean {
  return isAdmin(auth) || unitIds.every((id) => auth.unitIds.includes(id));
}
