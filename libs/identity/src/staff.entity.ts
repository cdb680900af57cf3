import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Lang } from '@app/platform';
import type { LocalizedText } from './unit.entity';

/** Global roles: `admin` configures the service and sees metadata and access logs; `staff` works in units. */
export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles in one unit (table `staff_unit`): `calendar` keeps appointments there
 * (working hours, slots, bookings), `handler` reads and handles the unit's
 * inbox of submissions.
 */
export const UNIT_ROLES = ['calendar', 'handler'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

/** Työntekijä: a staff account. Its units and roles there are rows of `staff_unit` (see StaffService). */
@Entity('staff')
export class Staff {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text') name: string;
  @Column('jsonb', { nullable: true }) title: LocalizedText | null;
  @Column('text', { array: true }) languages: Lang[];
  @Column('text', { array: true }) roles: Role[];
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('boolean') active: boolean;
  /** Whether to be e-mailed (without content) when a submission reaches a unit this person handles. */
  @Column('boolean', { name: 'notify_new_submissions', default: true }) notifyNewSubmissions: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
