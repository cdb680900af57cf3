import { join } from 'node:path';

/** The service's own statements, read from its build: the raw baselines run exactly what the service runs. */
export interface AppSql {
  /** A whole booking in one statement: the claim, the appointment, its event and its outbox jobs. */
  BOOK_SLOT: string;
  SERVICE_LOOKUP: string;
  SEARCH_FREE: string;
}

export function loadAppSql(root: string): AppSql {
  const built = (path: string) => require(join(root, 'dist/apps/server/libs', path)) as Record<string, unknown>;
  const appointments = built('booking/src/appointments.service.js');
  const slots = built('booking/src/slots.service.js');
  return {
    BOOK_SLOT: appointments.BOOK_SLOT as string,
    SERVICE_LOOKUP: slots.SERVICE_LOOKUP as string,
    SEARCH_FREE: slots.SEARCH_FREE as string,
  };
}
