import type { Role } from './staff.entity';

/** Who is calling: passed first to every service method that depends on it. */
export interface AuthContext {
  staffId: string;
  roles: Role[];
  /** Units where the caller keeps a calendar (unit role `calendar`): slots, hours, appointments. */
  unitIds: string[];
  /** Units whose inbox the caller handles (unit role `handler`). Admins get no inbox by being admins. */
  handlerUnitIds: string[];
}

export function isAdmin(auth: AuthContext): boolean {
  return auth.roles.includes('admin');
}

/** Whether the caller may act in all these units' calendars: staff only in their own, admins in any. */
export function actsIn(auth: AuthContext, ...unitIds: string[]): boolean {
  return isAdmin(auth) || unitIds.every((id) => auth.unitIds.includes(id));
}

/** Whether the caller handles this unit's inbox. Being an admin does not count: admins see metadata only. */
export function handlesUnit(auth: AuthContext, unitId: string | null | undefined): boolean {
  return !!unitId && auth.handlerUnitIds.includes(unitId);
}
