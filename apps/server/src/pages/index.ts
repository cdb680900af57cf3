export { PageAssets } from './assets';
export { CitizenPages } from './citizen/citizen-pages';
export { PageContextFactory } from './page-context';
export { PageErrors } from './page-errors';
export { FormFlow } from './citizen/form-flow';
export { BookingFlow } from './citizen/booking-flow';
export { BookingPagesController, FollowUpPagesController } from './booking.controller';
export { FollowUpPages } from './citizen/follow-up';
export { MoveFlow } from './citizen/move-flow';
export { MovePagesController } from './move.controller';
export { CitizenPagesController, FormPagesController, PageAssetsController } from './pages.controller';
export { STAFF_PAGE_PROVIDERS, StaffPagesController } from './staff';

/** Paths whose pages post HTML forms (url-encoded bodies, parsed on these paths only). */
export const PAGE_FORM_PATHS = ['/appointments', '/varaa', '/lomake', '/seuranta', '/staff', '/admin', '/saavutettavuusseloste'];
export { ADMIN_PAGE_PROVIDERS, AdminPagesController } from './admin';
export { FormsMorePagesController } from './forms-more.controller';
export { PreInformationPages } from './citizen/pre-information-flow';
export { FeedbackPages } from './citizen/feedback';
