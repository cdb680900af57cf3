import { AdminPages } from './admin-pages';
import { AdminFeedbackPages } from './feedback-page';
import { ServicesPages } from './services-pages';
import { StaffAdminPages } from './staff-admin-pages';
import { UnitsPages } from './units-pages';
import { AdminFormsPages } from './forms-pages';

export { AdminPagesController } from './admin-pages.controller';

/** The providers of the administrators' pages. */
export const ADMIN_PAGE_PROVIDERS = [AdminPages, AdminFeedbackPages, UnitsPages, StaffAdminPages, ServicesPages, AdminFormsPages];
