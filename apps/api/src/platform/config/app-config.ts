import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authTokensFromEnv, type TokenEntry } from '../auth/token-list.js';
import type { Durability } from '../database/group-commit.js';
import { DEFAULT_TEMPLATES_DIR, type TemplateSettings } from '../../supervisor/template-command.js';
import { DEFAULT_WEB_DIR } from '../../http/static-console.js';

/**
 * Everything the process reads from its environment, resolved once at
 * start-up: nothing else in the server reads `process.env`. Each part of the
 * server is handed its section (Nest injects APP_CONFIG; plain classes get
 * values as parameters). A setting that cannot be understood stops the start
 * with a ConfigError naming the variable; settings that have always fallen
 * back to their default on a bad value (FTS_CANCEL_GRACE_MS, FTS_GPU_SLOTS,
 * FTS_STREAM_STALL_MS, FTS_SLURM_RDZV_PORT, FTS_DURABILITY) still do.
 */
export interface AppConfig {
  /** Every path from a request must resolve inside this folder. */
  projectRoot: string;
  stateDir: string;
  dbPath: string;
  grpcHost: string;
  grpcPort: number;
  httpHost: string;
  httpPort: number;
  /** FTS_AUTH_TOKENS and FTS_AUTH_TOKEN: every token the server accepts, with its name and role; empty when auth is off. */
  authTokens: TokenEntry[];
  hfEndpoint: string;
  hfToken?: string;
  /** Milliseconds before a Hugging Face Hub call gives up (FTS_HF_TIMEOUT_MS). */
  hfTimeoutMs: number;
  /** The local Hugging Face hub cache: HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. */
  hfHubCacheDir: string;
  cml?: { apiUrl: string; apiKey: string; projectId: string };
  /** Seed the defaults into an empty database at start-up. */
  seed: boolean;
  /** MLFLOW_TRACKING_URI: where model_registry exports log and register the merged model. */
  mlflowTrackingUri?: string;
  /** FTS_DURABILITY: how a write is made durable before it is acknowledged (group-commit.ts). */
  durability: Durability;
  /** FTS_STREAM_STALL_MS: a client that has not read for this long while its buffer is full is dropped. */
  streamStallMs: number;
  /** FTS_WEB_DIR: the built console served at /. */
  webDir: string;
  /** FTS_LOOP_DELAY_REPORT: where the event-loop delay report is written on SIGWINCH (loop-delay.ts); off when unset. */
  loopDelayReport?: string;
  supervisor: SupervisorConfig;
  runner: RunnerConfig;
}

export interface SupervisorConfig {
  /** FTS_SUPERVISOR_TICK_MS: how often running jobs are polled (default 200). */
  tickMs: number;
  /** FTS_CANCEL_GRACE_MS: how long a cancelled job has to stop before it is forced (default 5000). */
  cancelGraceMs: number;
  /** FTS_RETRY_BACKOFF_MS: backoff base before an automatic retry (default 10000). */
  retryBackoffMs: number;
  /** FTS_TEMPLATES_DIR, FTS_JOB_TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS, FTS_PYTHON. */
  templates: TemplateSettings;
}

export interface SlurmConfig {
  /** FTS_SLURM_BIN_DIR: where sbatch and friends are, when not on PATH. */
  binDir?: string;
  /** FTS_SLURM_PARTITION, FTS_SLURM_ACCOUNT, FTS_SLURM_QOS, FTS_SLURM_TIME_LIMIT: defaults for every job. */
  partition?: string;
  account?: string;
  qos?: string;
  timeLimit?: string;
  /** FTS_SLURM_RDZV_PORT: the torchrun rendezvous port of multi-node jobs. */
  rdzvPort?: number;
}

