import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';
import { BookingModule } from '@app/booking';
import { NotificationsModule } from '@app/notifications';
import { FormsModule } from '@app/forms';
import { DeliveryModule } from '@app/delivery';
import { AdminDeliveryController } from './controllers/admin-delivery.controller';
import { AdminMeasuresController } from './controllers/admin-measures.controller';
import { InboxController } from './controllers/inbox.controller';
import { InboxClocksController } from './controllers/inbox-clocks.controller';
import { AdminFormsController } from './controllers/admin-forms.controller';
import { FormsController } from './controllers/forms.controller';
import { PreInformationService } from './pre-information.service';
import { MeasuresService } from './measures.service';
import { ReceiptsController } from './controllers/receipts.controller';
import { AdminController } from './controllers/admin.controller';
import { AuthController } from './controllers/auth.controller';
import { CitizenController } from './controllers/citizen.controller';
import { HealthController } from './controllers/health.controller';
import { StaffController } from './controllers/staff.controller';
import { CitizenPages, CitizenPagesController, FormFlow, FormPagesController, PageAssets, PageAssetsController, PageContextFactory, PageErrors, STAFF_PAGE_PROVIDERS, StaffPagesController, ADMIN_PAGE_PROVIDERS, AdminPagesController } from './pages';
import { BookingFlow, BookingPagesController, FollowUpPages, FollowUpPagesController } from './pages';
import { MoveFlow, MovePagesController } from './pages';
import { FeedbackPages, FormsMorePagesController, PreInformationPages } from './pages';

@Module({
  imports: [PlatformModule, IdentityModule, NotificationsModule, BookingModule, FormsModule, DeliveryModule, ScheduleModule.forRoot(), TerminusModule],
  // StaffController before AdminController: its `staff/me…` routes must win over `staff/:id`.
  controllers: [HealthController, AuthController, CitizenController, FormsController, ReceiptsController, StaffController, InboxController, InboxClocksController, AdminController, AdminFormsController, AdminDeliveryController, AdminMeasuresController,
    CitizenPagesController, FormPagesController, PageAssetsController, BookingPagesController, FollowUpPagesController, StaffPagesController, AdminPagesController,
    MovePagesController, FormsMorePagesController],
  providers: [PreInformationService, MeasuresService, PageAssets, PageContextFactory, PageErrors, CitizenPages, FormFlow, BookingFlow, FollowUpPages, MoveFlow, ...STAFF_PAGE_PROVIDERS, ...ADMIN_PAGE_PROVIDERS,
    PreInformationPages, FeedbackPages],
})
export class AppModule {}
