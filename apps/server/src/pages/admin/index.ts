import { AdminPages } from './admin-pages';
import { AdminFeedbackPages } from './feedback-page';

export { AdminPagesController } from './admin-pages.controller';
export { AdminFeedbackController } from './feedback-page';

/** The providers of the administrators' pages. */
export const ADMIN_PAGE_PROVIDERS = [AdminPages, AdminFeedbackPages];
