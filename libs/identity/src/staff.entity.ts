import { Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Lang } from '@app/platform';
import { type LocalizedText, Unit } from './unit.entity';

export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Työntekijä: a staff account. */
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
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;

  @ManyToMany(() => Unit)
  @JoinTable({ name: 'staff_unit', joinColumn: { name: 'staff_id' }, inverseJoinColumn: { name: 'unit_id' } })
  units: Unit[];
}
