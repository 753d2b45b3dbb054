import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { DATABASE } from '../platform/platform.tokens.js';
import type { Sqlite } from '../platform/database/open-database.js';
import { JOB_RUNNER, type JobRunner } from '../runners/job-runner.js';
import { SlurmClusterProbe } from './slurm-cluster-probe.js';
import { SlurmCli } from '../runners/slurm/slurm-cli.js';
import { CachedPythonProbe } from './python-probe.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const versionOf = (pkgJson: string): string => {
  try {
    return String((JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version?: string }).version ?? '');
  } catch {
    return '';
  }
};

/** What this server runs with, for the console's settings page (read-only). */
@Injectable()
export class SettingsHandlers {
  private readonly python: CachedPythonProbe;
  private readonly templatesDir: string;
  private readonly versions: Record<string, string>;
  private readonly slurm: SlurmClusterProbe;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    @Inject(DATABASE) database: { db: Sqlite },
  ) {
    const templates = config.supervisor.templates;
    this.slurm = new SlurmClusterProbe(new SlurmCli({ env: config.runner.jobEnv, binDir: config.runner.slurm.binDir, timeoutMs: 5000 }));
    this.templatesDir = templates.templatesDir;
    this.python = new CachedPythonProbe(templates.python);
    this.versions = {
      studio: versionOf(path.join(REPO_ROOT, 'package.json')),
      node: process.versions.node,
      nest: versionOf(path.join(REPO_ROOT, 'node_modules/@nestjs/core/package.json')),
      sqlite: String(database.db.prepare('SELECT sqlite_version()').pluck().get()),
    };
  }

  async settings() {
    const c = this.config;
    const capacity = (this.runner as { capacity?: unknown }).capacity;
    return {
      runner: this.runner.name,
      gpu_slots: typeof capacity === 'number' ? capacity : null,
      project_root: c.projectRoot,
      state_dir: c.stateDir,
      db_path: c.dbPath,
      templates_dir: this.templatesDir,
      python: await this.python.get(),
      versions: this.versions,
      grpc_address: `${c.grpcHost}:${c.grpcPort}`,
      http_address: `http://${c.httpHost}:${c.httpPort}`,
      auth: c.authTokens.length > 0,
      slurm: await this.slurm.get(this.runner.name === 'slurm'),
    };
  }
}
