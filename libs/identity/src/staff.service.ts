import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { DomainError, hashPassword, rethrowConstraintViolation } from '@app/platform';
import type { CreateStaffDto, StaffPreferencesDto, UpdateStaffDto } from './identity.dto';
import { assertAcceptablePassword } from './password-policy';
import { Staff, UNIT_ROLES, type UnitRole } from './staff.entity';
import { Unit } from './unit.entity';

/** One unit of a staff member, with the staff member's roles there. */
export type StaffUnit = Unit & { roles: UnitRole[] };

/** A staff account as the API shows it: each unit with its roles, and the unit ids per role (as they are set). */
export interface StaffView {
  id: string;
  email: string;
  name: string;
  title: Staff['title'];
  languages: Staff['languages'];
  roles: Staff['roles'];
  active: boolean;
  notifyNewSubmissions: boolean;
  createdAt: Date;
  units: StaffUnit[];
  /** Units where the person keeps a calendar (role `calendar`). */
  unitIds: string[];
  /** Units whose inbox the person handles (role `handler`). */
  handlerUnitIds: string[];
}

/** A staff account with its password hash and units, for signing in. */
export type StaffWithPassword = StaffView & { passwordHash: string };

interface MembershipRow {
  staff_id: string;
  unit_id: string;
  roles: UnitRole[];
}

@Injectable()
export class StaffService {
  constructor(@InjectRepository(Staff) private readonly staff: Repository<Staff>) {}

  async list(): Promise<StaffView[]> {
    const all = await this.staff.find({ order: { name: 'ASC' } });
    return this.withUnits(all);
  }

  async get(id: string): Promise<StaffView> {
    const found = await this.staff.findOneBy({ id });
    if (!found) throw new DomainError('not_found');
    return (await this.withUnits([found]))[0];
  }

  async findByEmail(email: string): Promise<StaffWithPassword | null> {
    const found = await this.staff.createQueryBuilder('s').addSelect('s.passwordHash').where('lower(s.email) = lower(:email)', { email }).getOne();
    if (!found) return null;
    return { ...(await this.withUnits([found]))[0], passwordHash: found.passwordHash };
  }

  /**
   * Creates an account. `unitIds` are the units where the person keeps a
   * calendar, `handlerUnitIds` those whose inbox they handle; a unit in both
   * gets both roles.
   */
  async create(dto: CreateStaffDto): Promise<StaffView> {
    assertAcceptablePassword(dto.password);
    const passwordHash = await hashPassword(dto.password);
    const id = await this.staff.manager.transaction(async (em) => {
      const saved = await em
        .save(
          em.create(Staff, {
            email: dto.email.trim(),
            name: dto.name,
            title: dto.title ?? null,
            languages: dto.languages,
            roles: dto.roles,
            active: true,
            notifyNewSubmissions: dto.notifyNewSubmissions ?? true,
            passwordHash,
          }),
        )
        .catch(rethrowConstraintViolation({ unique: 'email' }));
      await this.setMemberships(em, saved.id, dto.unitIds, dto.handlerUnitIds ?? []);
      return saved.id;
    });
    return this.get(id);
  }

  /**
   * A new password or deactivation ends every session of the account, in the
   * same transaction as the change. `unitIds` and `handlerUnitIds` each
   * replace the units of their role; the one not given stays as it was.
   */
  async update(id: string, dto: UpdateStaffDto): Promise<StaffView> {
    const { password, unitIds, handlerUnitIds, ...rest } = dto;
    if (password !== undefined) assertAcceptablePassword(password);
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    await this.staff.manager.transaction(async (em) => {
      const existing = await em.findOne(Staff, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw new DomainError('not_found');
      Object.assign(existing, rest);
      if (passwordHash) existing.passwordHash = passwordHash;
      await em.save(existing);
      if (unitIds || handlerUnitIds) {
        const [current] = await this.withUnits([existing], em);
        await this.setMemberships(em, id, unitIds ?? current.unitIds, handlerUnitIds ?? current.handlerUnitIds);
      }
      if (passwordHash || rest.active === false) await em.query(`DELETE FROM session WHERE staff_id = $1`, [id]);
    });
    return this.get(id);
  }

  /** The staff member's own settings. */
  async setPreferences(staffId: string, dto: StaffPreferencesDto): Promise<StaffView> {
    if (dto.notifyNewSubmissions !== undefined) await this.staff.update({ id: staffId }, { notifyNewSubmissions: dto.notifyNewSubmissions });
    return this.get(staffId);
  }

  /** Replaces the memberships: one row per unit with the roles it has. Unknown units: 422 naming the field. */
  private async setMemberships(em: EntityManager, staffId: string, calendar: string[], handler: string[]): Promise<void> {
    for (const [field, ids] of [['unitIds', calendar], ['handlerUnitIds', handler]] as const) {
      if (!ids.length) continue;
      const [{ found }] = await em.query(`SELECT count(*)::int AS found FROM unit WHERE id = ANY($1::uuid[])`, [[...new Set(ids)]]);
      if (found !== new Set(ids).size) throw new DomainError('unknown_reference', { field });
    }
    await em.query(`DELETE FROM staff_unit WHERE staff_id = $1`, [staffId]);
    await em.query(
      `INSERT INTO staff_unit (staff_id, unit_id, roles)
       SELECT $1, unit_id, array_remove(ARRAY[CASE WHEN unit_id = ANY($2::uuid[]) THEN 'calendar' END,
                                             CASE WHEN unit_id = ANY($3::uuid[]) THEN 'handler' END], NULL)
         FROM (SELECT DISTINCT unnest($2::uuid[] || $3::uuid[]) AS unit_id) units`,
      [staffId, calendar, handler],
    );
  }

  private async withUnits(staff: Staff[], em: EntityManager = this.staff.manager): Promise<StaffView[]> {
    const memberships: MembershipRow[] = staff.length
      ? await em.query(`SELECT staff_id, unit_id, roles FROM staff_unit WHERE staff_id = ANY($1::uuid[])`, [staff.map((s) => s.id)])
      : [];
    const units = new Map((memberships.length ? await em.findBy(Unit, { id: In([...new Set(memberships.map((m) => m.unit_id))]) }) : []).map((u) => [u.id, u]));
    return staff.map((s) => {
      const own = memberships
        .filter((m) => m.staff_id === s.id)
        .map((m) => ({ ...units.get(m.unit_id)!, roles: UNIT_ROLES.filter((role) => m.roles.includes(role)) }))
        .sort((a, b) => a.code.localeCompare(b.code));
      const { passwordHash: _, ...fields } = s;
      return {
        ...fields,
        units: own,
        unitIds: own.filter((u) => u.roles.includes('calendar')).map((u) => u.id),
        handlerUnitIds: own.filter((u) => u.roles.includes('handler')).map((u) => u.id),
      };
    });
  }
}
