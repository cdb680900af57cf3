import { AdminPages } from './admin-pages';
import { AdminFormsPages } from './forms-pages';

export { AdminPagesController } from './admin-pages.controller';

/** The providers of the administrators' pages. */
export const ADMIN_PAGE_PROVIDERS = [AdminPages, AdminFormsPages];
