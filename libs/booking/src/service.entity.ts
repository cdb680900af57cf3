import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Lang } from '@app/platform';
import type { LocalizedText } from '@app/identity';
import type { Channel } from './booking.dto';

/** Palvelu: what a family can book. */
@Entity('service')
export class Service {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('jsonb') name: LocalizedText;
  @Column('jsonb', { nullable: true }) description: LocalizedText | null;
  @Column('int', { name: 'duration_minutes' }) durationMinutes: number;
  @Column('int', { name: 'buffer_minutes' }) bufferMinutes: number;
  @Column('text', { array: true }) channels: Channel[];
  @Column('int') capacity: number;
  @Column('int', { name: 'min_notice_minutes' }) minNoticeMinutes: number;
  @Column('int', { name: 'horizon_days' }) horizonDays: number;
  @Column('int', { name: 'change_deadline_minutes' }) changeDeadlineMinutes: number;
  @Column('int', { name: 'reminder_offsets_minutes', array: true }) reminderOffsetsMinutes: number[];
  /** Staff get a content-free e-mail when a family changes a time within this many working days (0: never). */
  @Column('int', { name: 'staff_notice_working_days' }) staffNoticeWorkingDays: number;
  @Column('text', { name: 'pre_information_form', nullable: true }) preInformationForm: string | null;
  @Column('text', { array: true }) languages: Lang[];
  @Column('boolean') active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
