import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { DomainError, FOREIGN_KEY_VIOLATION, pgErrorCode } from '@app/platform';
import { type AuthContext, actsIn, isAdmin } from '@app/identity';
import type { AbsenceDto, ExtraHoursDto, WorkingHoursDto } from './booking.dto';
import { Absence, ExtraHours, WorkingHours } from './calendar.entity';
import { Service } from './service.entity';
import type { AppointmentView } from './appointment.view';
import { AppointmentsService } from './appointments.service';
import { type CalendarConflict, SlotPublisher } from './slot-publisher';
import { SlotsService, type StaffSlotView } from './slots.service';
import { parseRange } from './time-range';

export interface CalendarChange<T> {
  item: T;
  /** Booked appointments the calendar no longer covers; they stay booked until staff act. */
  conflicts: CalendarConflict[];
}

export interface StaffCalendarSetup {
  workingHours: WorkingHours[];
  extraHours: ExtraHours[];
  absences: Absence[];
}

/**
 * Staff calendars: weekly hours, extra hours and absences. Every change
 * republishes the staff member's slots in the same transaction.
 */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: SlotPublisher,
    private readonly slots: SlotsService,
    private readonly appointments: AppointmentsService,
  ) {}

  /** A staff member's day or week: own slots with FHIR status and appointments starting in the period. */
  async view(staffId: string, from: string, to: string): Promise<{ slots: StaffSlotView[]; appointments: AppointmentView[] }> {
    const range = parseRange(from, to, 62);
    const [slots, appointments] = await Promise.all([
      this.slots.listForStaff(staffId, range.from, range.to),
      this.appointments.listForStaff(staffId, range.from, range.to),
    ]);
    return { slots, appointments };
  }

  async get(auth: AuthContext, staffId: string): Promise<StaffCalendarSetup> {
    assertOwnCalendar(auth, staffId);
    const [workingHours, extraHours, absences] = await Promise.all([
      this.db.getRepository(WorkingHours).find({ where: { staffId }, order: { weekday: 'ASC', startTime: 'ASC' } }),
      this.db.getRepository(ExtraHours).find({ where: { staffId }, order: { date: 'ASC' } }),
      this.db.getRepository(Absence).find({ where: { staffId }, order: { startsAt: 'ASC' } }),
    ]);
    return { workingHours, extraHours, absences };
  }

  addWorkingHours(auth: AuthContext, staffId: string, dto: WorkingHoursDto): Promise<CalendarChange<WorkingHours>> {
    if (dto.endTime <= dto.startTime) throw fieldError('endTime', 'min', { min: dto.startTime });
    if (dto.validTo && dto.validTo < dto.validFrom) throw fieldError('validTo', 'min', { min: dto.validFrom });
    return this.change(auth, staffId, async (tx) => {
      const unitId = await this.placeOf(tx, auth, dto);
      return tx.save(WorkingHours, tx.create(WorkingHours, { ...dto, staffId, unitId, validTo: dto.validTo ?? null }));
    });
  }

  addExtraHours(auth: AuthContext, staffId: string, dto: ExtraHoursDto): Promise<CalendarChange<ExtraHours>> {
    if (dto.endTime <= dto.startTime) throw fieldError('endTime', 'min', { min: dto.startTime });
    return this.change(auth, staffId, async (tx) => {
      const unitId = await this.placeOf(tx, auth, dto);
      return tx.save(ExtraHours, tx.create(ExtraHours, { ...dto, staffId, unitId }));
    });
  }

  addAbsence(auth: AuthContext, staffId: string, dto: AbsenceDto): Promise<CalendarChange<Absence>> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt <= startsAt) throw fieldError('endsAt', 'invalid');
    return this.change(auth, staffId, (tx) => tx.save(Absence, tx.create(Absence, { staffId, startsAt, endsAt, reason: dto.reason ?? null })));
  }

  /**
   * The booked appointments an absence would newly put in conflict with the
   * calendar, without storing anything: the same change as `addAbsence`,
   * rolled back. Lets staff see what they are about to leave uncovered.
   */
  async previewAbsence(auth: AuthContext, staffId: string, dto: AbsenceDto): Promise<CalendarConflict[]> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt <= startsAt) throw fieldError('endsAt', 'invalid');
    assertOwnCalendar(auth, staffId);
    const preview = new PreviewRollback();
    try {
      await this.db.transaction(async (tx) => {
        const before = new Set((await this.publisher.publishForStaff(staffId, tx)).map((c) => c.appointmentId));
        await tx.save(Absence, tx.create(Absence, { staffId, startsAt, endsAt, reason: null }));
        preview.conflicts = (await this.publisher.publishForStaff(staffId, tx)).filter((c) => !before.has(c.appointmentId));
        throw preview;
      });
    } catch (error) {
      if (error !== preview) throw error;
    }
    return preview.conflicts;
  }

  removeWorkingHours(auth: AuthContext, staffId: string, id: string) {
    return this.remove(auth, staffId, WorkingHours, id);
  }

  removeExtraHours(auth: AuthContext, staffId: string, id: string) {
    return this.remove(auth, staffId, ExtraHours, id);
  }

  removeAbsence(auth: AuthContext, staffId: string, id: string) {
    return this.remove(auth, staffId, Absence, id);
  }

  private remove<T extends ObjectLiteral>(auth: AuthContext, staffId: string, entity: EntityTarget<T>, id: string) {
    return this.change(auth, staffId, async (tx) => {
      const result = await tx.delete(entity, { id, staffId });
      if (!result.affected) throw new DomainError('not_found');
      return { id };
    });
  }

  private async change<T>(auth: AuthContext, staffId: string, apply: (tx: EntityManager) => Promise<T>): Promise<CalendarChange<T>> {
    assertOwnCalendar(auth, staffId);
    try {
      return await this.db.transaction(async (tx) => {
        const item = await apply(tx);
        const conflicts = await this.publisher.publishForStaff(staffId, tx);
        return { item, conflicts };
      });
    } catch (error) {
      if (pgErrorCode(error) === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_reference', { field: 'unitId' });
      throw error;
    }
  }

  /**
   * The unit hours are given in: the one named, else the service's. Staff give
   * hours only in their own units' services and at their own units; admins
   * anywhere.
   */
  private async placeOf(tx: EntityManager, auth: AuthContext, dto: { serviceId: string; unitId?: string }): Promise<string> {
    const service = await tx.findOneBy(Service, { id: dto.serviceId });
    if (!service) throw new DomainError('unknown_reference', { field: 'serviceId' });
    const unitId = dto.unitId ?? service.unitId;
    if (!actsIn(auth, service.unitId, unitId)) throw new DomainError('forbidden');
    return unitId;
  }
}

/** Thrown to roll a preview's transaction back, carrying what it found. */
class PreviewRollback {
  conflicts: CalendarConflict[] = [];
}

/** Staff edit their own calendar; admins anyone's. */
function assertOwnCalendar(auth: AuthContext, staffId: string): void {
  if (!isAdmin(auth) && auth.staffId !== staffId) throw new DomainError('forbidden');
}

function fieldError(field: string, rule: 'min' | 'invalid', params?: Record<string, string>): DomainError {
  return new DomainError('validation_failed', {}, [{ field, rule, params }]);
}