export interface RunnerConfig {
  /** FTS_RUNNER, trimmed and lower-cased: local (default), cml or slurm (createJobRunner refuses anything else). */
  kind: string;
  /** FTS_GPU_SLOTS: the local runner's concurrency when the GPUs should not be detected. */
  gpuSlots?: number;
  /** FTS_CML_LAUNCHER: the launcher script of CML jobs, relative to the CML project. */
  cmlLauncher?: string;
  /** FTS_CML_PREDICT_SCRIPT: the predict script of cml_model exports, relative to the CML project. */
  cmlPredictScript?: string;
  slurm: SlurmConfig;
  /** The environment jobs start from (a copy of this process's, CUDA_VISIBLE_DEVICES and SLURM_CONF included). */
  jobEnv: NodeJS.ProcessEnv;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A setting the server cannot start with: the message names the variable and what it accepts. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

let processConfigOnce: AppConfig | undefined;

/** This process's configuration: `loadConfig()` of its environment, read the first time it is asked for (claim-state.ts, at start-up). */
export function processConfig(): AppConfig {
  return (processConfigOnce ??= loadConfig(process.env, process.cwd()));
}

/** The environment a job inherits when its runner was given none: this process's, as read at start-up. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return processConfig().runner.jobEnv;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const projectRoot = path.resolve(env.FTS_PROJECT_ROOT ?? cwd);
  const stateDir = path.resolve(projectRoot, env.FTS_STATE_DIR ?? '.app');
  const dbPath = path.resolve(projectRoot, env.FINE_TUNING_STUDIO_SQLITE_DB ?? path.join(stateDir, 'state.db'));
  const cml =
    env.CDSW_API_URL && env.CDSW_APIV2_KEY && env.CDSW_PROJECT_ID
      ? { apiUrl: env.CDSW_API_URL, apiKey: env.CDSW_APIV2_KEY, projectId: env.CDSW_PROJECT_ID }
      : undefined;
  return {
    projectRoot,
    stateDir,
    dbPath,
    grpcHost: env.FTS_GRPC_HOST ?? '127.0.0.1',
    grpcPort: port(env, env.FTS_GRPC_PORT !== undefined ? 'FTS_GRPC_PORT' : 'FINE_TUNING_SERVICE_PORT', 50051),
    httpHost: env.FTS_HTTP_HOST ?? '127.0.0.1',
    httpPort: port(env, 'FTS_HTTP_PORT', 8080),
    authTokens: authTokensFromEnv(env, cwd),
    hfEndpoint: (env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, ''),
    hfToken: env.HUGGINGFACE_ACCESS_TOKEN || env.HF_TOKEN || undefined,
    hfTimeoutMs: wholeNumber(env, 'FTS_HF_TIMEOUT_MS', 10000, 1),
    hfHubCacheDir: hubCacheDir(env),
    cml,
    seed: env.FTS_SEED !== '0',
    mlflowTrackingUri: env.MLFLOW_TRACKING_URI?.trim() || undefined,
    durability: durabilityOf(env),
    streamStallMs: stallLimitMs(env),
    webDir: env.FTS_WEB_DIR ? path.resolve(env.FTS_WEB_DIR) : DEFAULT_WEB_DIR,
    loopDelayReport: env.FTS_LOOP_DELAY_REPORT || undefined,
    supervisor: {
      tickMs: wholeNumber(env, 'FTS_SUPERVISOR_TICK_MS', 200, 1),
      cancelGraceMs: cancelGraceMs(env),
      retryBackoffMs: wholeNumber(env, 'FTS_RETRY_BACKOFF_MS', 10_000, 0),
      templates: templateSettings(env, projectRoot),
    },
    runner: runnerConfig(env),
  };
}

/** The runner settings (FTS_RUNNER, FTS_GPU_SLOTS, FTS_CML_*, FTS_SLURM_*) and the jobs' base environment. */
export function runnerConfig(env: NodeJS.ProcessEnv): RunnerConfig {
  const setting = (name: string) => env[name]?.trim() || undefined;
  const slots = Number(env.FTS_GPU_SLOTS);
  const rdzvPort = Number(env.FTS_SLURM_RDZV_PORT);
  return {
    kind: (env.FTS_RUNNER ?? 'local').trim().toLowerCase(),
    ...(Number.isInteger(slots) && slots > 0 ? { gpuSlots: slots } : {}),
    ...(env.FTS_CML_LAUNCHER ? { cmlLauncher: env.FTS_CML_LAUNCHER } : {}),
    ...(env.FTS_CML_PREDICT_SCRIPT ? { cmlPredictScript: env.FTS_CML_PREDICT_SCRIPT } : {}),
    slurm: {
      binDir: setting('FTS_SLURM_BIN_DIR'),
      partition: setting('FTS_SLURM_PARTITION'),
      account: setting('FTS_SLURM_ACCOUNT'),
      qos: setting('FTS_SLURM_QOS'),
      timeLimit: setting('FTS_SLURM_TIME_LIMIT'),
      ...(Number.isInteger(rdzvPort) && rdzvPort > 0 && rdzvPort < 65536 ? { rdzvPort } : {}),
    },
    jobEnv: { ...env },
  };
}

export const DEFAULT_CANCEL_GRACE_MS = 5000;
/** A day: a longer grace is a typo, not a wish. */
const MAX_CANCEL_GRACE_MS = 24 * 60 * 60 * 1000;

/** FTS_CANCEL_GRACE_MS (default 5000); a value that is not a whole number of ms from 0 to a day falls back to the default. */
export function cancelGraceMs(env: NodeJS.ProcessEnv): number {
  const raw = env.FTS_CANCEL_GRACE_MS?.trim();
  if (!raw) return DEFAULT_CANCEL_GRACE_MS;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= MAX_CANCEL_GRACE_MS ? n : DEFAULT_CANCEL_GRACE_MS;
}

/** FTS_DURABILITY: group (default), full or normal. */
export function durabilityOf(env: NodeJS.ProcessEnv): Durability {
  const v = env.FTS_DURABILITY?.trim().toLowerCase();
  return v === 'full' || v === 'normal' ? v : 'group';
}

/** FTS_STREAM_STALL_MS (default 30 s). */
export function stallLimitMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.FTS_STREAM_STALL_MS);
  return Number.isInteger(n) && n > 0 ? n : 30_000;
}

