import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '@app/platform';
import { Escalations } from './escalations';

/** Scheduled work of delivery; safe to run on every instance at once (see `Escalations.plan`). */
@Injectable()
export class DeliveryJobs {
  private readonly logger = new Logger(DeliveryJobs.name);

  constructor(
    private readonly escalations: Escalations,
    private readonly config: AppConfig,
  ) {}

  /** Plans the deadline e-mails to units every five minutes. */
  @Cron('20 */5 * * * *', { name: 'plan-escalations' })
  async planEscalations(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.escalations.plan().catch((error: Error) => this.logger.error(`escalation planning failed: ${error.message}`));
  }
}
