import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Työaika: a weekly recurring period when a staff member serves one service at one unit. */
@Entity('working_hours')
export class WorkingHours {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('uuid', { name: 'service_id' }) serviceId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  /** ISO weekday, 1 = Monday. */
  @Column('smallint') weekday: number;
  @Column('time', { name: 'start_time' }) startTime: string;
  @Column('time', { name: 'end_time' }) endTime: string;
  @Column('date', { name: 'valid_from' }) validFrom: string;
  @Column('date', { name: 'valid_to', nullable: true }) validTo: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** Lisätyöaika: hours on one date, also on a public holiday. */
@Entity('extra_hours')
export class ExtraHours {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('uuid', { name: 'service_id' }) serviceId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('date') date: string;
  @Column('time', { name: 'start_time' }) startTime: string;
  @Column('time', { name: 'end_time' }) endTime: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** Poissaolo: the staff member is away; no slots inside it. */
@Entity('absence')
export class Absence {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('timestamptz', { name: 'starts_at' }) startsAt: Date;
  @Column('timestamptz', { name: 'ends_at' }) endsAt: Date;
  @Column('text', { nullable: true }) reason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
