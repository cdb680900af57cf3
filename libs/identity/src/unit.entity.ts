import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface LocalizedText {
  fi: string;
  sv: string;
  en: string;
}

/** Toimipiste / yksikkö: an organisational unit with staff (and later an inbox), serving some municipalities. */
@Entity('unit')
export class Unit {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('jsonb') name: LocalizedText;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) address: string | null;
  @Column('text', { name: 'municipality_code', nullable: true }) municipalityCode: string | null;
  /** The municipalities it serves (Statistics Finland codes, sorted): submissions routed by municipality reach it. */
  @Column('text', { array: true, default: () => `'{}'` }) municipalities: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
