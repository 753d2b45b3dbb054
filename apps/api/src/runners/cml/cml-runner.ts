import path from 'node:path';
import { failedPrecondition } from '@fts/domain';
import {
  isTerminalPhase,
  type FollowLogsOptions,
  type JobKind,
  type JobRunner,
  type ReadOutputsResult,
  type RunHandle,
  type RunRequest,
  type RunState,
} from '../job-runner.js';
import { RETRYABLE_EXIT_CODE } from '../job-runner.js';
import { RUN_FILES, RunFolder, type CancelRecord, type ExitRecord } from '../run-folder.js';
import { validateRunRequest } from '../run-request.js';
import { CmlApiClient, CmlApiError, type CmlApiOptions, type CmlJob, type CreateJobBody } from './cml-api.client.js';
import { mapEngineStatus } from './cml-status.js';

export interface CmlRunnerOptions {
  /** The API client, or the options to build one (CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID). */
  api: CmlApiClient | CmlApiOptions;
  /** `.app`; must be inside `projectRoot`, so that CML jobs see the run folders. */
  stateDir: string;
  /** The CML project's folder as the server sees it (/home/cdsw); run folders are passed relative to it. */
  projectRoot: string;
  /** Template job per kind; its runtime (and environment) is reused. */
  templates?: Partial<Record<JobKind, string>>;
  /** The project script every created job runs. Default job-templates/cml_launcher.py. */
  launcherScript?: string;
  /** followLogs: how often CML is asked whether the run has ended. Default 5 s. */
  finishedCheckMs?: number;
  /** followLogs: file polling fallback. Default 200 ms. */
  pollMs?: number;
  now?: () => Date;
}

export const DEFAULT_CML_TEMPLATES: Record<JobKind, string> = {
  fine_tune: 'Accel_Finetuning_Base_Job',
  evaluate: 'Mlflow_Evaluation_Base_Job',
  compare: 'Mlflow_Evaluation_Base_Job',
  export_merge: 'Accel_Finetuning_Base_Job',
};

export const DEFAULT_LAUNCHER = 'job-templates/cml_launcher.py';

/** What cml.json holds. */
export interface CmlRecord {
  cml_job_id: string;
  cml_job_name: string;
  cml_run_id?: string;
  template: string;
  created_at: string;
}

/**
 * Runs each job as its own CML job (created from the template job's
 * runtime with the requested resources) plus one job run. The created job
 * runs a launcher script that reads the run folder, which CML jobs see on
 * the shared project filesystem: progress and logs come from the same
 * files as with the local runner; the status comes from the API.
 *
 * The launcher's contract (job-templates/cml_launcher.py):
 *   - run folder: `--run-dir <path relative to the project>` in JOB_ARGUMENTS
 *     (shell-quoted only if it has unusual characters: parse with shlex.split),
 *     also in the environment as FTS_RUN_DIR;
 *   - launch.json there: command (project-relative paths), args
 *     (--spec/--events), stdout and exit paths, resources, num_workers;
 *   - run command + args with stdout/stderr into stdout.log, write exit.json
 *     ({code, signal, finished_at}), exit with the command's code;
 *   - FTS_NUM_WORKERS > 1: start the other workers with cml.workers_v1
 *     (same cpu/memory/nvidia_gpu/accelerator label as this job) and wait.
 */
export class CmlRunner implements JobRunner {
  readonly name = 'cml' as const;
  readonly api: CmlApiClient;
  private readonly templates: Record<JobKind, string>;
  private readonly launcher: string;
  private readonly now: () => Date;

  constructor(private readonly options: CmlRunnerOptions) {
    this.api = options.api instanceof CmlApiClient ? options.api : new CmlApiClient(options.api);
    this.templates = { ...DEFAULT_CML_TEMPLATES, ...(options.templates ?? {}) };
    this.launcher = options.launcherScript ?? DEFAULT_LAUNCHER;
    this.now = options.now ?? (() => new Date());
  }

  /** CML queues runs itself: there is always room to submit. */
  hasFreeSlot(): boolean {
    return true;
  }

  recoverHandle(jobId: string): RunHandle | undefined {
    const folder = RunFolder.forJob(this.options.stateDir, jobId);
    const rec = folder.readJson<CmlRecord>(RUN_FILES.cml);
    if (!rec?.cml_run_id) return undefined;
    return { runner: 'cml', jobId, runDir: folder.dir, cmlJobId: rec.cml_job_id, cmlRunId: rec.cml_run_id };
  }

