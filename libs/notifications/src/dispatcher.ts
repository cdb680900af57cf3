import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@app/platform';
import { type DispatchResult, DispatchRun } from './dispatch-run';
import { MailTransport } from './mail-transport';
import { OutboxService } from './outbox.service';
import { OutboxRenderers } from './renderers';

export type { DispatchResult } from './dispatch-run';

/**
 * Sends due outbox messages. Rows are claimed with `FOR UPDATE SKIP LOCKED`
 * under a lease that is extended while the claim's messages are being sent,
 * and marked only by the claim that holds them, so any number of instances
 * can run it and each message is sent once, unless a process dies between the
 * mail server's answer and the marking (then it is sent again, with the same
 * Message-ID, once the lease has run out).
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly transport: MailTransport,
    private readonly renderers: OutboxRenderers,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => {
      this.running ??= this.drain()
        .catch((error: Error) => this.logger.error(`outbox dispatch failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.outboxPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Daily: sent and withdrawn messages are kept 30 days. A plain delete, safe on every instance. */
  @Cron('47 3 * * *', { name: 'purge-outbox', timeZone: 'Europe/Helsinki' })
  async purgeDone(): Promise<void> {
    if (this.config.jobsEnabled) await this.outbox.purgeDone();
  }

  /** Sends until nothing is due, claiming the next batch while the current one is being sent. */
  drain(): Promise<DispatchResult> {
    return this.run(true);
  }

  /** Claims one batch of due messages and tries to send each. */
  dispatchDue(): Promise<DispatchResult> {
    return this.run(false);
  }

  private run(continuous: boolean): Promise<DispatchResult> {
    const { db, transport, renderers, outbox, clock, config, logger } = this;
    return new DispatchRun({ db, transport, renderers, outbox, clock, config, logger }, continuous).run();
  }
}
