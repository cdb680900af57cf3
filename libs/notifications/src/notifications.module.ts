import { Module } from '@nestjs/common';
import { AppConfig } from '@app/platform';
import { OutboxDispatcher } from './dispatcher';
import { FileMailTransport, MailTransport, SmtpMailTransport } from './mail-transport';
import { OutboxService } from './outbox.service';
import { OutboxRenderers } from './renderers';

@Module({
  providers: [
    OutboxService,
    OutboxDispatcher,
    OutboxRenderers,
    {
      provide: MailTransport,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => (config.smtpUrl ? new SmtpMailTransport(config.smtpUrl, config.smtpConnections) : new FileMailTransport(config.mailDir)),
    },
  ],
  exports: [OutboxService, OutboxDispatcher, OutboxRenderers],
})
export class NotificationsModule {}
