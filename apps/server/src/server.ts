/** Everything the server's entry point needs once PostgreSQL is starting; loaded by `main.ts` on demand. */
export { createServerApp } from './app';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoSeeder } from '@app/booking';
