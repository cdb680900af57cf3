import { Module } from '@nestjs/common';
import { FormsModule } from '@app/forms';
import { NotificationsModule } from '@app/notifications';
import { AccessLogService } from './access-log.service';
import { AdminSubmissionsService } from './admin-submissions.service';
import { HandlingService } from './handling.service';
import { InboxService } from './inbox.service';
import { ReceiptsService } from './receipts.service';
import { RepliesService } from './replies.service';
import { SubmissionEvents } from './submission-events';
import { SubmissionNotices } from './submission-notices';

/** Routed delivery: unit inboxes, handling, history, the access log, content-free notices and the senders' follow-up. */
@Module({
  imports: [FormsModule, NotificationsModule],
  providers: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, SubmissionNotices, RepliesService, ReceiptsService],
  exports: [InboxService, HandlingService, AccessLogService, SubmissionEvents, AdminSubmissionsService, SubmissionNotices, RepliesService, ReceiptsService],
})
export class DeliveryModule {}
