import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AppConfig } from '@app/platform';
import { AuthService } from './auth.service';

/** Hourly clean-up of expired sessions; a plain delete, safe on every instance. */
@Injectable()
export class IdentityJobs {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Cron('23 * * * *', { name: 'purge-sessions' })
  async purgeSessions(): Promise<void> {
    if (this.config.jobsEnabled) await this.auth.purgeExpired();
  }
}
