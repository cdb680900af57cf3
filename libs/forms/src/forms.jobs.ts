import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '@app/platform';
import { DraftsService } from './drafts.service';

/** Expired drafts are deleted hourly; a plain delete, safe on every instance. */
@Injectable()
export class FormsJobs {
  constructor(
    private readonly drafts: DraftsService,
    private readonly config: AppConfig,
  ) {}

  @Cron('41 * * * *', { name: 'purge-drafts' })
  async purgeDrafts(): Promise<void> {
    if (this.config.jobsEnabled) await this.drafts.purgeExpired();
  }
}
