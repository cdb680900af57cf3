import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { AppointmentsService } from './appointments.service';
import { BookingJobs } from './booking.jobs';
import { Absence, ExtraHours, WorkingHours } from './calendar.entity';
import { CalendarService } from './calendar.service';
import { DemoSeeder } from './demo-seed';
import { Service } from './service.entity';
import { ServicesService } from './services.service';
import { SlotPublisher } from './slot-publisher';
import { SlotsService } from './slots.service';

@Module({
  imports: [IdentityModule, TypeOrmModule.forFeature([Service, WorkingHours, ExtraHours, Absence])],
  providers: [ServicesService, SlotPublisher, SlotsService, CalendarService, AppointmentsService, BookingJobs, DemoSeeder],
  exports: [ServicesService, SlotPublisher, SlotsService, CalendarService, AppointmentsService, DemoSeeder],
})
export class BookingModule {}
