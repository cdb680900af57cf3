import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateStaffDto, CreateUnitDto, StaffService, UnitsService, UpdateStaffDto, UpdateUnitDto } from '@app/identity';
import { CreateServiceDto, ServicesService, UpdateServiceDto } from '@app/booking';
import { OutboxService } from '@app/notifications';
import { OutboxQuery } from '../http/outbox.query';
import { SignedIn, UuidParam } from '../http/auth.decorators';

@ApiTags('admin')
@SignedIn('admin')
@Controller('api/v1')
export class AdminController {
  constructor(
    private readonly units: UnitsService,
    private readonly staff: StaffService,
    private readonly services: ServicesService,
    private readonly outbox: OutboxService,
  ) {}

  @Get('units') listUnits() { return this.units.list(); }
  @Post('units') createUnit(@Body() dto: CreateUnitDto) { return this.units.create(dto); }
  @Get('units/:id') getUnit(@UuidParam('id') id: string) { return this.units.get(id); }
  @Patch('units/:id') updateUnit(@UuidParam('id') id: string, @Body() dto: UpdateUnitDto) { return this.units.update(id, dto); }

  @Get('staff') listStaff() { return this.staff.list(); }
  @Post('staff') createStaff(@Body() dto: CreateStaffDto) { return this.staff.create(dto); }
  @Get('staff/:id') getStaff(@UuidParam('id') id: string) { return this.staff.get(id); }
  @Patch('staff/:id') updateStaff(@UuidParam('id') id: string, @Body() dto: UpdateStaffDto) { return this.staff.update(id, dto); }

  /** All services, inactive ones included. */
  @Get('admin/services') listServices() { return this.services.list(true); }
  @Post('services') createService(@Body() dto: CreateServiceDto) { return this.services.create(dto); }
  @Patch('services/:id') updateService(@UuidParam('id') id: string, @Body() dto: UpdateServiceDto) { return this.services.update(id, dto); }

  /** Outgoing e-mail by status (newest first); recipients are masked. */
  @Get('admin/outbox') listOutbox(@Query() q: OutboxQuery) { return this.outbox.list(q.status ?? 'failed'); }
  /** Puts a failed message back in line. */
  @Post('admin/outbox/:id/retry') @HttpCode(204) retryOutbox(@UuidParam('id') id: string) { return this.outbox.retry(id); }
}