/** The Hugging Face hub cache folder, as huggingface_hub resolves it. */
export function hubCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'hub');
}

/** The job templates and the interpreter that runs them. */
export function templateSettings(env: NodeJS.ProcessEnv, projectRoot: string): TemplateSettings {
  const templatesDir = path.resolve(projectRoot, env.FTS_TEMPLATES_DIR ?? DEFAULT_TEMPLATES_DIR);
  let overrideOptions: Record<string, unknown> = {};
  if (env.FTS_JOB_TEMPLATE_OPTIONS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.FTS_JOB_TEMPLATE_OPTIONS);
    } catch (e) {
      throw new ConfigError(`FTS_JOB_TEMPLATE_OPTIONS must be a JSON object: ${(e as Error).message}.`);
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) overrideOptions = parsed as Record<string, unknown>;
  }
  return {
    templatesDir,
    override: env.FTS_JOB_TEMPLATE ? path.resolve(projectRoot, env.FTS_JOB_TEMPLATE) : undefined,
    overrideOptions,
    python: env.FTS_PYTHON ?? pickPython(templatesDir),
  };
}

/** job-templates/.venv (npm run setup:python) when present, else Debian's python3. */
function pickPython(templatesDir: string): string {
  for (const p of [path.join(templatesDir, '.venv/bin/python'), '/usr/bin/python3']) if (fs.existsSync(p)) return p;
  return 'python3';
}

/** A whole number of at least `min`, or the default when unset or empty. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number of at least ${min}, not '${env[name]}'.`);
  return n;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number from 0 to 65535, not '${env[name]}'.`);
  return n;
}
