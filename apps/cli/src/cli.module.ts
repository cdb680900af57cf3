import { Module } from '@nestjs/common';
import { PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { BookingModule } from '@app/booking';

@Module({ imports: [PlatformModule, IdentityModule, BookingModule] })
export class CliModule {}
