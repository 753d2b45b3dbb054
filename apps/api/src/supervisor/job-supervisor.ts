import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import type { Subscription } from 'rxjs';
import {
  adapterDirOf,
  bestCheckpoint,
  cancelJob,
  checkpointsOf,
  dispatchJob,
  failJob,
  isDomainError,
  LIVE_STATUSES,
  recordAdapterRegistered,
  recordCheckpoint,
  recordDetails,
  recordProgress,
  recordResult,
  recordRunPhase,
  recordRunSubmitted,
  retryOrFailJob,
  runKeyOf,
  STREAM_TABLES,
  tableByName,
  readJob,
  type JobRef,
  type JobCheckpointRow,
  type JobRow,
  type JobRunRow,
  type AdapterComparisonRow,
  type EvaluationJobRow,
  type FineTuningJobRow,
  type MetricPoint,
  type RecordedEvent,
  type Row,
} from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { WriteGate } from '../platform/transport/write-gate.js';
import { EventBus } from '../platform/event-bus.js';
import type { CatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { jobRunsDir } from '../platform/paths/job-runs-dir.js';
import { AdaptersHandlers } from '../adapters/adapters.handlers.js';
import { JOB_RUNNER, type CheckpointOutput, type JobKind, type JobRunner, type RunHandle, type RunRequest, type RunState } from '../runners/job-runner.js';
import { createNamedJobRunner } from '../runners/create-job-runner.js';
import { nextPollDelayMs } from '../runners/poll-delay.js';
import { slotsNeeded } from '../runners/local/local-runner.js';
import { createCmlDeployRunner } from '../runners/cml-deploy/create-cml-deploy-runner.js';
import { exportDetailsOf, exportDetailsOfHandle, exportPlan } from '../exports/export-run-spec.js';
import { weightBytesFromName, weightBytesOnDisk } from '../exports/model-size.js';
import { compareSpec, evaluateSpec, fineTuneSpec, confinedPath, MissingInput, type SpecContext } from './run-specs.js';
import { UserScriptRefused, overrideFieldsFor, templateCommand, userScriptCommand, type TemplateSettings } from './template-command.js';

/** Job kinds the supervisor runs, by stream type. */
const KINDS: Record<JobRef['streamType'], JobKind> = {
  fine_tuning_job: 'fine_tune',
  evaluation_job: 'evaluate',
  adapter_comparison: 'compare',
  model_export: 'export_merge',
};

/** The first event of each kind of job. */
const QUEUED_EVENTS: Record<string, JobRef['streamType']> = {
  FineTuningJobQueued: 'fine_tuning_job',
  EvaluationJobQueued: 'evaluation_job',
  AdapterComparisonQueued: 'adapter_comparison',
  ModelExportRequested: 'model_export',
};

const TERMINAL_EVENTS = new Set(['JobSucceeded', 'JobFailed', 'JobCancelled']);

/** Slurm's state comes from one squeue call for every job, and progress from the shared run folder: watched closely. */
const POLL_LIMITS: Partial<Record<string, { minMs: number; maxMs: number }>> = { slurm: { minMs: 500, maxMs: 3000 } };

/** A runner that cannot say what happened for this long (a lasting refusal, not a network blip) fails the job. */
const UNKNOWN_TOLERANCE_MS = 10 * 60_000;

interface ActiveRun {
  ref: JobRef;
  runner: JobRunner;
  handle: RunHandle;
  gpus: number;
  offset: number;
  artifacts: Record<string, unknown>[];
  polling: boolean;
  nextPollAt: number;
  pollsSinceChange: number;
  lastPhase?: string;
  unknownSince?: number;
  /** The cluster placement and pending message last recorded (Slurm), so each is recorded once per change. */
  lastCluster?: string;
  lastPendingMessage?: string;
}

const SUPERVISOR: CallContext = { transport: 'system', actor: 'supervisor' };

/**
 * The process manager of jobs: takes queued jobs in creation order while the
 * runner has a free slot, turns what the runner reports (status, progress
 * lines, results) into commands on the job's stream, stops runs on cancel,
 * registers trained adapters, and at start-up reconciles every job that was
 * live when the server stopped with what its runner says happened meanwhile.
 */
@Injectable()
export class JobSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobSupervisor');
  private readonly queue: JobRef[] = [];
  private readonly active = new Map<string, ActiveRun>();
  private readonly templates: TemplateSettings;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private pumping = false;
  private stopped = false;
  private readonly tickMs: number;
  private readonly graceMs: number;
  /** CML model deployments (exports of type cml_model), when the CML API is configured. */
  private readonly deployRunner?: JobRunner;
  /** Runners other than the configured one, by name, made when a job asks for one (its `runner` field). */
  private readonly namedRunners = new Map<string, JobRunner>();
  /** Jobs waiting out their retry backoff, by id. */
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  /** Backoff base before an automatic retry (FTS_RETRY_BACKOFF_MS). */
  private readonly retryBackoffMs: number;

  constructor(
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    private readonly commands: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapters: AdaptersHandlers,
    private readonly paths: ProjectPaths,
    /** Closed while an import holds SQLite's write lock on its own connection: the supervisor's writes wait for it (see poll, pump). */
    @Optional() private readonly gate?: WriteGate,
  ) {
    this.templates = config.supervisor.templates;
    this.tickMs = config.supervisor.tickMs;
    this.graceMs = config.supervisor.cancelGraceMs;
    this.retryBackoffMs = config.supervisor.retryBackoffMs;
    this.deployRunner = createCmlDeployRunner(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Subscribe first: a job queued while reconciling is not missed (the queue drops duplicates).
    this.subscription = this.bus.events$.subscribe((e) => this.onEvent(e));
    await this.reconcile();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    void this.pump();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
  }

  /** Jobs waiting for a slot, in order (for status pages and tests). */
  queued(): string[] {
    return this.queue.map((r) => r.id);
  }

  // ------------------------------------------------------------ start-up

  private async reconcile(): Promise<void> {
    const live: { ref: JobRef; row: JobRow }[] = [];
    for (const streamType of Object.keys(KINDS) as JobRef['streamType'][]) {
      for (const row of this.reader.find(STREAM_TABLES[streamType]) as JobRow[]) {
        if ((LIVE_STATUSES as readonly string[]).includes(row.status ?? '')) live.push({ ref: { streamType, id: row.id }, row });
      }
    }
    // Creation order across kinds: by created_at, then table order.
    live.sort((a, b) => (a.row.created_at ?? '').localeCompare(b.row.created_at ?? ''));
    for (const { ref, row } of live) {
      if (row.status === 'queued') {
        this.enqueue(ref);
        continue;
      }
      if (row.status === 'retrying') {
        this.scheduleRetry(ref, row.retry_at);
        continue;
      }
      try {
        await this.reattach(ref, row.status ?? '');
      } catch (e) {
        this.logger.error(`reconciling ${ref.id}: ${describe(e)}`);
      }
    }
    if (live.length) this.logger.log(`Reconciled ${live.length} unfinished job(s): ${this.queue.length} queued, ${this.active.size} running.`);
  }

  private async reattach(ref: JobRef, status: string): Promise<void> {
    const run = this.reader.get('job_runs', ref.id);
    const row = readJob(this.reader, ref);
    const key = row ? runKeyOf(row) : ref.id;
    const handle = parseHandle(run?.handle) ?? this.runnerForJob(row ?? {}).recoverHandle(key) ?? this.deployRunner?.recoverHandle(ref.id);
    if (!handle && status === 'dispatching') {
      // The server stopped between dispatch and submit: submit again (idempotent per job id).
      await this.submit(ref);
      return;
    }
    if (!handle) {
      this.command('FailJob', (ctx) => failJob(ref, 'The server restarted and found no trace of this job’s run.', ctx));
      return;
    }
    if (!run?.handle) this.command('RecordRunSubmitted', (ctx) => recordRunSubmitted(ref, { ...handle }, ctx));
    const runner = this.runnerOf(handle);
    const state = await runner.reattach(handle);
    const active = this.track(ref, runner, handle, run?.outputs_offset ?? 0);
    if (status === 'cancelling') void this.stop(active, deadlineLeft(run));
    await this.observe(active, state);
  }

  // ------------------------------------------------------------ events

  private onEvent(e: RecordedEvent): void {
    if (this.stopped) return;
    const queuedType = QUEUED_EVENTS[e.type];
    if (queuedType) {
      this.enqueue({ streamType: queuedType, id: String((e.data as { row: Row }).row.id) });
      void this.pump();
      return;
    }
    const id = (e.data as { id?: string })?.id;
    if (e.type === 'JobCancelRequested' && id) {
      const run = this.active.get(id);
      if (run) void this.stop(run, this.graceMs);
    } else if (e.type === 'JobRetryScheduled' && id) {
      this.scheduleRetry({ streamType: e.streamType as JobRef['streamType'], id }, (e.data as { retry_at?: string }).retry_at);
    } else if (TERMINAL_EVENTS.has(e.type) || e.type.endsWith('Removed')) {
      if (id) {
        this.dropFromQueue(id);
        this.clearRetry(id);
      }
      void this.pump();
    }
  }

  private enqueue(ref: JobRef): void {
    if (!this.queue.some((r) => r.id === ref.id) && !this.active.has(ref.id)) this.queue.push(ref);
  }

  /**
   * A job in `retrying` joins the queue once its backoff is over. Only the
   * event (or, after a restart, the stored status) arms this; the dispatch
   * that follows is an event too, and submits under the attempt's own run key,
   * so a restart in between never starts a second run.
   */
  private scheduleRetry(ref: JobRef, retryAt: unknown): void {
    this.clearRetry(ref.id);
    const at = typeof retryAt === 'string' ? Date.parse(retryAt) : NaN;
    const wait = Number.isFinite(at) ? Math.max(0, at - Date.now()) : 0;
    const timer = setTimeout(() => {
      this.retryTimers.delete(ref.id);
      if (this.stopped) return;
      this.enqueue(ref);
      void this.pump();
    }, wait);
    timer.unref();
    this.retryTimers.set(ref.id, timer);
  }

  private clearRetry(id: string): void {
    const t = this.retryTimers.get(id);
    if (t) clearTimeout(t);
    this.retryTimers.delete(id);
  }

  private dropFromQueue(id: string): void {
    const i = this.queue.findIndex((r) => r.id === id);
    if (i >= 0) this.queue.splice(i, 1);
  }

  // ------------------------------------------------------------ dispatch

  /** Starts queued jobs, oldest first, while the runner has room. One start at a time so slots are never overcounted. */
  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      await this.gate?.opened(); // dispatching writes: not while an import holds the write lock
      while (this.queue.length) {
        const ref = this.queue[0];
        const row = readJob(this.reader, ref);
        if (!row || (row.status !== 'queued' && row.status !== 'retrying')) {
          this.queue.shift();
          continue;
        }
        let runner: JobRunner;
        try {
          runner = this.runnerForJob(row);
        } catch (e) {
          this.queue.shift();
          this.command('FailJob', (ctx) => failJob(ref, `The job asks for the '${row.runner}' runner, which this server cannot run: ${describe(e)}`, ctx));
          continue;
        }
        const neverFits = this.neverFits(ref, row, runner);
        if (neverFits) {
          // Waiting would block every job behind it for good.
          this.queue.shift();
          this.command('FailJob', (ctx) => failJob(ref, neverFits, ctx));
          continue;
        }
        if (!this.hasRoomFor(gpusOf(ref, row), runner)) break;
        this.queue.shift();
        this.command('DispatchJob', (ctx) => dispatchJob(ref, runner.name, ctx));
        if (readJob(this.reader, ref)?.status === 'dispatching') await this.submit(ref);
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Why a job can never start on this machine's runner (more GPUs than it has), when it cannot. */
  private neverFits(ref: JobRef, row: JobRow, runner: JobRunner): string | undefined {
    // A CML deployment runs on CML, not on this runner's slots.
    if (ref.streamType === 'model_export' && row.type === 'cml_model') return undefined;
    return runner.exceedsCapacity?.({ gpus: gpusOf(ref, row) });
  }

  /**
   * Room by the runner's count (processes alive) AND by ours (jobs not yet
   * recorded as finished): a process that has just exited frees its slot only
   * once its outcome is in the log, so the log never shows more live jobs than slots.
   */
  private hasRoomFor(gpus: number, runner: JobRunner = this.runner): boolean {
    if (!runner.hasFreeSlot({ gpus })) return false;
    const capacity = runner.capacity;
    if (capacity === undefined) return true;
    let held = 0;
    for (const run of this.active.values()) if (run.runner === runner) held += slotsNeeded({ gpus: run.gpus });
    return held + slotsNeeded({ gpus }) <= capacity;
  }

  private async submit(ref: JobRef): Promise<void> {
    let plan: { runner: JobRunner; request: RunRequest };
    try {
      plan = this.plan(ref);
    } catch (e) {
      const message =
        e instanceof MissingInput || e instanceof UserScriptRefused || isDomainError(e) ? e.message : `The job could not be prepared: ${describe(e)}`;
      this.command('FailJob', (ctx) => failJob(ref, message, ctx));
      return;
    }
    let handle: RunHandle;
    try {
      handle = await plan.runner.submit(plan.request);
    } catch (e) {
      this.command('FailJob', (ctx) => failJob(ref, `The ${plan.runner.name} runner could not start the job: ${describe(e)}`, ctx));
      return;
    }
    this.command('RecordRunSubmitted', (ctx) => recordRunSubmitted(ref, { ...handle }, ctx));
    if (ref.streamType === 'model_export') this.recordExportDetails(ref, exportDetailsOfHandle(handle));
    const run = this.track(ref, plan.runner, handle, 0);
    const row = readJob(this.reader, ref);
    if (row?.status === 'cancelling') void this.stop(run, this.graceMs);
  }

  /** Which runner takes the job, and what it is asked to run. */
  private plan(ref: JobRef): { runner: JobRunner; request: RunRequest } {
    const row = readJob(this.reader, ref);
    if (!row) throw new MissingInput(`Job '${ref.id}' no longer exists.`);
    const ctx: SpecContext = {
      read: this.reader,
      projectRoot: this.config.projectRoot,
      stateDir: this.config.stateDir,
      confine: (p) => this.paths.resolve(p),
    };
    if (ref.streamType === 'model_export') return this.exportPlan(ctx, row);
    const kind = KINDS[ref.streamType];
    // The stream type says which table the row came from.
    const spec =
      kind === 'fine_tune'
        ? fineTuneSpec(ctx, row as FineTuningJobRow)
        : kind === 'evaluate'
          ? evaluateSpec(ctx, row as EvaluationJobRow)
          : compareSpec(ctx, row as AdapterComparisonRow);
    return {
      runner: this.runnerForJob(row),
      request: {
        // Each attempt of a job has its own run folder: its own events file, exit record and idempotent submit.
        jobId: runKeyOf(row),
        kind,
        spec: this.withOverride(spec, row),
        command:
          kind === 'fine_tune' && row.user_script
            ? userScriptCommand(this.templates, this.config.projectRoot, row.user_script)
            : templateCommand(this.templates, kind),
        resources: {
          cpu: num(row.num_cpu ?? row.cpu, 2),
          memoryGb: num(row.num_memory ?? row.memory, 8),
          gpus: gpusOf(ref, row),
          numWorkers: num(row.num_workers, 1),
          ...(num(row.gpu_label_id, 0) > 0 ? { gpuLabelId: num(row.gpu_label_id, 0) } : {}),
          ...(row.time_limit ? { timeLimit: row.time_limit } : {}),
        },
        env: this.jobEnv(),
      },
    };
  }

  private exportPlan(ctx: SpecContext, row: JobRow): { runner: JobRunner; request: RunRequest } {
    const base = row.base_model_id ? this.reader.get('models', row.base_model_id) : undefined;
    const adapter = row.adapter_id ? this.reader.get('adapters', row.adapter_id) : undefined;
    if (!base || !adapter) throw new MissingInput('The base model or adapter of this export no longer exists.');
    // exportPlan joins paths as they are: each must still resolve inside the project.
    for (const [what, loc] of [
      ['base model', base.location],
      [`adapter '${adapter.name}'`, adapter.location],
      ['export target', row.type === 'project' ? row.artifact_location : null],
    ] as const) {
      confinedPath(ctx, loc, what);
    }
    const location = base.location ? path.resolve(this.config.projectRoot, base.location) : undefined;
    const baseModelBytes = (location && weightBytesOnDisk(location)) || weightBytesFromName(base.huggingface_model_name ?? base.name ?? '');
    const plan = exportPlan(row, base, adapter, { ...ctx, mlflowTrackingUri: this.config.mlflowTrackingUri, baseModelBytes });
    const request = { jobId: row.id, kind: plan.kind, resources: plan.resources };
    if (plan.runnerKind === 'cml-deploy') {
      if (!this.deployRunner) throw new MissingInput('CML model deployment needs the CML API: set CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID.');
      return { runner: this.deployRunner, request: { ...request, spec: { ...plan.spec }, command: [] } };
    }
    return {
      runner: this.runner,
      request: { ...request, spec: this.withOverride(plan.spec, row), command: templateCommand(this.templates, 'export_merge'), env: this.jobEnv() },
    };
  }

  /** With a test template (FTS_JOB_TEMPLATE), its knobs join the spec. */
  private withOverride(spec: Record<string, unknown>, row: JobRow): Record<string, unknown> {
    return this.templates.override ? { ...spec, ...overrideFieldsFor(this.templates, row) } : spec;
  }

  private jobEnv(): Record<string, string> {
    const token = this.config.hfToken;
    return token ? { HUGGINGFACE_ACCESS_TOKEN: token, HF_TOKEN: token } : {};
  }

  private runnerOf(handle: RunHandle): JobRunner {
    if (handle.runner === 'cml-deploy' && this.deployRunner) return this.deployRunner;
    if (handle.runner === this.runner.name || handle.runner === 'cml-deploy' || !handle.runner) return this.runner;
    return this.namedRunner(handle.runner);
  }

  /** The configured runner, or the one the job asked for (StartFineTuningJobRequest.runner). */
  private runnerForJob(row: Pick<JobRow, 'runner'>): JobRunner {
    const name = typeof row.runner === 'string' ? row.runner.trim() : '';
    return !name || name === this.runner.name ? this.runner : this.namedRunner(name);
  }

  private namedRunner(name: string): JobRunner {
    let runner = this.namedRunners.get(name);
    if (!runner) {
      runner = createNamedJobRunner(name, this.config);
      this.namedRunners.set(name, runner);
    }
    return runner;
  }

  private recordExportDetails(ref: JobRef, details: Record<string, string | number | null>): void {
    if (Object.keys(details).length) this.command('RecordJobDetails', (ctx) => recordDetails(ref, details, ctx));
  }

  // ------------------------------------------------------------ observation

  private track(ref: JobRef, runner: JobRunner, handle: RunHandle, offset: number): ActiveRun {
    const row = readJob(this.reader, ref);
    // Slots count only for work on this machine's runner (a CML deployment holds none).
    const gpus = row && runner !== this.deployRunner ? gpusOf(ref, row) : 0;
    const run: ActiveRun = { ref, runner, handle, gpus, offset, artifacts: [], polling: false, nextPollAt: 0, pollsSinceChange: 0 };
    this.active.set(ref.id, run);
    return run;
  }

  private tick(): void {
    const now = Date.now();
    for (const run of this.active.values()) {
      if (!run.polling && run.nextPollAt <= now) void this.poll(run);
    }
  }

  private async poll(run: ActiveRun): Promise<void> {
    // During an import a write here would wait for its lock in SQLite's busy handler, on the event loop; the next tick after it polls.
    if (run.polling || this.stopped || this.gate?.closed) return;
    run.polling = true;
    try {
      await this.readOutputs(run);
      const state = await run.runner.status(run.handle);
      await this.observe(run, state);
      this.checkCancelDeadline(run);
    } catch (e) {
      this.logger.warn(`observing ${run.ref.id}: ${describe(e)}`);
    } finally {
      run.polling = false;
      const changed = run.pollsSinceChange === 0;
      run.nextPollAt = Date.now() + (run.runner.name === 'local' ? 0 : nextPollDelayMs(run.pollsSinceChange, changed, POLL_LIMITS[run.runner.name]));
    }
  }

  /** Progress points, artifacts and the result line written since the last read, each batch one command. */
  private async readOutputs(run: ActiveRun): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const { outputs, nextOffset } = await run.runner.readOutputs(run.handle, run.offset);
      if (nextOffset === run.offset) return;
      const points: MetricPoint[] = [];
      let result: Record<string, unknown> | undefined;
      for (const o of outputs) {
        if (o.type === 'progress') {
          const { ts, ...p } = o.point;
          points.push({ ...p, at: new Date(ts).toISOString() });
        } else if (o.type === 'checkpoint') {
          // Recorded in order with the points before it, so a retry sees every step up to the checkpoint.
          if (points.length) this.command('RecordJobProgress', (ctx) => recordProgress(run.ref, points.splice(0), run.offset, ctx));
          this.recordCheckpointOutput(run.ref, o.checkpoint);
        } else if (o.type === 'artifact') run.artifacts.push(o.data);
        else if (o.type === 'result') result = o.data;
      }
      this.command('RecordJobProgress', (ctx) => recordProgress(run.ref, points, nextOffset, ctx));
      if (result) {
        const r = result;
        this.command('RecordJobResult', (ctx) => recordResult(run.ref, r, run.artifacts, ctx));
        if (run.ref.streamType === 'model_export') this.recordExportDetails(run.ref, exportDetailsOf(r));
      }
      run.offset = nextOffset;
    }
  }

  private async observe(run: ActiveRun, state: RunState): Promise<void> {
    const { ref } = run;
    if (state.phase !== run.lastPhase) {
      run.lastPhase = state.phase;
      run.pollsSinceChange = 0;
    } else run.pollsSinceChange++;
    this.recordCluster(run, state);
    switch (state.phase) {
      case 'pending':
      case 'scheduling':
        this.recordPendingMessage(run, state);
        return;
      case 'running':
        run.unknownSince = undefined;
        this.command('RecordRunPhase', (ctx) => recordRunPhase(ref, 'running', '', ctx));
        return;
      case 'unknown':
        run.unknownSince ??= Date.now();
        if (!state.transient && Date.now() - run.unknownSince > UNKNOWN_TOLERANCE_MS) {
          this.command('FailJob', (ctx) => failJob(ref, `The runner lost track of this job: ${state.message ?? 'no status'}.`, ctx));
          this.finish(run);
        }
        return;
      default: {
        await this.readOutputs(run);
        const message = state.message ?? (state.phase === 'succeeded' ? 'Finished.' : state.phase === 'cancelled' ? 'Cancelled.' : 'Failed.');
        if (state.phase === 'failed' && state.retryable) {
          const reason = `The run ${sentenceOf(message)}`;
          this.command('RetryOrFailJob', (ctx) => retryOrFailJob(ref, reason, { backoffMs: this.retryBackoffMs }, ctx));
        } else this.command('RecordRunPhase', (ctx) => recordRunPhase(ref, state.phase as 'succeeded' | 'failed' | 'cancelled', message, ctx));
        if (state.phase === 'succeeded') this.afterSuccess(ref);
        // Only now is the slot free: the log already says the job is over.
        this.finish(run);
      }
    }
  }

  /** A checkpoint the template reported, with its folder made project-relative; one outside the project is not recorded. */
  private recordCheckpointOutput(ref: JobRef, c: CheckpointOutput): void {
    let relative: string;
    try {
      relative = path.relative(this.config.projectRoot, this.paths.resolve(path.resolve(this.config.projectRoot, c.path)));
    } catch (e) {
      this.logger.warn(`checkpoint of ${ref.id} at step ${c.step} not recorded: ${describe(e)}`);
      return;
    }
    const { ts, ...fields } = c;
    this.command('RecordJobCheckpoint', (ctx) => recordCheckpoint(ref, { ...fields, path: relative, at: new Date(ts).toISOString() }, ctx));
  }

  /** Where the cluster placed the job (Slurm job id, node list), on the job's row where it has the columns. */
  private recordCluster(run: ActiveRun, state: RunState): void {
    const c = state.cluster;
    if (!c?.jobId || !hasColumn(run.ref, 'cluster_job_id')) return;
    const set = { cluster_job_id: c.jobId, ...(c.nodes ? { cluster_nodes: c.nodes } : {}) };
    const key = JSON.stringify(set);
    if (key === run.lastCluster) return;
    run.lastCluster = key;
    this.command('RecordJobDetails', (ctx) => recordDetails(run.ref, set, ctx));
  }

  /** Why a job still waits on the cluster (Slurm's pending reason), as its status message while it is scheduling. */
  private recordPendingMessage(run: ActiveRun, state: RunState): void {
    if (!state.message || state.message === run.lastPendingMessage) return;
    const row = readJob(this.reader, run.ref);
    if (row?.status !== 'scheduling') return;
    run.lastPendingMessage = state.message;
    const message = state.message;
    this.command('RecordJobDetails', (ctx) => recordDetails(run.ref, { status_message: message }, ctx));
  }

  private finish(run: ActiveRun): void {
    this.active.delete(run.ref.id);
    void this.pump();
  }

  /** What a finished job leaves behind that the catalog should know: the adapter, the comparison's outputs. */
  private afterSuccess(ref: JobRef): void {
    const row = readJob(this.reader, ref);
    if (!row) return;
    const promoted = ref.streamType === 'fine_tuning_job' ? this.promotedCheckpoint(ref, row) : undefined;
    if (ref.streamType === 'fine_tuning_job' && row.auto_add_adapter === 1 && !row.adapter_id) {
      try {
        const adapter = this.adapters.add(
          {
            type: 'project',
            // A job that adds its adapter was refused at start without an adapter name; every job has a base model.
            name: row.adapter_name ?? '',
            model_id: row.base_model_id ?? '',
            location: promoted?.path ?? adapterDirOf(row, jobRunsDir(this.config.projectRoot, this.config.stateDir)),
            fine_tuning_job_id: ref.id,
            prompt_id: row.prompt_id || undefined,
          },
          SUPERVISOR,
        );
        this.command('RecordAdapterRegistered', (ctx) => recordAdapterRegistered(ref, adapter.id, ctx));
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        this.command('RecordJobDetails', (ctx) =>
          recordDetails(ref, { status_message: `Finished, but the adapter could not be registered: ${reason}` }, ctx),
        );
      }
    }
    if (ref.streamType === 'fine_tuning_job' && (row.early_stopping_patience ?? 0) > 0) this.recordStopping(ref, row, promoted);
    if (ref.streamType === 'adapter_comparison') {
      const result = this.reader.get('job_results', ref.id);
      const outputs = result ? (JSON.parse(result.result ?? 'null') as { outputs?: unknown } | null)?.outputs : undefined;
      if (Array.isArray(outputs)) this.command('RecordJobDetails', (ctx) => recordDetails(ref, { outputs: JSON.stringify(outputs) }, ctx));
    }
  }

  /**
   * With early stopping on, the checkpoint with the best eval_loss, when its
   * folder holds a complete adapter inside the project; undefined otherwise
   * (the final weights are the adapter).
   */
  private promotedCheckpoint(ref: JobRef, row: JobRow): JobCheckpointRow | undefined {
    if (!((row.early_stopping_patience ?? 0) > 0)) return undefined;
    const best = bestCheckpoint(checkpointsOf(ref.id, { read: this.reader }));
    if (!best) return undefined;
    try {
      const dir = this.paths.resolve(best.path ?? '');
      return fs.existsSync(path.join(dir, 'adapter_config.json')) ? best : undefined;
    } catch {
      return undefined;
    }
  }

  /** Says on the job whether it stopped early and which checkpoint became its adapter. */
  private recordStopping(ref: JobRef, row: JobRow, promoted: JobCheckpointRow | undefined): void {
    const resultRow = this.reader.get('job_results', ref.id);
    const result = resultRow ? ((JSON.parse(resultRow.result ?? 'null') as { early_stopped?: boolean; stopped_at_step?: number } | null) ?? {}) : {};
    const metric = row.early_stopping_metric || 'eval_loss';
    const how = result.early_stopped
      ? `Stopped early at step ${String(result.stopped_at_step ?? '?')}: ${metric} did not improve by more than ${row.early_stopping_min_delta ?? 0} for ${row.early_stopping_patience} evaluations in a row.`
      : 'Finished.';
    const which = promoted
      ? ` The adapter is the checkpoint at step ${promoted.step} (best ${metric} ${promoted.eval_loss}).`
      : ' No checkpoint reported an eval_loss: the adapter is the final weights.';
    const set = { status_message: how + which, best_checkpoint_step: promoted ? promoted.step : null };
    this.command('RecordJobDetails', (ctx) => recordDetails(ref, set, ctx));
  }

  // ------------------------------------------------------------ cancel

  private async stop(run: ActiveRun, graceMs: number): Promise<void> {
    try {
      await run.runner.cancel(run.handle, Math.max(0, graceMs));
    } catch (e) {
      this.logger.warn(`cancelling ${run.ref.id}: ${describe(e)}`);
    }
    run.nextPollAt = 0;
  }

  /** A stop that the runner has not confirmed by the stored deadline is forced. */
  private checkCancelDeadline(run: ActiveRun): void {
    const jobRun = this.reader.get('job_runs', run.ref.id);
    if (jobRun?.deadline_kind === 'cancel' && jobRun.deadline_at && Date.parse(jobRun.deadline_at) < Date.now()) {
      void this.stop(run, 0);
    }
  }

  /** Cancels a job through the same decider users reach (used by the shutdown of a test, or the CLI). */
  cancel(ref: JobRef): Row {
    return this.commands.run('CancelJob', (ctx) => cancelJob(ref, this.graceMs, ctx), SUPERVISOR);
  }

  // ------------------------------------------------------------ helpers

  /** Runs a supervisor command; a refusal (the job was removed meanwhile) is logged, never thrown into a timer. */
  private command<R>(name: string, decide: Parameters<CommandRunner['run']>[1]): R | undefined {
    try {
      return this.commands.run(name, decide, SUPERVISOR) as R;
    } catch (e) {
      this.logger.warn(`${name}: ${describe(e)}`);
      return undefined;
    }
  }
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** A runner's phrase ('was killed by SIGKILL', 'exited with code 75: …') or sentence, ending in a full stop. */
const sentenceOf = (message: string) => {
  const m = message.replace(/^The run /, '');
  const text = /^[A-Z]/.test(m) && !/^(was|exited)/.test(m) ? `failed: ${m}` : m;
  return /[.!?]$/.test(text) ? text : `${text}.`;
};
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const gpusOf = (ref: JobRef, row: JobRow) =>
  num(ref.streamType === 'adapter_comparison' || ref.streamType === 'model_export' ? row.gpu : row.num_gpu, 0);

const hasColumn = (ref: JobRef, column: string) => !!tableByName(STREAM_TABLES[ref.streamType])?.columns.some((c) => c.name === column);

function parseHandle(v: unknown): RunHandle | undefined {
  if (!v) return undefined;
  try {
    return JSON.parse(String(v)) as RunHandle;
  } catch {
    return undefined;
  }
}

function deadlineLeft(run: JobRunRow | undefined): number {
  const at = run?.deadline_at ? Date.parse(run.deadline_at) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 0;
}
