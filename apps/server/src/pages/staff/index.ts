import { AccountPages } from './account-pages';
import { CalendarPages } from './calendar-pages';
import { InboxPages } from './inbox-pages';
import { PhoneBookingPages } from './phone-booking';
import { SchedulePages } from './schedule-pages';
import { StaffPageKit } from './staff-kit';
import { StaffSessions } from './staff-session';

export { StaffPagesController } from './staff-pages.controller';

/** The providers of the staff and handler pages. */
export const STAFF_PAGE_PROVIDERS = [StaffSessions, StaffPageKit, AccountPages, InboxPages, CalendarPages, SchedulePages, PhoneBookingPages];
