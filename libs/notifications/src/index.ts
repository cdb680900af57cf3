export * from './dispatcher';
export * from './escalation-mail';
export * from './mail-transport';
export * from './notifications.module';
export * from './outbox.service';
export * from './renderers';
export * from './submission-notices';
export * from './templates';
