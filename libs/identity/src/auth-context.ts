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
