/**
 * The page routes of the staff, handler and admin pages. The browser test
 * `pages-staff-browser.e2e-spec.ts` visits every one of them in Finnish,
 * Swedish and English with axe (its visit table is typed by this list, so a
 * route listed here without a visit fails the build), and the router's
 * route listing in `pages-browser.e2e-spec.ts` counts them as covered.
 */
export const STAFF_PAGE_ROUTES = [
  'GET /staff',
  'GET /staff/login',
  'POST /staff/login',
  'POST /staff/logout',
  'GET /staff/account',
  'POST /staff/logout-everywhere',
  'GET /staff/inbox',
  'GET /staff/inbox/:id',
  'GET /staff/inbox/:id/pdf',
  'POST /staff/inbox/:id/:action',
  'GET /staff/calendar',
  'GET /staff/appointments/:id',
  'POST /staff/appointments/:id/status',
  'POST /staff/appointments/:id/cancel',
  'GET /staff/calendar/unit',
  'GET /staff/schedule',
  'POST /staff/schedule/:kind',
  'POST /staff/schedule/:kind/:id/remove',
  'POST /staff/slots',
  'POST /staff/slots/:id/:action',
  'GET /staff/book',
  'GET /staff/book/:serviceId',
  'GET /staff/book/:serviceId/:slotId',
  'POST /staff/book/:serviceId/:slotId',
  'GET /staff/appointments/:id/move',
  'POST /staff/appointments/:id/move',
] as const;

export type StaffPageRoute = (typeof STAFF_PAGE_ROUTES)[number];
