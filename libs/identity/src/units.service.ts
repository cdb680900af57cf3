import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock, DomainError, expandServiceArea, rethrowConstraintViolation } from '@app/platform';
import type { CreateUnitDto, UpdateUnitDto } from './identity.dto';
import { Unit } from './unit.entity';

/** Unit codes → each unit's id and the municipalities it serves: what routing needs. */
export type UnitDirectory = ReadonlyMap<string, { readonly id: string; readonly municipalities: readonly string[] }>;

/**
 * How long an instance routes with the units it read: a change made through
 * this instance applies at once, one made through another within this time.
 */
export const UNIT_DIRECTORY_TTL_MS = 30_000;

@Injectable()
export class UnitsService {
  private directoryCache?: { loadedAt: number; directory: Promise<UnitDirectory> };

  constructor(
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    private readonly clock: Clock,
  ) {}

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
    const unit = this.units.create({ email: null, phone: null, address: null, municipalityCode: null, ...dto, municipalities: expandServiceArea(dto.municipalities ?? []) });
    const saved = await this.units.save(unit).catch(rethrowConstraintViolation({ unique: 'code' }));
    this.directoryCache = undefined;
    return saved;
  }

  async update(id: string, dto: UpdateUnitDto): Promise<Unit> {
    const unit = await this.get(id);
    const { municipalities, ...rest } = dto;
    Object.assign(unit, rest, municipalities ? { municipalities: expandServiceArea(municipalities) } : {});
    const saved = await this.units.save(unit);
    this.directoryCache = undefined;
    return saved;
  }

  /**
   * Every unit's code with its id and the municipalities it serves, read at most once per
   * {@link UNIT_DIRECTORY_TTL_MS} (so routing a submission costs no query);
   * `fresh` reads it again, e.g. before telling a sender that a unit does not exist.
   */
  directory(options: { fresh?: boolean } = {}): Promise<UnitDirectory> {
    const now = this.clock.now().getTime();
    const cached = this.directoryCache;
    if (!options.fresh && cached && now >= cached.loadedAt && now - cached.loadedAt < UNIT_DIRECTORY_TTL_MS) return cached.directory;
    const directory = this.units
      .find({ select: { id: true, code: true, municipalities: true } })
      .then((units) => new Map(units.map((u) => [u.code, { id: u.id, municipalities: u.municipalities }] as const)));
    this.directoryCache = { loadedAt: now, directory };
    // A failed read is not kept: the next caller tries again.
    directory.catch(() => {
      if (this.directoryCache?.directory === directory) this.directoryCache = undefined;
    });
    return directory;
  }
}
