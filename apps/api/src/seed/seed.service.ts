import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SAMPLE_DATASET_LOCATION, seedDefaults, type SeedReport } from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { CommandRunner } from '../platform/command-runner.js';
import { EventStore } from '../platform/event-store/event-store.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';

/** The sample shipped with the server (repository root/data/samples), from src/ or dist/ alike. */
const BUNDLED_SAMPLE = fileURLToPath(new URL(`../../../../${SAMPLE_DATASET_LOCATION}`, import.meta.url));
/** Overrides where the shipped sample is read from (tests). */
export const SEED_SAMPLE_SOURCE = Symbol('SEED_SAMPLE_SOURCE');

/**
 * Seeds the project defaults (spec/behaviour.md §4) as events, once: at
 * start-up, when seeding is on (FTS_SEED, default on) and the event log is
 * empty. The sample dataset is included when its CSV is in the project;
 * a project without it gets a copy of the one shipped with this server.
 * SeedModule runs it while the application is created, so it is done
 * before gRPC or HTTP serve anything.
 */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Seed');
  private readonly bundledSample: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly paths: ProjectPaths,
    @Optional() @Inject(SEED_SAMPLE_SOURCE) bundledSample?: string,
  ) {
    this.bundledSample = bundledSample ?? BUNDLED_SAMPLE;
  }

  /** Returns what was recorded, or undefined when seeding is off or the log already has events. */
  seedIfEmpty(): SeedReport | undefined {
    if (!this.config.seed || this.store.lastPosition() > 0) return undefined;
    const includeSample = this.ensureSampleFile();
    const report = this.runner.run('SeedDefaults', (ctx) => seedDefaults({ includeSample }, ctx), {
      transport: 'system',
      actor: 'seed',
    });
    const counts = Object.entries(report.added).map(([table, ids]) => `${ids.length} ${table}`);
    this.logger.log(`Seeded the project defaults: ${counts.join(', ') || 'nothing new'}.`);
    if (!includeSample) this.logger.warn(`No ${SAMPLE_DATASET_LOCATION} in the project: the sample dataset was not seeded.`);
    return report;
  }

  /** The sample CSV is in the project, copied there from this server's own copy if need be. */
  private ensureSampleFile(): boolean {
    let target: string;
    try {
      target = this.paths.resolve(SAMPLE_DATASET_LOCATION); // never through a symlink out of the project
    } catch {
      return false;
    }
    if (fs.existsSync(target)) return true;
    if (!fs.existsSync(this.bundledSample)) return false;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(this.bundledSample, target, fs.constants.COPYFILE_EXCL);
      this.logger.log(`Copied the sample dataset to ${SAMPLE_DATASET_LOCATION}.`);
      return true;
    } catch (e) {
      this.logger.warn(`Could not copy the sample dataset into the project: ${(e as Error).message}`);
      return fs.existsSync(target);
    }
  }
}
