import fs from 'node:fs';
import { failedPrecondition, unavailable } from '@fts/domain';
import type { FollowLogsOptions, JobRunner, ReadOutputsResult, RunHandle, RunRequest, RunState } from '../job-runner.js';
import { jobEnvironment } from '../job-env.js';
import { RUN_FILES, RunFolder, type CancelRecord, type ExitRecord } from '../run-folder.js';
import { validateRunRequest } from '../run-request.js';
import { SlurmCli, SlurmCommandError } from './slurm-cli.js';
import { slurmBatchJob, slurmJobName, validatePlacement, type SlurmPlacement } from './slurm-script.js';
import { exitMessage, parseJobRows, parseSinfo, SINFO_FORMAT, slurmOutcome, slurmRunState, SQUEUE_FORMAT, type SlurmJobRow, type SlurmPartition } from './slurm-status.js';
import { inheritedEnv } from '../../platform/config/app-config.js';

export interface SlurmRunnerOptions {
  /** `.app`: run folders go to `<stateDir>/job_runs/<job_id>/`, which must be on a filesystem the nodes share. */
  stateDir: string;
  /** Working directory of the jobs (the project root). */
  cwd: string;
  /** Default partition / account / QOS / time limit. */
  placement?: SlurmPlacement;
  /** torchrun's rendezvous port on the first node (default 29500). */
  rdzvPort?: number;
  cli?: SlurmCli;
  /** Base environment of the jobs (sbatch exports it). Default: this process's (inheritedEnv). */
  env?: NodeJS.ProcessEnv;
  dropEnv?: readonly string[];
  /** SIGTERM → kill grace for cancel(). Default 5000 ms. */
  graceMs?: number;
  pollMs?: number;
  now?: () => Date;
}

/** What slurm.json holds. */
export interface SlurmRecord {
  slurm_job_id: string;
  submitted_at: string;
  time_limit?: string;
}

/** How long one squeue answer serves every status() asking for it (a new job id always asks again). */
const SNAPSHOT_MS = 1000;
/** A job this young that squeue does not list is not yet concluded lost. */
const JUST_SUBMITTED_MS = 60_000;
const FINISHED = (s: SlurmJobRow | undefined) => !!s && ['succeeded', 'failed', 'cancelled', 'ended'].includes(slurmOutcome(s.state).kind);

/**
 * Runs each job as a Slurm batch job: sbatch with the request's resources,
 * the shared exit wrapper inside, squeue for its state (one call for every
 * job being watched), sacct or the run folder's exit record once squeue has
 * forgotten it, scancel to stop it. Progress and logs come from the run
 * folder, as with the local runner; nothing lives only in this object.
 */
export class SlurmRunner implements JobRunner {
  readonly name = 'slurm' as const;
  private readonly cli: SlurmCli;
  private readonly graceMs: number;
  private readonly now: () => Date;
  /** Slurm job ids being watched: each squeue call asks for all of them. */
  private readonly watched = new Set<string>();
  private snapshot?: { at: number; rows: Map<string, SlurmJobRow>; ids: Set<string> };
  private inflight?: Promise<Map<string, SlurmJobRow>>;
  private accounting: boolean | undefined;

  constructor(private readonly options: SlurmRunnerOptions) {
    this.cli = options.cli ?? new SlurmCli({ env: options.env });
    this.graceMs = options.graceMs ?? 5000;
    this.now = options.now ?? (() => new Date());
    validatePlacement(options.placement ?? {}, 'settings');
  }

  /** Slurm queues the work itself: the studio never holds a job back. */
  hasFreeSlot(): boolean {
    return true;
  }

  recoverHandle(jobId: string): RunHandle | undefined {
    const folder = RunFolder.forJob(this.options.stateDir, jobId);
    const rec = folder.readJson<SlurmRecord>(RUN_FILES.slurm);
    if (!rec?.slurm_job_id) return undefined;
    return { runner: 'slurm', jobId, runDir: folder.dir, slurmJobId: String(rec.slurm_job_id) };
  }

