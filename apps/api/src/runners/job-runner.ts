/**
 * The one contract between the job supervisor and whatever runs the GPU
 * work. Two implementations: `local` (a detached process group per job on
 * this machine) and `cml` (a CML job + job run per job, through API v2).
 *
 * Both use the same run folder protocol (`<stateDir>/job_runs/<job_id>/`):
 * `spec.json` in, `events.jsonl` + `stdout.log` out, so progress and logs are
 * read the same way whichever runner started the work (see run-folder.ts).
 *
 * Everything here is plain TypeScript: no Nest, no database. A handle is
 * plain JSON so the supervisor can store it in the job's event and give it
 * back to a fresh runner after a restart.
 */

export type JobKind = 'fine_tune' | 'evaluate' | 'compare' | 'export_merge';
export const JOB_KINDS: readonly JobKind[] = ['fine_tune', 'evaluate', 'compare', 'export_merge'];

export interface RunResources {
  /** vCPUs per node. */
  cpu: number;
  /** GB of memory per node. */
  memoryGb: number;
  /** GPUs per node (local: the number of GPU slots the run takes, at least 1). */
  gpus: number;
  /** CML accelerator label; ignored by the local runner; sent only when > 0. */
  gpuLabelId?: number;
  /** Nodes; > 1 only makes sense on CML (the launcher starts the extra workers) and Slurm (srun + torchrun). */
  numWorkers: number;
  /** Slurm: the job's time limit (`--time`, e.g. '2:00:00'); the runner's setting when absent. */
  timeLimit?: string;
}

export interface RunRequest {
  jobId: string;
  kind: JobKind;
  /** Written verbatim to `spec.json` before anything starts: the template's whole input. */
  spec: Record<string, unknown>;
  /**
   * The program, e.g. ['/usr/bin/python3', '<abs>/job-templates/fine_tune.py'].
   * The runner appends `--spec <run>/spec.json --events <run>/events.jsonl`.
   * Passed as an argument vector: never through a shell string.
   */
  command: string[];
  resources: RunResources;
  /** Extra environment for the job (added to the runner's base environment). */
  env?: Record<string, string>;
}

export type RunnerName = 'local' | 'cml' | 'cml-deploy' | 'slurm';

/** Plain JSON; store it with the job and hand it back after a restart. */
export interface RunHandle {
  runner: RunnerName;
  jobId: string;
  /** Absolute path of the run folder. */
  runDir: string;
  /** local: the wrapper's pid, which is also the process group id. */
  pid?: number;
  cmlJobId?: string;
  cmlRunId?: string;
  /** cml-deploy: the CML model and its build (the deployment is found from the build). */
  cmlModelId?: string;
  cmlBuildId?: string;
  /** slurm: the job id sbatch answered. */
  slurmJobId?: string;
}

export type RunPhase = 'pending' | 'scheduling' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

/**
 * The exit code by which a template says "this failure is not mine, run me
 * again" (EX_TEMPFAIL): a lost connection to the hub, a device that vanished.
 */
export const RETRYABLE_EXIT_CODE = 75;

