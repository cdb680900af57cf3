import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DomainError, hashPassword, rethrowConstraintViolation } from '@app/platform';
import type { CreateStaffDto, UpdateStaffDto } from './identity.dto';
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

  async update(id: string, dto: UpdateStaffDto): Promise<Staff> {
    const existing = await this.get(id);
    const { password, unitIds, ...rest } = dto;
    Object.assign(existing, rest);
    if (unitIds) existing.units = await this.resolveUnits(unitIds);
    if (password) existing.passwordHash = await hashPassword(password);
    await this.staff.save(existing);
    return this.get(id);
  }

  private async resolveUnits(ids: string[]): Promise<Unit[]> {
    const units = ids.length ? await this.units.findBy({ id: In(ids) }) : [];
    if (units.length !== new Set(ids).size) throw new DomainError('unknown_reference', { field: 'unitIds' });
    return units;
  }
}
