export * from './dispatcher';
export * from './mail-transport';
export * from './notifications.module';
export * from './outbox.service';
export * from './renderers';
export * from './templates';
