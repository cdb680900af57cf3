import { Module } from '@nestjs/common';
import { PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { BookingModule } from '@app/booking';
import { NotificationsModule } from '@app/notifications';

@Module({ imports: [PlatformModule, IdentityModule, NotificationsModule, BookingModule] })
export class CliModule {}
