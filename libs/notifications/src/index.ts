export * from './dispatcher';
export * from './escalation-mail';
export { type CalendarEvent, calendarEvent } from './icalendar';
export * from './mail-transport';
export * from './notifications.module';
export * from './outbox.service';
export * from './renderers';
export * from './submission-notices';
export * from './templates';
