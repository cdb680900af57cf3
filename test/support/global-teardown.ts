// eslint-disable-next-line no-restricted-imports -- globalSetup/teardown run outside Jest's module mapper
import type { EmbeddedPostgres } from '../../libs/platform/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __embeddedPostgres?: EmbeddedPostgres }).__embeddedPostgres?.stop();
}
