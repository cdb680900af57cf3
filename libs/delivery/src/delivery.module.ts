import { Module } from '@nestjs/common';
import { FormsModule } from '@app/forms';
import { AccessLogService } from './access-log.service';
import { AdminSubmissionsService } from './admin-submissions.service';
import { HandlingService } from './handling.service';
import { InboxService } from './inbox.service';
import { KeyRotation } from './key-rotation';
import { RetentionJobs, RetentionService } from './retention.service';
import { SubmissionEvents } from './submission-events';

/** Routed delivery: unit inboxes, handling, history and the access log; key rotation and retention of sealed content. */
@Module({
  imports: [FormsModule],
  providers: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, KeyRotation, RetentionService, RetentionJobs],
  exports: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, KeyRotation, RetentionService, RetentionJobs],
})
export class DeliveryModule {}
