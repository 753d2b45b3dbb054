import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { failedPrecondition, unavailable } from '@fts/domain';
import type {
  FollowLogsOptions,
  JobRunner,
  ReadOutputsResult,
  RunHandle,
  RunRequest,
  RunResources,
  RunState,
} from '../job-runner.js';
import { RETRYABLE_EXIT_CODE } from '../job-runner.js';
import { RUN_FILES, RunFolder, type CancelRecord, type ExitRecord } from '../run-folder.js';
import { validateRunRequest } from '../run-request.js';
import { EXIT_WRAPPER } from '../exit-wrapper.js';
import { jobEnvironment } from '../job-env.js';
import { GpuSlots, detectGpuDevices } from './gpu-slots.js';
import { bootId, groupAlive, groupExists, processStartTicks, signalGroup, validPgid, waitFor } from './process-group.js';
import { inheritedEnv } from '../../platform/config/app-config.js';

export interface LocalRunnerOptions {
  /** `.app`: run folders go to `<stateDir>/job_runs/<job_id>/`. */
  stateDir: string;
  /** Working directory of the jobs (the project root). Default: process.cwd(). */
  cwd?: string;
  /**
   * GPU slots: device ids (each run gets CUDA_VISIBLE_DEVICES = its own
   * devices), or a count (no device assignment). Default: the visible GPUs
   * (CUDA_VISIBLE_DEVICES, else `nvidia-smi -L`), else 1 anonymous slot.
   */
  gpus?: readonly string[] | number;
  /** Base environment of the jobs. Default: this process's (inheritedEnv). */
  env?: NodeJS.ProcessEnv;
  /** Names removed from the base environment (secrets the templates never need). */
  dropEnv?: readonly string[];
  /** SIGTERM → SIGKILL grace for cancel(). Default 5000 ms. */
  graceMs?: number;
  /** followLogs polling fallback. Default 200 ms. */
  pollMs?: number;
  /** The POSIX shell that runs the exit-recording wrapper. Default /bin/sh. */
  shell?: string;
  now?: () => Date;
}

/** What pid.json holds. */
export interface PidRecord {
  pid: number;
  pgid: number;
  started_at: string;
  /** /proc/sys/kernel/random/boot_id at start: a run from another boot is gone. */
  boot_id?: string;
  /** The wrapper's start time in ticks: tells the wrapper from a later process with the same pid. */
  start_ticks?: string;
  /** GPU slot indices held, and the CUDA_VISIBLE_DEVICES the run got. */
  slots: number[];
  cuda_visible_devices?: string;
}

export const PROCESS_GONE =
  "The job's process is gone (the machine restarted or it was killed) and left no exit record.";


/**
 * Runs each job as a detached process group on this machine. State lives
 * in the run folder, not in this object: a fresh instance (after a server
 * restart) reattaches from pid.json / exit.json / cancel.json alone.
 */
