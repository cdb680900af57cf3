import { Module } from '@nestjs/common';
import { FormsModule } from '@app/forms';
import { NotificationsModule } from '@app/notifications';
import { AccessLogService } from './access-log.service';
import { AdminSubmissionsService } from './admin-submissions.service';
import { DeliveryJobs } from './delivery.jobs';
import { Escalations } from './escalations';
import { HandlingService } from './handling.service';
import { InboxService } from './inbox.service';
import { LegalClocksService } from './legal-clocks.service';
import { SubmissionMeasures } from './measures';
import { SubmissionEvents } from './submission-events';

/** Routed delivery: unit inboxes, handling, history, the access log, legal clocks and their escalations. */
@Module({
  imports: [FormsModule, NotificationsModule],
  providers: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, LegalClocksService, Escalations, DeliveryJobs, SubmissionMeasures],
  exports: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, LegalClocksService, Escalations, SubmissionMeasures],
})
export class DeliveryModule {}
