import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, DomainError, FOREIGN_KEY_VIOLATION, type Lang, UNIQUE_VIOLATION, pgErrorCode, startOfHelsinkiDay, toHelsinkiIso } from '@app/platform';
import { type AuthContext, type LocalizedText, isAdmin } from '@app/identity';
import type { ManualSlotDto, SlotSearchQuery } from './booking.dto';
import { horizonEndDate, parseRange } from './time-range';

export type SlotStatus = 'free' | 'busy' | 'busy-unavailable';

export interface FreeSlotView {
  id: string;
  startsAt: string;
  endsAt: string;
  /** Places left (1 for ordinary appointments, more for group sessions). */
  available: number;
  staff: { id: string; name: string; languages: string[] };
  unit: { id: string; code: string; name: LocalizedText };
}

export interface StaffSlotView {
  id: string;
  serviceId: string;
  unitId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  /** FHIR Slot status. */
  status: SlotStatus;
  blocked: boolean;
  origin: 'calendar' | 'manual';
}

const MAX_SEARCH_DAYS = 31;

export const SERVICE_LOOKUP = `SELECT min_notice_minutes, horizon_days, buffer_minutes FROM service WHERE id = $1 AND active`;

/** Free slots of one service in [$2, $3): a place left, not blocked, and no overlapping appointment of the same staff member. */
const FREE_SLOTS = `SELECT s.id, s.starts_at, s.ends_at, s.capacity - s.booked AS available, s.staff_id, st.name AS staff_name,
              st.languages, s.unit_id, u.code AS unit_code, u.name AS unit_name
         FROM slot s
         JOIN staff st ON st.id = s.staff_id
         JOIN unit u ON u.id = s.unit_id
        WHERE s.service_id = $1 AND s.booked < s.capacity AND NOT s.blocked AND NOT s.withdrawn AND st.active
          AND s.starts_at >= $2 AND s.starts_at < $3
          AND ($4::uuid IS NULL OR s.unit_id = $4)
          AND ($5::uuid IS NULL OR s.staff_id = $5)
          AND ($6::text IS NULL OR $6 = ANY (st.languages))
          AND NOT EXISTS (
                SELECT 1 FROM appointment a
                 WHERE a.staff_id = s.staff_id AND a.status = 'booked' AND a.slot_id <> s.id
                   AND tstzrange(a.starts_at, a.busy_until) && tstzrange(s.starts_at, s.ends_at + $7 * interval '1 minute')
                   -- the same overlap against the whole period lets PostgreSQL use the staff/time index once
                   AND tstzrange(a.starts_at, a.busy_until) && tstzrange($2, $3::timestamptz + $7 * interval '1 minute'))`;

/** The free slots in start order, at most $8. */
export const SEARCH_FREE = `${FREE_SLOTS}
        ORDER BY s.starts_at, st.name
        LIMIT $8`;

/**
 * One free slot per start time and unit: the times a family chooses from.
 * Of several staff members free at the same time, a hash of the slot's id
 * picks one, so the bookings spread over them instead of filling the
 * first name in the alphabet.
 */
export const SEARCH_FREE_TIMES = `SELECT DISTINCT ON (f.starts_at, f.unit_id) f.*
         FROM (${FREE_SLOTS}) f
        ORDER BY f.starts_at, f.unit_id, md5(f.id::text)
        LIMIT $8`;

