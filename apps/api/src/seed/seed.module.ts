import { Module } from '@nestjs/common';
import { SeedService } from './seed.service.js';

/** What start-up seeding recorded (undefined: nothing, the log was not empty or seeding is off). */
export const SEED_REPORT = Symbol('SEED_REPORT');

/**
 * Seeds at provider creation, i.e. inside NestFactory.create, after the
 * database is open and migrated and before any listener starts (lifecycle
 * hooks would run only after the hybrid app's gRPC server already listens).
 */
@Module({
  providers: [SeedService, { provide: SEED_REPORT, inject: [SeedService], useFactory: (seed: SeedService) => seed.seedIfEmpty() }],
  exports: [SeedService, SEED_REPORT],
})
export class SeedModule {}
