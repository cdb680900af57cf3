import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError, rethrowConstraintViolation } from '@app/platform';
import type { CreateServiceDto, UpdateServiceDto } from './booking.dto';
import { Service } from './service.entity';
import { SlotPublisher } from './slot-publisher';

@Injectable()
export class ServicesService {
  constructor(
    @InjectRepository(Service) private readonly services: Repository<Service>,
    private readonly publisher: SlotPublisher,
  ) {}

  list(includeInactive = false): Promise<Service[]> {
    return this.services.find({ where: includeInactive ? {} : { active: true }, order: { code: 'ASC' } });
  }

  async get(id: string): Promise<Service> {
    const service = await this.services.findOneBy({ id });
    if (!service) throw new DomainError('not_found');
    return service;
  }

  async create(dto: CreateServiceDto): Promise<Service> {
    const service = this.services.create({
      description: null,
      bufferMinutes: 0,
      capacity: 1,
      minNoticeMinutes: 120,
      horizonDays: 28,
      changeDeadlineMinutes: 1440,
      reminderOffsetsMinutes: [1440],
      staffNoticeWorkingDays: 2,
      preInformationForm: null,
      languages: ['fi', 'sv', 'en'],
      active: true,
      ...dto,
    });
    return this.services.save(service).catch(rethrowConstraintViolation({ unique: 'code', reference: 'unitId' }));
  }

  /** Duration, buffer, capacity and unit are fixed once created: they shape published slots. */
  async update(id: string, dto: UpdateServiceDto): Promise<Service> {
    const service = await this.get(id);
    const reshapes = (dto.horizonDays !== undefined && dto.horizonDays !== service.horizonDays) || (dto.active !== undefined && dto.active !== service.active);
    const saved = await this.services.save(Object.assign(service, dto));
    if (reshapes) await this.publisher.publishForService(id);
    return saved;
  }
}
