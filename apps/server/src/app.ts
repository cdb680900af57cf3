import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type Request } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { JsonLogger } from '@app/platform';
import { AppModule } from './app.module';
import { ErrorFilter } from './http/error.filter';
import { refuseDeepJson } from './http/json-depth';
import { createValidationPipe } from './http/validation';

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
  // API responses are not cached by validators; hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].slice(0, 100)) || randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: Request & { id: string }) => ({ id: req.id, method: req.method, path: (req.url ?? '').split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  // Form definitions are larger than any citizen request; only admins may send them.
  // Bodies nested deeper than MAX_JSON_DEPTH are refused before parsing.
  app.use('/api/v1/admin/forms', json({ limit: FORM_DEFINITION_LIMIT, verify: refuseDeepJson }));
  app.useBodyParser('json', { limit: BODY_LIMIT, verify: refuseDeepJson });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());

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
