import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from './clock';
import { AppConfig, validateEnvironment } from './config';
import { typeOrmOptions } from './database';
import { Envelope } from './envelope';
import { RateLimitJobs, RateLimiter } from './rate-limiter';

@Global()
@Module({
  imports: [
    ConfigModule.forRoot({ validate: validateEnvironment, cache: true, isGlobal: true }),
    TypeOrmModule.forRootAsync({
      extraProviders: [AppConfig],
      inject: [AppConfig],
      useFactory: typeOrmOptions,
    }),
  ],
  providers: [AppConfig, Envelope, { provide: Clock, useClass: SystemClock }, RateLimiter, RateLimitJobs],
  exports: [AppConfig, Clock, Envelope, RateLimiter],
})
export class PlatformModule {}
