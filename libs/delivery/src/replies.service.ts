import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, Envelope } from '@app/platform';
import type { AuthContext } from '@app/identity';
import { AccessLogService } from './access-log.service';
import { lockForHandler } from './handler-access';
import type { InboxMessage } from './inbox.service';
import { insertMessage } from './messages';
import { SubmissionEvents } from './submission-events';
import { SubmissionNotices } from './submission-notices';

/** Handlers' messages to senders, who read them with their receipt code. */
@Injectable()
export class RepliesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly envelope: Envelope,
    private readonly clock: Clock,
    private readonly accessLog: AccessLogService,
    private readonly events: SubmissionEvents,
    private readonly notices: SubmissionNotices,
  ) {}

  /**
   * A handler of the submission's unit writes to its sender. In one
   * transaction: the message, sealed; the history entry; the access-log row
   * (`reply`, purpose `handling`); and, only if the sender asked for it when
   * sending, the content-free notice to the sender's address. A closed
   * submission may still get a last message; the sender can no longer answer it.
   */
  async reply(auth: AuthContext, submissionId: string, text: string): Promise<InboxMessage> {
    return this.db.transaction(async (tx) => {
      const handled = await lockForHandler(tx, auth, submissionId, 'share');
      const at = this.clock.now();
      const id = await insertMessage(tx, this.envelope, { submissionId, direction: 'handler', staffId: auth.staffId, unitId: handled.unitId, at, text });
      await this.events.record(tx, {
        submissionId, actor: { type: 'staff', id: auth.staffId }, action: 'message', unitId: handled.unitId, at, detail: { messageId: id, direction: 'handler' },
      });
      await this.accessLog.record(tx, { staffId: auth.staffId, unitId: handled.unitId, submissionId, action: 'reply', purpose: 'handling', at });
      await this.notices.planReply(tx, submissionId, id);
      const [staff] = await tx.query(`SELECT name FROM staff WHERE id = $1`, [auth.staffId]);
      return { id, at, direction: 'handler', staff: { id: auth.staffId, name: staff.name }, text };
    });
  }
}