  async submit(req: RunRequest): Promise<RunHandle> {
    validateRunRequest(req);
    const existing = this.recoverHandle(req.jobId);
    if (existing) {
      this.watched.add(existing.slurmJobId!);
      return existing;
    }
    const folder = RunFolder.forJob(this.options.stateDir, req.jobId);
    const argv = [...req.command, '--spec', folder.path(RUN_FILES.spec), '--events', folder.path(RUN_FILES.events)];
    const job = slurmBatchJob(
      req,
      { runDir: folder.dir, scriptPath: folder.path(RUN_FILES.sbatch), stdoutPath: folder.path(RUN_FILES.stdout), cwd: this.options.cwd, argv },
      this.options.placement ?? {},
      { rdzvPort: this.options.rdzvPort },
    );
    // A job submitted just before a crash (slurm.json not yet written) is found by its name.
    const orphan = await this.findByName(req.jobId);
    if (orphan) return this.record(req.jobId, folder, orphan, job.timeLimit);

    folder.prepare(req.spec, {
      runner: 'slurm',
      job_id: req.jobId,
      kind: req.kind,
      command: argv,
      resources: req.resources,
      sbatch: job.args.slice(0, job.args.indexOf(folder.path(RUN_FILES.sbatch))),
      created_at: this.now().toISOString(),
    });
    fs.writeFileSync(folder.path(RUN_FILES.sbatch), job.script, { mode: 0o755 });
    const env = jobEnvironment(this.options.env ?? inheritedEnv(), req, folder.dir, this.options.dropEnv);
    let out: string;
    try {
      out = await this.cli.run('sbatch', job.args, { cwd: this.options.cwd, env });
    } catch (e) {
      if (e instanceof SlurmCommandError && e.unreachable) throw unavailable('RUNNER.SLURM_UNREACHABLE', e.message);
      throw failedPrecondition('RUNNER.SLURM_REFUSED', `Slurm refused the job: ${e instanceof Error ? e.message : String(e)}`);
    }
    // --parsable: "<job id>" or "<job id>;<cluster>".
    const slurmJobId = out.trim().split('\n').pop()!.split(';')[0]!.trim();
    if (!/^\d+$/.test(slurmJobId)) throw failedPrecondition('RUNNER.SLURM_REFUSED', `sbatch answered '${out.trim().slice(0, 200)}', not a job id.`);
    return this.record(req.jobId, folder, slurmJobId, job.timeLimit);
  }

  private record(jobId: string, folder: RunFolder, slurmJobId: string, timeLimit?: string): RunHandle {
    folder.writeJson(RUN_FILES.slurm, {
      slurm_job_id: slurmJobId,
      submitted_at: this.now().toISOString(),
      ...(timeLimit ? { time_limit: timeLimit } : {}),
    } satisfies SlurmRecord);
    this.watched.add(slurmJobId);
    this.snapshot = undefined;
    return { runner: 'slurm', jobId, runDir: folder.dir, slurmJobId };
  }

  private async findByName(jobId: string): Promise<string | undefined> {
    try {
      const out = await this.cli.run('squeue', ['-h', '--states=all', `--name=${slurmJobName(jobId)}`, '-o', '%i']);
      return out.split('\n').map((l) => l.trim()).find((l) => /^\d+$/.test(l));
    } catch {
      return undefined;
    }
  }

  async status(handle: RunHandle): Promise<RunState> {
    const folder = this.folderOf(handle);
    const rec = folder.readJson<SlurmRecord>(RUN_FILES.slurm);
    const cancelRequested = folder.exists(RUN_FILES.cancel);
    if (!rec?.slurm_job_id) {
      return cancelRequested
        ? { phase: 'cancelled', message: 'Cancelled before it was submitted to Slurm.', exitCode: null }
        : { phase: 'failed', message: 'The job was never submitted: its run folder has no Slurm job record.', exitCode: null };
    }
    const id = String(rec.slurm_job_id);
    this.watched.add(id);
    let row: SlurmJobRow | undefined;
    try {
      row = (await this.queue(id)).get(id) ?? (await this.accounted(id));
    } catch (e) {
      return { phase: 'unknown', message: e instanceof Error ? e.message : String(e), transient: true, cluster: { jobId: id } };
    }
    if (row) {
      const exit = FINISHED(row) ? await this.exitFacts(folder) : undefined;
      const state = slurmRunState(row, { exit, cancelRequested, timeLimit: rec.time_limit });
      if (FINISHED(row)) this.watched.delete(id);
      return state;
    }
    // Slurm has forgotten the job and keeps no accounting: the run folder's exit record tells.
    const exit = await this.exitFacts(folder);
    if (!exit && !cancelRequested && Date.now() - Date.parse(rec.submitted_at) < JUST_SUBMITTED_MS) {
      return { phase: 'unknown', message: `Slurm does not list job ${id} yet.`, transient: true, cluster: { jobId: id } };
    }
    this.watched.delete(id);
    if (exit?.code === 0) return { phase: 'succeeded', exitCode: 0, cluster: { jobId: id } };
    if (cancelRequested) return { phase: 'cancelled', message: 'Cancelled.', exitCode: exit?.code ?? null, cluster: { jobId: id } };
    return {
      phase: 'failed',
      message: exit ? exitMessage(exit) : `Slurm no longer knows job ${id}, and the job left no exit record (it never ran, or its node was lost).`,
      exitCode: exit?.code ?? null,
      cluster: { jobId: id },
    };
  }

  /** squeue for every watched job at once; answers within SNAPSHOT_MS share one call. */
  private async queue(id?: string): Promise<Map<string, SlurmJobRow>> {
    for (;;) {
      const s = this.snapshot;
      if (s && Date.now() - s.at < SNAPSHOT_MS && (!id || s.ids.has(id))) return s.rows;
      // A call already under way may not include this id: wait for it, then look again.
      if (this.inflight) {
        await this.inflight.catch(() => undefined);
        if (this.snapshot && id && !this.snapshot.ids.has(id)) this.snapshot = undefined;
        continue;
      }
      return this.query();
    }
  }

