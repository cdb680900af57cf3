import { Module } from '@nestjs/common';
import { FormsModule } from '@app/forms';
import { AccessLogService } from './access-log.service';
import { AdminSubmissionsService } from './admin-submissions.service';
import { HandlingService } from './handling.service';
import { InboxService } from './inbox.service';
import { SubmissionEvents } from './submission-events';

/** Routed delivery: unit inboxes, handling, history and the access log. */
@Module({
  imports: [FormsModule],
  providers: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService],
  exports: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService],
})
export class DeliveryModule {}
