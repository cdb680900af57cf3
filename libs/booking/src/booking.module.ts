import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AppointmentNotices } from './appointment-notices';
import { AppointmentsService } from './appointments.service';
import { BookingMeasures } from './booking-measures';
import { BookingJobs } from './booking.jobs';
import { Absence, ExtraHours, WorkingHours } from './calendar.entity';
import { CalendarService } from './calendar.service';
import { DemoSeeder } from './demo-seed';
import { Service } from './service.entity';
import { ServicesService } from './services.service';
import { SlotPublisher } from './slot-publisher';
import { SlotsService } from './slots.service';

@Module({
  imports: [IdentityModule, NotificationsModule, TypeOrmModule.forFeature([Service, WorkingHours, ExtraHours, Absence])],
  providers: [BookingMeasures, AppointmentNotices, ServicesService, SlotPublisher, SlotsService, CalendarService, AppointmentsService, BookingJobs, DemoSeeder],
  exports: [BookingMeasures, AppointmentNotices, ServicesService, SlotPublisher, SlotsService, CalendarService, AppointmentsService, DemoSeeder],
})
export class BookingModule {}