  async submit(req: RunRequest): Promise<RunHandle> {
    validateRunRequest(req);
    const folder = RunFolder.forJob(this.options.stateDir, req.jobId);
    const existing = this.recoverHandle(req.jobId);
    if (existing) return existing;
    const rel = this.relativeToProject(folder.dir);

    let rec = folder.readJson<CmlRecord>(RUN_FILES.cml);
    if (!rec) {
      const templateName = this.templates[req.kind];
      const template = await this.findTemplate(templateName);
      const full = template.runtime_identifier ? template : await this.api.getJob(template.id);
      if (!full.runtime_identifier) {
        throw failedPrecondition(
          'CML.TEMPLATE_NO_RUNTIME',
          `CML template job '${templateName}' in project ${this.api.projectId} has no runtime; give it a runtime, or use a runtime-based project.`,
        );
      }
      const name = `fts-${req.kind}-${req.jobId}`;
      folder.prepare(req.spec, this.launchRecord(req, rel, templateName));
      const job = (await this.findJobByName(name)) ?? (await this.api.createJob(this.createJobBody(req, name, rel, full), () => this.findJobByName(name)));
      rec = { cml_job_id: job.id, cml_job_name: name, template: templateName, created_at: this.now().toISOString() };
      folder.writeJson(RUN_FILES.cml, rec);
    }
    const jobId = rec.cml_job_id;
    const latestRun = async () => (await this.api.listJobRuns(jobId, 1))[0];
    // Our job only ever gets one run: any run it has is ours (from an attempt whose answer was lost).
    const run = (await latestRun()) ?? (await this.api.createJobRun(jobId, latestRun));
    rec = { ...rec, cml_run_id: run.id };
    folder.writeJson(RUN_FILES.cml, rec);
    return { runner: 'cml', jobId: req.jobId, runDir: folder.dir, cmlJobId: jobId, cmlRunId: run.id };
  }

  /** The create_job body: the template's runtime, our resources, the run folder, no JSON in arguments. */
  createJobBody(req: RunRequest, name: string, rel: string, template: CmlJob): CreateJobBody {
    const r = req.resources;
    const environment: Record<string, string> = {
      ...environmentOf(template),
      ...(req.env ?? {}),
      FTS_RUN_DIR: rel,
      FTS_JOB_ID: req.jobId,
      FTS_JOB_KIND: req.kind,
      ...(r.numWorkers > 1 ? { FTS_NUM_WORKERS: String(Math.floor(r.numWorkers)) } : {}),
    };
    return {
      project_id: this.api.projectId,
      name,
      script: this.launcher,
      runtime_identifier: template.runtime_identifier,
      cpu: r.cpu,
      memory: r.memoryGb,
      nvidia_gpu: Math.floor(r.gpus),
      ...(r.gpuLabelId !== undefined && r.gpuLabelId > 0 ? { accelerator_label_id: String(r.gpuLabelId) } : {}),
      arguments: `--run-dir ${shellQuote(rel)}`,
      environment,
    };
  }

  async status(handle: RunHandle): Promise<RunState> {
    const ids = this.idsOf(handle);
    if (!ids) {
      return { phase: 'failed', message: 'The CML run was never created (the server stopped while submitting it).', exitCode: null };
    }
    let raw: unknown;
    try {
      raw = (await this.api.getJobRun(ids.jobId, ids.runId)).status;
    } catch (e) {
      return unknownFrom(e);
    }
    const state = mapEngineStatus(raw);
    const folder = this.folderOf(handle);
    if (state.phase === 'running' && !state.cancelling && folder.exists(RUN_FILES.cancel)) return { ...state, cancelling: true };
    if (!isTerminalPhase(state.phase)) return state;
    const exit = folder.readJson<ExitRecord>(RUN_FILES.exit);
    const exitCode = typeof exit?.code === 'number' ? exit.code : null;
    if (state.phase === 'failed' && state.message === 'The CML run failed.') {
      const line = await folder.lastErrorLine();
      const how = exitCode !== null ? `exited with code ${exitCode}` : undefined;
      const detail = [how, line].filter(Boolean).join(': ');
      // No exit record: the engine died under the job (node lost, engine evicted) before the launcher could write
      // one; a signal or the template's retryable code are outside the job too. Running again can succeed.
      const retryable = !exit || (exit.signal !== null && exit.signal !== undefined) || exitCode === RETRYABLE_EXIT_CODE;
      return { ...state, message: detail ? `The CML run failed: ${detail}` : state.message, exitCode, ...(retryable ? { retryable } : {}) };
    }
    return { ...state, exitCode };
  }

  async readOutputs(handle: RunHandle, fromOffset: number): Promise<ReadOutputsResult> {
    return this.folderOf(handle).readOutputs(fromOffset);
  }

