import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { DomainError, hashPassword, rethrowConstraintViolation } from '@app/platform';
import type { CreateStaffDto, UpdateStaffDto } from './identity.dto';
import { assertAcceptablePassword } from './password-policy';
import { Staff } from './staff.entity';
import { Unit } from './unit.entity';

@Injectable()
export class StaffService {
  constructor(
    @InjectRepository(Staff) private readonly staff: Repository<Staff>,
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
  ) {}

  list(): Promise<Staff[]> {
    return this.staff.find({ relations: { units: true }, order: { name: 'ASC' } });
  }

  async get(id: string): Promise<Staff> {
    const found = await this.staff.findOne({ where: { id }, relations: { units: true } });
    if (!found) throw new DomainError('not_found');
    return found;
  }

  findByEmail(email: string): Promise<Staff | null> {
    return this.staff
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .leftJoinAndSelect('s.units', 'u')
      .where('lower(s.email) = lower(:email)', { email })
      .getOne();
  }

  async create(dto: CreateStaffDto): Promise<Staff> {
    assertAcceptablePassword(dto.password);
    const units = await this.resolveUnits(dto.unitIds);
    const created = this.staff.create({
      email: dto.email.trim(),
      name: dto.name,
      title: dto.title ?? null,
      languages: dto.languages,
      roles: dto.roles,
      active: true,
      passwordHash: await hashPassword(dto.password),
      units,
    });
    const saved = await this.staff.save(created).catch(rethrowConstraintViolation({ unique: 'email' }));
    return this.get(saved.id);
  }

  /**
   * A new password or deactivation ends every session of the account, in the
   * same transaction as the change.
   */
  async update(id: string, dto: UpdateStaffDto): Promise<Staff> {
    const { password, unitIds, ...rest } = dto;
    if (password !== undefined) assertAcceptablePassword(password);
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    await this.staff.manager.transaction(async (em) => {
      const existing = await em.findOne(Staff, { where: { id }, relations: { units: true } });
      if (!existing) throw new DomainError('not_found');
      Object.assign(existing, rest);
      if (unitIds) existing.units = await this.resolveUnits(unitIds, em);
      if (passwordHash) existing.passwordHash = passwordHash;
      await em.save(existing);
      if (passwordHash || rest.active === false) await em.query(`DELETE FROM session WHERE staff_id = $1`, [id]);
    });
    return this.get(id);
  }

  private async resolveUnits(ids: string[], em?: EntityManager): Promise<Unit[]> {
    const units = ids.length ? await (em?.getRepository(Unit) ?? this.units).findBy({ id: In(ids) }) : [];
    if (units.length !== new Set(ids).size) throw new DomainError('unknown_reference', { field: 'unitIds' });
    return units;
  }
}
