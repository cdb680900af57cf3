import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, rethrowConstraintViolation } from '@app/platform';
import type { CreateUnitDto, UpdateUnitDto } from './identity.dto';
import { Unit } from './unit.entity';


@Injectable()
export class UnitsService {
  constructor(@InjectRepository(Unit) private readonly units: Repository<Unit>) {}

  list(): Promise<Unit[]> {
    return this.units.find({ order: { code: 'ASC' } });
  }

  async get(id: string): Promise<Unit> {
    const unit = await this.units.findOneBy({ id });
    if (!unit) throw new DomainError('not_found');
    return unit;
  }

  findByCode(code: string): Promise<Unit | null> {
    return this.units.findOneBy({ code });
  }

  async create(dto: CreateUnitDto): Promise<Unit> {
    return this.units.save(this.units.create({ email: null, phone: null, address: null, municipalityCode: null, ...dto })).catch(rethrowConstraintViolation({ unique: 'code' }));
  }

  async update(id: string, dto: UpdateUnitDto): Promise<Unit> {
    const unit = await this.get(id);
    return this.units.save(Object.assign(unit, dto));
  }
}
