import { Module } from '@nestjs/common';
import { FormsModule } from '@app/forms';
import { NotificationsModule } from '@app/notifications';
import { AccessLogService } from './access-log.service';
import { AccessibilityFeedbackService } from './accessibility-feedback.service';
import { AdminSubmissionsService } from './admin-submissions.service';
import { DeliveryJobs } from './delivery.jobs';
import { Escalations } from './escalations';
import { HandlingService } from './handling.service';
import { InboxService } from './inbox.service';
import { LegalClocksService } from './legal-clocks.service';
import { SubmissionMeasures } from './measures';
import { ReceiptsService } from './receipts.service';
import { RepliesService } from './replies.service';
import { KeyRotation } from './key-rotation';
import { RetentionJobs, RetentionService } from './retention.service';
import { SubmissionEvents } from './submission-events';
import { SubmissionNotices } from './submission-notices';

/** Routed delivery: unit inboxes, handling, history, the access log, content-free notices, the senders' follow-up, legal clocks and their escalations; key rotation and retention of sealed content. */
@Module({
  imports: [FormsModule, NotificationsModule],
  providers: [
    InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, SubmissionNotices, RepliesService, ReceiptsService,
    LegalClocksService, Escalations, DeliveryJobs, SubmissionMeasures, KeyRotation, RetentionService, RetentionJobs, AccessibilityFeedbackService,
  ],
  exports: [
    InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, SubmissionNotices, RepliesService, ReceiptsService,
    LegalClocksService, Escalations, SubmissionMeasures, KeyRotation, RetentionService, RetentionJobs, AccessibilityFeedbackService,
  ],
})
export class DeliveryModule {}
