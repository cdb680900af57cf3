import { Module } from '@nestjs/common';
import { PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { BookingModule } from '@app/booking';
import { NotificationsModule } from '@app/notifications';
import { FormsModule } from '@app/forms';
import { DeliveryModule } from '@app/delivery';

/** Delivery renders its notices when `outbox:drain` sends them. */
@Module({ imports: [PlatformModule, IdentityModule, NotificationsModule, BookingModule, FormsModule, DeliveryModule] })
export class CliModule {}