export const TERMINAL_PHASES: readonly RunPhase[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminalPhase = (p: RunPhase) => TERMINAL_PHASES.includes(p);

export interface RunState {
  phase: RunPhase;
  /** A sentence for people: why it failed, what CML said, why the state is unknown. */
  message?: string;
  /** The process's exit code when known (local always; CML when the launcher wrote exit.json). */
  exitCode?: number | null;
  /** A stop was requested and the work has not stopped yet (local cancel in progress, CML ENGINE_STOPPING). */
  cancelling?: boolean;
  /**
   * Only with phase 'unknown': true when the observation failed for a reason
   * expected to pass (network, timeout, HTTP 5xx/429, ENGINE_UNKNOWN); false
   * when the API gave a lasting refusal (HTTP 404/401/403/400). The
   * supervisor decides how long it tolerates either before failing the job.
   */
  transient?: boolean;
  /** Where a scheduler placed the work (Slurm): its job id, the nodes, why it still waits. */
  cluster?: ClusterPlacement;
  /**
   * With phase 'failed': the cause was outside the job and the user (a node
   * failed, the job was preempted, the process was killed by a signal we did
   * not send or is gone, the template exited with RETRYABLE_EXIT_CODE);
   * running it again from its newest checkpoint can succeed.
   */
  retryable?: boolean;
}

export interface ClusterPlacement {
  jobId: string;
  /** The scheduler's state name, e.g. PENDING, RUNNING, TIMEOUT. */
  state?: string;
  /** Slurm's node list expression, e.g. 'gpu[01-02]'; empty while pending. */
  nodes?: string;
  /** Why a pending job waits (Resources, Priority, QOSMaxJobsPerUser…). */
  reason?: string;
}

export interface ProgressPoint {
  step: number;
  epoch?: number;
  loss?: number;
  eval_loss?: number;
  learning_rate?: number;
  grad_norm?: number;
  total_steps?: number;
  /** Epoch milliseconds (the template writes unix seconds; converted here). */
  ts: number;
}

/**
 * One line of `events.jsonl`. `offset` is the byte offset just AFTER the
 * line: `readOutputs(handle, output.offset)` resumes with the next line, so
 * the supervisor can store it together with whatever it made of the output.
 */
export type RunOutput =
  | { type: 'progress'; point: ProgressPoint; offset: number }
  | { type: 'log' | 'artifact' | 'result'; data: Record<string, unknown>; offset: number }
  | { type: 'checkpoint'; checkpoint: CheckpointOutput; offset: number };

/** A checkpoint the template finished saving (written completely before it is reported). */
export interface CheckpointOutput {
  step: number;
  epoch?: number;
  loss?: number;
  eval_loss?: number;
  /** As the template wrote it (absolute, or relative to the project). */
  path: string;
  /** Epoch milliseconds. */
  ts: number;
}

export interface ReadOutputsResult {
  outputs: RunOutput[];
  /** Where the next call starts: after the last complete line read (== fromOffset when nothing new). */
  nextOffset: number;
}

export interface FollowLogsOptions {
  /** Start with the last N lines instead of the whole file. */
  tailLines?: number;
}

export interface JobRunner {
  readonly name: RunnerName;

  /** How many GPU slots runs may hold at once; undefined where the runner queues work itself (CML). */
  readonly capacity?: number;

  /**
   * Whether `submit` would be refused for lack of capacity right now. The
   * local runner counts GPU slots of live runs; CML always has room (CML
   * queues the run itself). A request bigger than the whole machine answers
   * true: submit then fails with FAILED_PRECONDITION, which should fail the job.
   */
  hasFreeSlot(resources?: Pick<RunResources, 'gpus'>): boolean;

  /**
   * Why a run of these resources can never start on this runner (it asks
   * for more than the runner has in all), naming the capacity; undefined when
   * it fits. Optional: a runner that cannot know its capacity (CML queues
   * work itself) leaves it out. Start requests are refused with it
   * (FAILED_PRECONDITION), and the supervisor fails a queued job with it
   * instead of letting it block the jobs behind.
   */
  exceedsCapacity?(resources: Pick<RunResources, 'gpus'>): string | undefined;

  /**
   * Starts the work. Idempotent per job id: when the run folder already
   * records a started run (pid.json / cml.json), returns its handle and starts
   * nothing. Throws a DomainError: INVALID_ARGUMENT (bad request),
   * UNAVAILABLE (`RUNNER.NO_FREE_SLOT`, or CML unreachable),
   * FAILED_PRECONDITION (template missing, CML refused, too many GPUs).
   */
  submit(req: RunRequest): Promise<RunHandle>;

  /** One observation: cheap, idempotent, never throws for a transient failure. */
  status(handle: RunHandle): Promise<RunState>;

  /** Parsed `events.jsonl` lines from a byte offset; only complete lines. */
  readOutputs(handle: RunHandle, fromOffset: number): Promise<ReadOutputsResult>;

  /** Stops the work and waits for it (local: SIGTERM, SIGKILL after graceMs; CML: `:stop`). Idempotent. */
  cancel(handle: RunHandle, graceMs?: number): Promise<void>;

  /** After a server restart: takes the run back (slots, etc.) and says what happened meanwhile. */
  reattach(handle: RunHandle): Promise<RunState>;

  /** The handle recorded in the run folder for a job id, when a run was started (recovery without a stored handle). */
  recoverHandle(jobId: string): RunHandle | undefined;

  /** The last lines of `stdout.log` (default 100). */
  logs(handle: RunHandle, opts?: { tailLines?: number }): Promise<string[]>;

  /** `stdout.log` lines as they are written; ends on abort, or once the run has ended and everything is read. */
  followLogs(handle: RunHandle, signal: AbortSignal, opts?: FollowLogsOptions): AsyncIterable<string>;
}

/** Nest injection token for the configured runner (see runners.module.ts). */
export const JOB_RUNNER = Symbol('JOB_RUNNER');
