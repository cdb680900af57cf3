import { AdminPages } from './admin-pages';
import { ServicesPages } from './services-pages';
import { StaffAdminPages } from './staff-admin-pages';
import { UnitsPages } from './units-pages';

export { AdminPagesController } from './admin-pages.controller';

/** The providers of the administrators' pages. */
export const ADMIN_PAGE_PROVIDERS = [AdminPages, UnitsPages, StaffAdminPages, ServicesPages];