@Injectable()
export class SlotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Free slots a family can book: within the minimum notice and horizon, not
   * blocked, with a place left, and not overlapping the staff member's other
   * appointments (another service may share the same person).
   */
  async searchFree(serviceId: string, query: SlotSearchQuery, options: { oneStaffPerTime?: boolean } = {}): Promise<{ items: FreeSlotView[]; limit: number }> {
    const { from, to } = parseRange(query.from, query.to, MAX_SEARCH_DAYS);
    const limit = query.limit ?? 200;
    const [service] = await this.db.query(
      SERVICE_LOOKUP,
      [serviceId],
    );
    if (!service) throw new DomainError('not_found');
    // Constant bounds let PostgreSQL range-scan the partial (service_id, starts_at) index.
    const now = this.clock.now();
    const earliest = new Date(Math.max(from.getTime(), now.getTime() + service.min_notice_minutes * 60_000));
    const horizonEnd = startOfHelsinkiDay(horizonEndDate(now, service.horizon_days));
    const latest = new Date(Math.min(to.getTime(), horizonEnd.getTime()));
    if (earliest >= latest) return { limit, items: [] };
    const rows = await this.db.query(
      options.oneStaffPerTime ? SEARCH_FREE_TIMES : SEARCH_FREE,
      [serviceId, earliest, latest, query.unitId ?? null, query.staffId ?? null, query.language ?? null, service.buffer_minutes, limit],
    );
    return {
      limit,
      items: rows.map(toFreeSlotView),
    };
  }

  /**
   * Free slots staff may book or move a family to, by the staff rules of the
   * booking statement: any time not yet begun (no minimum notice, no
   * horizon), and only their own slots or their units' (admins: any). With
   * `language`, only staff who serve in it.
   */
  async searchForStaff(auth: AuthContext, serviceId: string, query: { from: string; to: string; language?: Lang; limit?: number }): Promise<FreeSlotView[]> {
    const { from, to } = parseRange(query.from, query.to, MAX_SEARCH_DAYS);
    const limit = query.limit ?? 200;
    const [service] = await this.db.query(SERVICE_LOOKUP, [serviceId]);
    if (!service) throw new DomainError('not_found');
    const earliest = new Date(Math.max(from.getTime(), this.clock.now().getTime() + 1));
    if (earliest >= to) return [];
    // Each allowed part on its own (the staff member's own slots, each unit's), with the search's own query.
    const scopes: [string | null, string | null][] = isAdmin(auth) ? [[null, null]] : [[null, auth.staffId], ...auth.unitIds.map((u): [string, null] => [u, null])];
    const found = new Map<string, FreeSlotView>();
    for (const [unitId, staffId] of scopes) {
      const rows = await this.db.query(SEARCH_FREE, [serviceId, earliest, to, unitId, staffId, query.language ?? null, service.buffer_minutes, limit]);
      for (const r of rows) found.set(r.id, toFreeSlotView(r));
    }
    return [...found.values()].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.staff.name.localeCompare(b.staff.name)).slice(0, limit);
  }

  /** One slot of the service if staff may book it now (the rules of `searchForStaff`), else undefined. */
  async findForStaff(auth: AuthContext, serviceId: string, slotId: string, language?: Lang): Promise<FreeSlotView | undefined> {
    const [slot] = await this.db.query(`SELECT starts_at FROM slot WHERE id = $1 AND service_id = $2`, [slotId, serviceId]);
    if (!slot) return undefined;
    const start: Date = slot.starts_at;
    const items = await this.searchForStaff(auth, serviceId, {
      from: toHelsinkiIso(start), to: toHelsinkiIso(new Date(start.getTime() + 60_000)), language, limit: 500,
    });
    return items.find((item) => item.id === slotId);
  }

  /** One slot of the service if a family can book it now (the same rules as the search), else undefined. */
  async findFree(serviceId: string, slotId: string): Promise<FreeSlotView | undefined> {
    const [slot] = await this.db.query(`SELECT starts_at FROM slot WHERE id = $1 AND service_id = $2`, [slotId, serviceId]);
    if (!slot) return undefined;
    const start: Date = slot.starts_at;
    const { items } = await this.searchFree(serviceId, {
      from: toHelsinkiIso(start), to: toHelsinkiIso(new Date(start.getTime() + 60_000)), limit: 500,
    });
    return items.find((item) => item.id === slotId);
  }

  /** A staff member's own slots in a period, with FHIR status. */
  async listForStaff(staffId: string, from: Date, to: Date): Promise<StaffSlotView[]> {
    const rows = await this.db.query(
      `SELECT * FROM slot WHERE staff_id = $1 AND starts_at >= $2 AND starts_at < $3 AND NOT (withdrawn AND booked = 0)
        ORDER BY starts_at, service_id`,
      [staffId, from, to],
    );
    return rows.map(toStaffSlotView);
  }

  /** Blocks or unblocks one slot; bookings already on it stay. */
  async setBlocked(auth: AuthContext, slotId: string, blocked: boolean): Promise<StaffSlotView> {
    const [rows] = await this.db.query(
      `UPDATE slot SET blocked = $2 WHERE id = $1 AND ($3 OR staff_id = $4 OR unit_id = ANY ($5::uuid[])) RETURNING staff_id, starts_at`,
      [slotId, blocked, isAdmin(auth), auth.staffId, auth.unitIds],
    );
    if (!rows.length) throw new DomainError('slot_not_found');
    return this.one(slotId);
  }

  /**
   * Adds a single slot outside the weekly hours. Like weekly hours, staff add
   * slots only in their own units' services and at their own units.
   */
  async addManual(auth: AuthContext, staffId: string, dto: ManualSlotDto): Promise<StaffSlotView> {
    if (!isAdmin(auth) && auth.staffId !== staffId) throw new DomainError('forbidden');
    const startsAt = new Date(dto.startsAt);
    if (startsAt <= this.clock.now()) throw new DomainError('slot_in_past');
    try {
      const rows = await this.db.query(
        `INSERT INTO slot (service_id, staff_id, unit_id, starts_at, ends_at, capacity, origin)
         SELECT sv.id, $2, coalesce($3, sv.unit_id), $4, $4::timestamptz + sv.duration_minutes * interval '1 minute', sv.capacity, 'manual'
           FROM service sv WHERE sv.id = $1 AND ($5 OR (sv.unit_id = ANY ($6::uuid[]) AND coalesce($3, sv.unit_id) = ANY ($6::uuid[])))
         RETURNING id`,
        [dto.serviceId, staffId, dto.unitId ?? null, startsAt, isAdmin(auth), auth.unitIds],
      );
      if (!rows.length) {
        const [service] = await this.db.query(`SELECT 1 FROM service WHERE id = $1`, [dto.serviceId]);
        throw service ? new DomainError('forbidden') : new DomainError('unknown_reference', { field: 'serviceId' });
      }
      return this.one(rows[0].id);
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION) throw new DomainError('already_exists', { field: 'startsAt' });
      if (pgErrorCode(error) === FOREIGN_KEY_VIOLATION) throw new DomainError('unknown_reference', { field: 'unitId' });
      throw error;
    }
  }

  /** Removes a manual slot nobody has booked. */
  async removeManual(auth: AuthContext, slotId: string): Promise<void> {
    const [rows] = await this.db.query(
      `DELETE FROM slot s WHERE id = $1 AND origin = 'manual' AND booked = 0 AND ($2 OR staff_id = $3)
         AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id) RETURNING id`,
      [slotId, isAdmin(auth), auth.staffId],
    );
    if (rows.length) return;
    // Why not: another's slot is simply not found; one's own has bookings (or comes from the weekly hours).
    const [own] = await this.db.query(`SELECT 1 FROM slot WHERE id = $1 AND ($2 OR staff_id = $3)`, [slotId, isAdmin(auth), auth.staffId]);
    throw new DomainError(own ? 'slot_booked' : 'slot_not_found');
  }

  private async one(slotId: string): Promise<StaffSlotView> {
    const [row] = await this.db.query(`SELECT * FROM slot WHERE id = $1`, [slotId]);
    return toStaffSlotView(row);
  }
}

function toFreeSlotView(r: Record<string, never>): FreeSlotView {
  return {
    id: r.id,
    startsAt: toHelsinkiIso(r.starts_at),
    endsAt: toHelsinkiIso(r.ends_at),
    available: r.available,
    staff: { id: r.staff_id, name: r.staff_name, languages: r.languages },
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
  };
}

function toStaffSlotView(r: Record<string, never>): StaffSlotView {
  return {
    id: r.id,
    serviceId: r.service_id,
    unitId: r.unit_id,
    startsAt: toHelsinkiIso(r.starts_at),
    endsAt: toHelsinkiIso(r.ends_at),
    capacity: r.capacity,
    booked: r.booked,
    status: r.blocked || r.withdrawn ? 'busy-unavailable' : r.booked >= r.capacity ? 'busy' : 'free',
    blocked: r.blocked,
    origin: r.origin,
  };
}