export class LocalRunner implements JobRunner {
  readonly name = 'local' as const;
  private readonly slots: GpuSlots;
  /** Runs holding slots, by job id. */
  private readonly live = new Map<string, PidRecord>();
  private readonly graceMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: LocalRunnerOptions) {
    const gpus = options.gpus ?? detectGpuDevices(options.env ?? inheritedEnv());
    this.slots = new GpuSlots(Array.isArray(gpus) && gpus.length === 0 ? 1 : gpus);
    this.graceMs = options.graceMs ?? 5000;
    this.now = options.now ?? (() => new Date());
  }

  /** Total GPU slots. */
  get capacity(): number {
    return this.slots.capacity;
  }

  /** Slots held by runs that are still alive (finished runs are let go first). */
  slotsInUse(): number {
    this.sweep();
    return this.slots.inUse();
  }

  /** Job ids of the runs holding slots. */
  liveJobs(): string[] {
    this.sweep();
    return this.slots.jobs();
  }

  exceedsCapacity(resources: Pick<RunResources, 'gpus'>): string | undefined {
    if (slotsNeeded(resources) <= this.slots.capacity) return undefined;
    return `The job asks for ${resources.gpus} GPUs, but this machine has ${this.slots.capacity} GPU slot(s) (FTS_GPU_SLOTS or the GPUs found).`;
  }

  hasFreeSlot(resources?: Pick<RunResources, 'gpus'>): boolean {
    const need = slotsNeeded(resources);
    if (need > this.slots.capacity) return true; // submit will refuse it outright
    this.sweep();
    return this.slots.free() >= need;
  }

  recoverHandle(jobId: string): RunHandle | undefined {
    const folder = RunFolder.forJob(this.options.stateDir, jobId);
    const rec = folder.readJson<PidRecord>(RUN_FILES.pid);
    if (!rec) return undefined;
    return { runner: 'local', jobId, runDir: folder.dir, pid: rec.pid };
  }

  async submit(req: RunRequest): Promise<RunHandle> {
    validateRunRequest(req);
    const folder = RunFolder.forJob(this.options.stateDir, req.jobId);
    const existing = this.recoverHandle(req.jobId);
    if (existing) {
      await this.reattach(existing);
      return existing;
    }
    const need = slotsNeeded(req.resources);
    const tooBig = this.exceedsCapacity(req.resources);
    if (tooBig) throw failedPrecondition('RUNNER.NOT_ENOUGH_GPUS', tooBig);
    this.sweep();
    // Reserved synchronously, before any await: two submits cannot take the same slot.
    const slots = this.slots.acquire(req.jobId, need);
    if (!slots) {
      throw unavailable(
        'RUNNER.NO_FREE_SLOT',
        `All ${this.slots.capacity} GPU slot(s) are busy; the job waits until one is free.`,
      );
    }
    try {
      return await this.start(req, folder, slots);
    } catch (e) {
      this.slots.release(req.jobId);
      throw e;
    }
  }

  private async start(req: RunRequest, folder: RunFolder, slots: number[]): Promise<RunHandle> {
    const cudaVisibleDevices = this.slots.cudaVisibleDevices(slots);
    const specPath = folder.path(RUN_FILES.spec);
    const eventsPath = folder.path(RUN_FILES.events);
    const argv = [...req.command, '--spec', specPath, '--events', eventsPath];
    folder.prepare(req.spec, {
      runner: 'local',
      job_id: req.jobId,
      kind: req.kind,
      command: argv,
      resources: req.resources,
      slots,
      ...(cudaVisibleDevices !== undefined ? { cuda_visible_devices: cudaVisibleDevices } : {}),
      created_at: this.now().toISOString(),
    });

    const env = jobEnvironment(this.options.env ?? inheritedEnv(), req, folder.dir, this.options.dropEnv);
    if (cudaVisibleDevices !== undefined) env.CUDA_VISIBLE_DEVICES = cudaVisibleDevices;

    const out = fs.openSync(folder.path(RUN_FILES.stdout), 'a');
    let child;
    try {
      child = spawn(this.options.shell ?? '/bin/sh', ['-c', EXIT_WRAPPER, 'fts-job', folder.dir, ...argv], {
        cwd: this.options.cwd ?? process.cwd(),
        env,
        detached: true, // setsid: its own session and process group (pgid = pid)
        stdio: ['ignore', out, out],
      });
    } finally {
      fs.closeSync(out);
    }
    child.on('error', () => undefined); // a failed spawn is reported through `once(child, 'error')` below
    const pid = child.pid;
    if (pid === undefined) {
      const [err] = (await once(child, 'error').catch((e: unknown) => [e])) as [Error];
      throw unavailable('RUNNER.SPAWN_FAILED', `The job's process could not be started: ${err?.message ?? 'unknown error'}.`);
    }
    // Recorded in the same tick as the spawn, so a restart always finds it.
    const rec: PidRecord = {
      pid,
      pgid: pid,
      started_at: this.now().toISOString(),
      boot_id: bootId(),
      start_ticks: processStartTicks(pid),
      slots,
      ...(cudaVisibleDevices !== undefined ? { cuda_visible_devices: cudaVisibleDevices } : {}),
    };
    folder.writeJson(RUN_FILES.pid, rec);
    child.unref();
    this.live.set(req.jobId, rec);
    return { runner: 'local', jobId: req.jobId, runDir: folder.dir, pid };
  }

  async status(handle: RunHandle): Promise<RunState> {
    const folder = this.folderOf(handle);
    const cancelRequested = folder.exists(RUN_FILES.cancel);
    const exit = folder.readJson<ExitRecord>(RUN_FILES.exit);
    if (exit) return this.finished(handle.jobId, folder, exit, cancelRequested);
    const rec = folder.readJson<PidRecord>(RUN_FILES.pid);
    if (!rec) {
      return cancelRequested
        ? { phase: 'cancelled', message: 'Cancelled before the process started.', exitCode: null }
        : { phase: 'failed', message: 'The job was never started: its run folder has no process record.', exitCode: null };
    }
    if (this.isAlive(rec)) return cancelRequested ? { phase: 'running', cancelling: true } : { phase: 'running' };
    // It may have ended between the two reads.
    const late = folder.readJson<ExitRecord>(RUN_FILES.exit);
    if (late) return this.finished(handle.jobId, folder, late, cancelRequested);
    this.release(handle.jobId);
    return cancelRequested
      ? { phase: 'cancelled', message: 'Cancelled; the process was stopped before it wrote an exit record.', exitCode: null }
      : { phase: 'failed', message: PROCESS_GONE, exitCode: null, retryable: true };
  }

  private async finished(jobId: string, folder: RunFolder, exit: ExitRecord, cancelRequested: boolean): Promise<RunState> {
    this.release(jobId);
    const code = typeof exit.code === 'number' ? exit.code : null;
    // Exit 0 is a real result even when a cancel raced with the end.
    if (code === 0) return { phase: 'succeeded', exitCode: 0 };
    if (cancelRequested) return { phase: 'cancelled', message: 'Cancelled.', exitCode: code };
    const how =
      code === null
        ? `was killed${exit.signal ? ` by ${exit.signal}` : ''}`
        : `exited with code ${code}${exit.signal ? ` (${exit.signal})` : ''}`;
    const line = await folder.lastErrorLine();
    // A signal we did not send (cancel writes cancel.json first): the OOM killer, an operator, a reboot.
    const retryable = exit.signal !== null && exit.signal !== undefined ? true : code === RETRYABLE_EXIT_CODE;
    return { phase: 'failed', message: line ? `${how}: ${line}` : how, exitCode: code, ...(retryable ? { retryable } : {}) };
  }

  async readOutputs(handle: RunHandle, fromOffset: number): Promise<ReadOutputsResult> {
    return this.folderOf(handle).readOutputs(fromOffset);
  }

  async cancel(handle: RunHandle, graceMs = this.graceMs): Promise<void> {
    const folder = this.folderOf(handle);
    if (folder.exists(RUN_FILES.exit)) return this.release(handle.jobId);
    if (!folder.exists(RUN_FILES.cancel)) {
      folder.writeJson(RUN_FILES.cancel, { requested_at: this.now().toISOString() } satisfies CancelRecord);
    }
    const rec = folder.readJson<PidRecord>(RUN_FILES.pid);
    if (!rec || !validPgid(rec.pgid)) return this.release(handle.jobId);
    if (this.isAlive(rec)) {
      signalGroup(rec.pgid, 'SIGTERM');
      let gone = await waitFor(() => !groupAlive(rec.pgid), graceMs);
      let signal = 'SIGTERM';
      if (!gone) {
        signalGroup(rec.pgid, 'SIGKILL');
        signal = 'SIGKILL';
        gone = await waitFor(() => !groupAlive(rec.pgid), 5000);
      }
      if (!gone) {
        throw unavailable('RUNNER.CANCEL_FAILED', `The job's processes (group ${rec.pgid}) did not stop after SIGKILL.`);
      }
      // Best effort: give init a moment to reap the zombies, so that nothing of the group is left to see.
      await waitFor(() => !groupExists(rec.pgid), 2000);
      if (!folder.exists(RUN_FILES.exit)) {
        // The wrapper died too (SIGKILL): complete the record ourselves.
        folder.writeJson(RUN_FILES.exit, {
          code: null,
          signal,
          finished_at: this.now().toISOString(),
          recorded_by: 'runner',
        } satisfies ExitRecord);
      }
    }
    this.release(handle.jobId);
  }

  async reattach(handle: RunHandle): Promise<RunState> {
    const folder = this.folderOf(handle);
    const rec = folder.readJson<PidRecord>(RUN_FILES.pid);
    if (rec && !folder.exists(RUN_FILES.exit) && this.isAlive(rec)) {
      this.slots.restore(handle.jobId, Array.isArray(rec.slots) ? rec.slots : [], Array.isArray(rec.slots) ? rec.slots.length : 1);
      this.live.set(handle.jobId, rec);
    }
    return this.status(handle);
  }

  async logs(handle: RunHandle, opts: { tailLines?: number } = {}): Promise<string[]> {
    return this.folderOf(handle).tail(RUN_FILES.stdout, opts.tailLines ?? 100);
  }

  followLogs(handle: RunHandle, signal: AbortSignal, opts: FollowLogsOptions = {}): AsyncIterable<string> {
    const folder = this.folderOf(handle);
    return folder.follow(RUN_FILES.stdout, signal, {
      pollMs: this.options.pollMs ?? 200,
      tailLines: opts.tailLines,
      isFinished: () => {
        if (folder.exists(RUN_FILES.exit)) return true;
        const rec = folder.readJson<PidRecord>(RUN_FILES.pid);
        return !rec || !this.isAlive(rec);
      },
    });
  }

  /** The folder is always derived from the state dir and the job id: a stored runDir is never trusted as a path. */
  private folderOf(handle: RunHandle): RunFolder {
    return RunFolder.forJob(this.options.stateDir, handle.jobId);
  }

  private isAlive(rec: PidRecord): boolean {
    if (!validPgid(rec.pgid)) return false;
    const boot = bootId();
    if (rec.boot_id && boot && rec.boot_id !== boot) return false;
    if (rec.start_ticks && validPgid(rec.pid)) {
      const ticks = processStartTicks(rec.pid);
      // The pid now names another process: the wrapper is gone, and Linux never
      // reuses a pid while a group with that id still has members.
      if (ticks !== undefined && ticks !== rec.start_ticks) return false;
    }
    return groupAlive(rec.pgid);
  }

  private release(jobId: string): void {
    this.live.delete(jobId);
    this.slots.release(jobId);
  }

  /** Lets go of the slots of runs that have ended (exit record written, or group gone). */
  private sweep(): void {
    for (const [jobId, rec] of [...this.live]) {
      const folder = RunFolder.forJob(this.options.stateDir, jobId);
      if (folder.exists(RUN_FILES.exit) || !this.isAlive(rec)) this.release(jobId);
    }
  }
}

/** Slots a run takes: its GPUs, at least one. */
export function slotsNeeded(resources?: Pick<RunResources, 'gpus'>): number {
  const gpus = resources?.gpus;
  return typeof gpus === 'number' && Number.isFinite(gpus) && gpus > 1 ? Math.ceil(gpus) : 1;
}