  /** Asks CML to stop the run (`:stop`); status() then goes ENGINE_STOPPING → ENGINE_STOPPED (cancelled). */
  async cancel(handle: RunHandle): Promise<void> {
    const ids = this.idsOf(handle);
    const folder = this.folderOf(handle);
    if (!folder.exists(RUN_FILES.cancel)) folder.writeJson(RUN_FILES.cancel, { requested_at: this.now().toISOString() } satisfies CancelRecord);
    if (!ids) return;
    try {
      await this.api.stopJobRun(ids.jobId, ids.runId);
    } catch (e) {
      // CML refuses to stop a run that has already ended: that is not a failure to cancel.
      if (e instanceof CmlApiError && !e.transient && isTerminalPhase((await this.status(handle)).phase)) return;
      throw e;
    }
  }

  reattach(handle: RunHandle): Promise<RunState> {
    return this.status(handle);
  }

  async logs(handle: RunHandle, opts: { tailLines?: number } = {}): Promise<string[]> {
    return this.folderOf(handle).tail(RUN_FILES.stdout, opts.tailLines ?? 100);
  }

  followLogs(handle: RunHandle, signal: AbortSignal, opts: FollowLogsOptions = {}): AsyncIterable<string> {
    const folder = this.folderOf(handle);
    return folder.follow(RUN_FILES.stdout, signal, {
      pollMs: this.options.pollMs ?? 200,
      finishedCheckMs: this.options.finishedCheckMs ?? 5000,
      tailLines: opts.tailLines,
      isFinished: async () => folder.exists(RUN_FILES.exit) || isTerminalPhase((await this.status(handle)).phase),
    });
  }

  private async findTemplate(name: string): Promise<CmlJob> {
    const template = (await this.api.listJobs({ name })).find((j) => j.name === name);
    if (!template) {
      throw failedPrecondition('CML.TEMPLATE_NOT_FOUND', `CML template job '${name}' was not found in project ${this.api.projectId}.`);
    }
    return template;
  }

  /** The search filter may match more loosely than equality: only an exact name counts. */
  private async findJobByName(name: string): Promise<CmlJob | undefined> {
    return (await this.api.listJobs({ name })).find((j) => j.name === name);
  }

  private launchRecord(req: RunRequest, rel: string, template: string): Record<string, unknown> {
    const inProject = (a: string) => {
      if (!path.isAbsolute(a)) return a;
      const r = path.relative(path.resolve(this.options.projectRoot), a);
      return r && !r.startsWith('..') && !path.isAbsolute(r) ? toPosix(r) : a;
    };
    return {
      runner: 'cml',
      job_id: req.jobId,
      kind: req.kind,
      command: req.command.map(inProject),
      args: ['--spec', `${rel}/${RUN_FILES.spec}`, '--events', `${rel}/${RUN_FILES.events}`],
      stdout: `${rel}/${RUN_FILES.stdout}`,
      exit: `${rel}/${RUN_FILES.exit}`,
      resources: req.resources,
      num_workers: Math.max(1, Math.floor(req.resources.numWorkers)),
      template,
      created_at: this.now().toISOString(),
    };
  }

  private relativeToProject(dir: string): string {
    const rel = path.relative(path.resolve(this.options.projectRoot), dir);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw failedPrecondition(
        'CML.STATE_DIR_OUTSIDE_PROJECT',
        `The run folder ${dir} is outside the project folder ${this.options.projectRoot}, so CML jobs cannot see it; keep FTS_STATE_DIR inside the project.`,
      );
    }
    return toPosix(rel);
  }

  private idsOf(handle: RunHandle): { jobId: string; runId: string } | undefined {
    if (handle.cmlJobId && handle.cmlRunId) return { jobId: handle.cmlJobId, runId: handle.cmlRunId };
    const rec = this.folderOf(handle).readJson<CmlRecord>(RUN_FILES.cml);
    return rec?.cml_run_id ? { jobId: rec.cml_job_id, runId: rec.cml_run_id } : undefined;
  }

  private folderOf(handle: RunHandle): RunFolder {
    return RunFolder.forJob(this.options.stateDir, handle.jobId);
  }
}

function unknownFrom(e: unknown): RunState {
  if (e instanceof CmlApiError) return { phase: 'unknown', message: e.message, transient: e.transient };
  return { phase: 'unknown', message: `The CML run's status could not be read: ${(e as Error)?.message ?? String(e)}`, transient: true };
}

/** The template job's environment (a JSON string in API answers), or {} when absent or unreadable. */
function environmentOf(job: CmlJob): Record<string, string> {
  const raw = job.environment as unknown;
  let env: unknown = raw;
  if (typeof raw === 'string') {
    try {
      env = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  if (env === null || typeof env !== 'object' || Array.isArray(env)) return {};
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => typeof kv[1] === 'string'));
}

/** POSIX shell quoting, only when needed: the launcher splits JOB_ARGUMENTS with shlex. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const toPosix = (p: string) => p.split(path.sep).join('/');
