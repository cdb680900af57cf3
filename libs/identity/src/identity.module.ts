import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { IdentityJobs } from './identity.jobs';
import { Staff } from './staff.entity';
import { StaffService } from './staff.service';
import { Unit } from './unit.entity';
import { UnitsService } from './units.service';

@Module({
  imports: [TypeOrmModule.forFeature([Unit, Staff])],
  providers: [UnitsService, StaffService, AuthService, AuthGuard, IdentityJobs],
  exports: [UnitsService, StaffService, AuthService, AuthGuard],
})
export class IdentityModule {}
