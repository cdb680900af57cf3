import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@app/platform';
import { AppointmentNotices } from './appointment-notices';
import { SlotPublisher } from './slot-publisher';

/**
 * Scheduled work. Each job is safe to run on every instance at once: slot
 * publishing takes a per-calendar advisory lock and is idempotent; purges
 * are plain deletes.
 */
@Injectable()
export class BookingJobs {
  private readonly logger = new Logger(BookingJobs.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: SlotPublisher,
    private readonly notices: AppointmentNotices,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Rolls every calendar's booking horizon forward by a day. */
  @Cron('5 0 * * *', { name: 'publish-slots', timeZone: 'Europe/Helsinki' })
  async rollHorizon(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.publisher.publishAll().catch((error: Error) => this.logger.error(`slot publishing failed: ${error.message}`));
  }

  /** Plans due reminders every minute; the outbox's unique key makes each one happen once. */
  @Cron('30 * * * * *', { name: 'plan-reminders' })
  async planReminders(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.notices.planReminders().catch((error: Error) => this.logger.error(`reminder planning failed: ${error.message}`));
  }

  /** Idempotency keys are honoured for 24 hours. */
  @Cron('17 * * * *', { name: 'purge-idempotency-keys' })
  async purgeIdempotencyKeys(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.db.query(`DELETE FROM idempotency_key WHERE created_at < $1`, [new Date(this.clock.now().getTime() - 86_400_000)]);
  }
}
