import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobKind } from '../runners/job-runner.js';

const ENTRIES: Record<JobKind, string> = {
  fine_tune: 'fine_tune.py',
  evaluate: 'evaluate.py',
  compare: 'compare.py',
  export_merge: 'export_merge.py',
};

/** The job-templates folder shipped with this server (apps/api/dist/supervisor → repo root). */
export const DEFAULT_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../job-templates');

/** The job templates and their interpreter, from the config (platform/config: FTS_TEMPLATES_DIR, FTS_JOB_TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS, FTS_PYTHON). */
export interface TemplateSettings {
  templatesDir: string;
  /** One script for every kind (FTS_JOB_TEMPLATE): e.g. job-templates/testing/progress_only.py in tests and demos. */
  override?: string;
  /**
   * Extra spec fields for the override (FTS_JOB_TEMPLATE_OPTIONS, JSON): steps, interval_s, exit_code;
   * `per_job` maps an adapter name or job id to fields for that job only.
   */
  overrideOptions: Record<string, unknown>;
  python: string;
}

export function templateCommand(settings: TemplateSettings, kind: JobKind): string[] {
  return [settings.python, settings.override ?? path.join(settings.templatesDir, ENTRIES[kind])];
}

/** The user's training script is missing, or resolves outside the project. */
export class UserScriptRefused extends Error {}

/**
 * A fine-tuning job started with `user_script` runs that script as its entry
 * point instead of the template (the original's behaviour), with the same
 * interpreter, arguments (`--spec … --events …`, added by the runner) and
 * environment. The job's start checked it was a file in the project; it is
 * checked again now, symlinks resolved, because the file may have changed.
 */
export function userScriptCommand(settings: TemplateSettings, projectRoot: string, userScript: string): string[] {
  const root = fs.realpathSync(projectRoot);
  let real: string;
  try {
    real = fs.realpathSync(path.resolve(root, userScript));
  } catch {
    throw new UserScriptRefused(`The user script '${userScript}' no longer exists in the project.`);
  }
  const rel = path.relative(root, real);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserScriptRefused(`The user script '${userScript}' resolves outside the project.`);
  }
  if (!fs.statSync(real).isFile()) throw new UserScriptRefused(`The user script '${userScript}' is not a file.`);
  return [settings.python, real];
}

/** The override's extra spec fields for one job: the common ones, then those under `per_job[<adapter name | id>]`. */
export function overrideFieldsFor(settings: TemplateSettings, job: { id: string; adapter_name?: string | null }): Record<string, unknown> {
  const { per_job: perJob, ...common } = settings.overrideOptions;
  const table = (perJob && typeof perJob === 'object' ? perJob : {}) as Record<string, Record<string, unknown>>;
  return { ...common, ...((job.adapter_name && table[job.adapter_name]) || {}), ...(table[job.id] ?? {}) };
}
