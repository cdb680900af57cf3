import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { BookingModule } from '@app/booking';
import { NotificationsModule } from '@app/notifications';
import { AdminController } from './controllers/admin.controller';
import { AuthController } from './controllers/auth.controller';
import { CitizenController } from './controllers/citizen.controller';
import { HealthController } from './controllers/health.controller';
import { StaffController } from './controllers/staff.controller';

@Module({
  imports: [PlatformModule, IdentityModule, NotificationsModule, BookingModule, ScheduleModule.forRoot(), TerminusModule],
  // StaffController before AdminController: its `staff/me…` routes must win over `staff/:id`.
  controllers: [HealthController, AuthController, CitizenController, StaffController, AdminController],
})
export class AppModule {}
