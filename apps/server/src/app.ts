import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import type { Logger } from 'pino';
import { AppConfig, JsonLogger, toHelsinkiIso } from '@app/platform';
import { AppModule } from './app.module';
import { ErrorFilter } from './http/error.filter';
import { jsonBodiesOnly } from './http/json-only';
import { requestLog } from './http/request-log';
import { securityHeaders } from './http/security-headers';
import { refuseDeepJson } from './http/json-depth';
import { createValidationPipe } from './http/validation';
import { PAGE_FORM_PATHS, PageErrors } from './pages';

export const BODY_LIMIT = '64kb';
export const FORM_DEFINITION_LIMIT = '512kb';

/** Builds the HTTP application on the system clock. */
export async function createServerApp(logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, logger: new JsonLogger(logger), abortOnError: false });
  return configureApp(app, logger);
}

/** Middleware, validation, errors and API docs; shared by `main.ts` and the end-to-end tests. */
export function configureApp(app: NestExpressApplication, logger: Logger): NestExpressApplication {
  app.disable('x-powered-by');
  app.use(securityHeaders(app));
  // API responses are not cached by validators; hashing every body for an ETag is wasted work.
  app.set('etag', false);
  // Which proxies may say who the client is (X-Forwarded-For): `req.ip`, and so the rate limits, depend on it.
  app.set('trust proxy', app.get(AppConfig).trustProxy);
  // Every instant in every JSON response carries the Helsinki offset, whichever code returned it.
  app.set('json replacer', helsinkiDates);
  app.use(requestLog(logger));
  // The JSON API takes JSON only (415 for anything else, before any parsing).
  app.use('/api', jsonBodiesOnly);
  // Form definitions are larger than any citizen request; only admins may send them.
  // Bodies nested deeper than MAX_JSON_DEPTH are refused before parsing.
  app.use('/api/v1/admin/forms', json({ limit: FORM_DEFINITION_LIMIT, verify: refuseDeepJson }));
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: refuseDeepJson });
  // Server-rendered pages (outside /api) post HTML forms: their url-encoded parser is
  // mounted on their own paths only (the API still refuses such bodies with 415).
  app.use(PAGE_FORM_PATHS, urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 500 }));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter(app.get(PageErrors)));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Perhe booking API')
      .setDescription('Booking and forms engine for Finnish family services. Times are ISO 8601 with the Europe/Helsinki offset; errors are localized by Accept-Language (fi, sv, en).')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/**
 * JSON.stringify replacer: a `Date` becomes ISO 8601 with the Helsinki offset
 * (`value` is already the UTC string from `toJSON`; `this[key]` is the Date).
 */
export function helsinkiDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (!(raw instanceof Date)) return value;
  return Number.isNaN(raw.getTime()) ? null : toHelsinkiIso(raw);
}