  private query(): Promise<Map<string, SlurmJobRow>> {
    const ids = new Set(this.watched);
    this.inflight = (async () => {
      try {
        const out = ids.size ? await this.cli.run('squeue', ['-h', '--states=all', `--jobs=${[...ids].join(',')}`, '-o', SQUEUE_FORMAT]) : '';
        const rows = parseJobRows(out);
        this.snapshot = { at: Date.now(), rows, ids };
        return rows;
      } catch (e) {
        // Every id asked for is unknown to the controller (finished long ago, or a controller that lost its state).
        if (e instanceof SlurmCommandError && /Invalid job id/i.test(e.message)) {
          const rows = new Map<string, SlurmJobRow>();
          this.snapshot = { at: Date.now(), rows, ids };
          return rows;
        }
        throw e;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** sacct's record of a job squeue no longer shows, where the cluster keeps accounting. */
  private async accounted(id: string): Promise<SlurmJobRow | undefined> {
    if (this.accounting === false) return undefined;
    try {
      const out = await this.cli.run('sacct', ['-n', '-P', '-X', `--jobs=${id}`, '--format=JobID,State,Reason,NodeList']);
      this.accounting = true;
      return parseJobRows(out).get(id);
    } catch (e) {
      if (e instanceof SlurmCommandError && /accounting storage is disabled/i.test(e.message)) this.accounting = false;
      return undefined;
    }
  }

  private async exitFacts(folder: RunFolder) {
    const exit = folder.readJson<ExitRecord>(RUN_FILES.exit);
    if (!exit) return undefined;
    const code = typeof exit.code === 'number' ? exit.code : null;
    return { code, signal: exit.signal, errorLine: code === 0 ? undefined : await folder.lastErrorLine() };
  }

  async readOutputs(handle: RunHandle, fromOffset: number): Promise<ReadOutputsResult> {
    return this.folderOf(handle).readOutputs(fromOffset);
  }

  /**
   * scancel: a running job gets SIGTERM (batch shell and steps) and the
   * grace period, then Slurm's kill; a pending one is simply removed. Waits
   * until Slurm reports the job out of the running states.
   */
  async cancel(handle: RunHandle, graceMs = this.graceMs): Promise<void> {
    const folder = this.folderOf(handle);
    if (!folder.exists(RUN_FILES.cancel)) folder.writeJson(RUN_FILES.cancel, { requested_at: this.now().toISOString() } satisfies CancelRecord);
    const id = folder.readJson<SlurmRecord>(RUN_FILES.slurm)?.slurm_job_id;
    if (!id) return;
    this.watched.add(String(id));
    const current = async () => {
      this.snapshot = undefined;
      return (await this.queue(String(id))).get(String(id));
    };
    const row = await current();
    if (!row || FINISHED(row)) return;
    if (slurmOutcome(row.state).kind === 'running' && graceMs > 0) {
      // Signalling a job that is not running makes scancel retry until it starts: only running jobs get the grace.
      await this.cli.run('scancel', ['--full', '--signal=TERM', String(id)]).catch(() => undefined);
      if (await this.waitUntil(async () => FINISHED(await current()), graceMs)) return;
    }
    await this.cli.run('scancel', [String(id)]).catch((e: unknown) => {
      if (!(e instanceof SlurmCommandError && /already completing or completed|Invalid job id/i.test(e.message))) throw e;
    });
    await this.waitUntil(async () => {
      const r = await current();
      return !r || FINISHED(r);
    }, 15_000);
  }

  private async waitUntil(done: () => Promise<boolean>, ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    for (;;) {
      if (await done().catch(() => false)) return true;
      if (Date.now() >= end) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async reattach(handle: RunHandle): Promise<RunState> {
    const id = handle.slurmJobId ?? this.recoverHandle(handle.jobId)?.slurmJobId;
    if (id) this.watched.add(id);
    return this.status(handle);
  }

  async logs(handle: RunHandle, opts: { tailLines?: number } = {}): Promise<string[]> {
    return this.folderOf(handle).tail(RUN_FILES.stdout, opts.tailLines ?? 100);
  }

  followLogs(handle: RunHandle, signal: AbortSignal, opts: FollowLogsOptions = {}): AsyncIterable<string> {
    const folder = this.folderOf(handle);
    return folder.follow(RUN_FILES.stdout, signal, {
      pollMs: this.options.pollMs ?? 200,
      finishedCheckMs: 1000,
      tailLines: opts.tailLines,
      isFinished: async () => {
        if (folder.exists(RUN_FILES.exit)) return true;
        const state = await this.status(handle);
        return state.phase === 'succeeded' || state.phase === 'failed' || state.phase === 'cancelled';
      },
    });
  }

  /** The cluster's partitions with idle / allocated nodes (settings page). */
  async partitions(): Promise<SlurmPartition[]> {
    return parseSinfo(await this.cli.run('sinfo', ['-h', '-o', SINFO_FORMAT]));
  }

  /** The folder is always derived from the state dir and the job id: a stored runDir is never trusted as a path. */
  private folderOf(handle: RunHandle): RunFolder {
    return RunFolder.forJob(this.options.stateDir, handle.jobId);
  }
}
