/**
 * The page routes of the administrators' pages. The browser test
 * `pages-admin-browser.e2e-spec.ts` visits every one of them in Finnish,
 * Swedish and English with axe (its visit table is typed by this list), and
 * the route listings of the other page runs count them as covered.
 */
export const ADMIN_PAGE_ROUTES = [
  'GET /admin/measures',
  'GET /admin/measures/csv',
  'GET /admin/access-log',
  'POST /admin/access-log/export',
  'GET /admin/outbox',
  'POST /admin/outbox/:id/retry',
  'GET /admin/settings',
  'GET /admin/feedback',
  'GET /admin/units',
  'GET /admin/units/new',
  'POST /admin/units',
  'GET /admin/units/:id',
  'POST /admin/units/:id',
  'GET /admin/staff',
  'GET /admin/staff/new',
  'POST /admin/staff',
  'GET /admin/staff/:id',
  'POST /admin/staff/:id',
  'POST /admin/staff/:id/password',
  'POST /admin/staff/:id/active',
  'GET /admin/services',
  'GET /admin/services/new',
  'POST /admin/services',
  'GET /admin/services/:id',
  'POST /admin/services/:id',
  'GET /admin/forms',
  'POST /admin/forms',
  'GET /admin/forms/:id/:version',
  'GET /admin/forms/:id/:version/preview',
  'POST /admin/forms/:id/:version/publish',
  'POST /admin/forms/:id/:version/retire',
] as const;

export type AdminPageRoute = (typeof ADMIN_PAGE_ROUTES)[number];
