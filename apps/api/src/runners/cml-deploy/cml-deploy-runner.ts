import fs from 'node:fs';
import { failedPrecondition, invalidArgument } from '@fts/domain';
import {
  isTerminalPhase,
  type FollowLogsOptions,
  type JobRunner,
  type ReadOutputsResult,
  type RunHandle,
  type RunRequest,
  type RunState,
} from '../job-runner.js';
import { RUN_FILES, RunFolder, type CancelRecord } from '../run-folder.js';
import {
  CmlApiClient,
  CmlApiError,
  type CmlApiOptions,
  type CmlJob,
  type CmlModel,
  type CmlModelDeployment,
  type CreateModelBody,
  type CreateModelBuildBody,
} from '../cml/cml-api.client.js';
import { parseDeploySpec, type CmlDeploySpec } from './cml-deploy-spec.js';
import { apiReasonOf, buildFailure, buildPhaseOf, deploymentPhaseOf } from './cml-deploy-status.js';

export interface CmlDeployRunnerOptions {
  /** The API client, or the options to build one (CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID). */
  api: CmlApiClient | CmlApiOptions;
  /** `.app`: run folders live in `<stateDir>/job_runs/<export id>/`. */
  stateDir: string;
  /** The template job whose runtime the model build uses. Default Accel_Finetuning_Base_Job. */
  templateJob?: string;
  /** The predict script, relative to the CML project. Default job-templates/cml_model_predict.py. */
  predictScript?: string;
  /** followLogs: how often CML is asked whether the deployment has settled. Default 5 s. */
  finishedCheckMs?: number;
  /** followLogs: file polling fallback. Default 200 ms. */
  pollMs?: number;
  now?: () => Date;
}

export const DEFAULT_DEPLOY_TEMPLATE_JOB = 'Accel_Finetuning_Base_Job';
export const DEFAULT_PREDICT_SCRIPT = 'job-templates/cml_model_predict.py';
export const PREDICT_FUNCTION = 'api_wrapper';

/** What cml.json holds for a deployment. */
export interface CmlDeployRecord {
  runner: 'cml-deploy';
  model_name: string;
  /** Models that already had this name before we created ours: never taken for ours when recovering. */
  preexisting_model_ids: string[];
  cml_model_id?: string;
  access_key?: string;
  cml_build_id?: string;
  cml_deployment_id?: string;
  /** The `result` line was appended to events.jsonl. */
  result_written?: boolean;
  /** Keys of the one-time log lines already written. */
  noted?: string[];
  created_at: string;
}

/**
 * The cml_model export (spec/jobs.md §4, §5): one CML model, one build of
 * job-templates/cml_model_predict.py with the template job's runtime, and
 * the deployment CML starts on its own (auto_deploy_model). Differences
 * from the original: authentication stays on unless the request turned it
 * off, the resources and replicas come from the request, and the runtime
 * comes from the template that exists (Accel_Finetuning_Base_Job).
 *
 * Run folder (`<stateDir>/job_runs/<export id>/`): spec.json (the deploy
 * spec), launch.json, cml.json (the CML ids: makes submit idempotent and
 * lets a fresh instance reattach), stdout.log (one line per API step, read
 * by logs()/followLogs()), events.jsonl (`log` lines, and one `result` with
 * the CML ids once the deployment is serving), cancel.json.
 *
 * Phases: build pending/queued/pushing/building → scheduling; built and
 * deployment starting → running; deployed → succeeded; build failed,
 * timed out, deployment failed or stopped (not by us) → failed; stopped
 * after a cancel → cancelled. A cancel stops the deployment; one asked for
 * before the deployment exists is carried out by status() as soon as it
 * does (the build itself cannot be stopped through API v2).
 */
export class CmlDeployRunner implements JobRunner {
  readonly name = 'cml-deploy' as const;
  readonly api: CmlApiClient;
  private readonly templateJob: string;
  private readonly predictScript: string;
  private readonly now: () => Date;

  constructor(private readonly options: CmlDeployRunnerOptions) {
    this.api = options.api instanceof CmlApiClient ? options.api : new CmlApiClient(options.api);
    this.templateJob = options.templateJob ?? DEFAULT_DEPLOY_TEMPLATE_JOB;
    this.predictScript = options.predictScript ?? DEFAULT_PREDICT_SCRIPT;
    this.now = options.now ?? (() => new Date());
  }

  /** CML queues builds itself. */
  hasFreeSlot(): boolean {
    return true;
  }

  recoverHandle(jobId: string): RunHandle | undefined {
    const folder = RunFolder.forJob(this.options.stateDir, jobId);
    const rec = this.record(folder);
    if (!rec?.cml_model_id || !rec.cml_build_id) return undefined;
    return { runner: 'cml-deploy', jobId, runDir: folder.dir, cmlModelId: rec.cml_model_id, cmlBuildId: rec.cml_build_id };
  }

  /**
   * create_model → create_model_build (auto-deploy). Idempotent per job id:
   * the ids are kept in cml.json after each step, and a create whose answer
   * was lost is found again instead of repeated.
   */
  async submit(req: RunRequest): Promise<RunHandle> {
    const folder = RunFolder.forJob(this.options.stateDir, req.jobId);
    const spec = parseDeploySpec(req.spec);
    const existing = this.recoverHandle(req.jobId);
    if (existing) return existing;

    let rec = this.record(folder);
    if (!rec) {
      folder.prepare(spec as unknown as Record<string, unknown>, {
        runner: 'cml-deploy',
        job_id: req.jobId,
        kind: spec.kind,
        model_name: spec.model_name,
        template: this.templateJob,
        predict_script: this.predictScript,
        created_at: this.now().toISOString(),
      });
    }
    // The runtime first: a missing template must not leave a model behind.
    const runtime = await this.templateRuntime(folder);

    if (!rec) {
      const preexisting = (await this.api.listModels({ name: spec.model_name })).filter((m) => m.name === spec.model_name).map((m) => m.id);
      rec = { runner: 'cml-deploy', model_name: spec.model_name, preexisting_model_ids: preexisting, created_at: this.now().toISOString() };
      folder.writeJson(RUN_FILES.cml, rec);
      if (preexisting.length > 0) this.note(folder, 'info', `CML already has ${preexisting.length} model(s) named '${spec.model_name}'; creating another one.`);
    }
    if (!rec.cml_model_id) {
      const before = rec.preexisting_model_ids;
      const ours = async (): Promise<CmlModel | undefined> =>
        (await this.api.listModels({ name: spec.model_name })).find((m) => m.name === spec.model_name && !before.includes(m.id));
      this.note(folder, 'info', `create_model '${spec.model_name}' (authentication ${spec.disable_authentication ? 'off' : 'on'})`);
      const model = (await ours()) ?? (await this.api.createModel(this.createModelBody(spec), ours));
      rec = { ...rec, cml_model_id: model.id, ...(typeof model.access_key === 'string' ? { access_key: model.access_key } : {}) };
      folder.writeJson(RUN_FILES.cml, rec);
      this.note(folder, 'info', `CML model ${model.id} created`);
    }
    const modelId = rec.cml_model_id!;
    if (!rec.cml_build_id) {
      // Our model only ever gets one build: any build it has is ours (from an attempt whose answer was lost).
      const latest = async () => (await this.api.listModelBuilds(modelId))[0];
      this.note(folder, 'info', `create_model_build ${this.predictScript}:${PREDICT_FUNCTION} on ${runtime} (${spec.cpu} CPU, ${spec.memory} GB, ${spec.gpu} GPU, ${spec.replicas} replica(s))`);
      const build = (await latest()) ?? (await this.api.createModelBuild(modelId, this.createBuildBody(spec, modelId, runtime), latest));
      rec = { ...rec, cml_build_id: build.id };
      folder.writeJson(RUN_FILES.cml, rec);
      this.note(folder, 'info', `CML model build ${build.id} created (status '${String(build.status ?? 'pending')}'); CML deploys it when it is built`);
    }
    return { runner: 'cml-deploy', jobId: req.jobId, runDir: folder.dir, cmlModelId: modelId, cmlBuildId: rec.cml_build_id };
  }

  /** The create_model body: authentication stays on unless the request turned it off. */
  createModelBody(spec: CmlDeploySpec): CreateModelBody {
    return {
      project_id: this.api.projectId,
      name: spec.model_name,
      description: spec.description,
      disable_authentication: spec.disable_authentication,
    };
  }

  createBuildBody(spec: CmlDeploySpec, modelId: string, runtime: string): CreateModelBuildBody {
    return {
      project_id: this.api.projectId,
      model_id: modelId,
      file_path: this.predictScript,
      function_name: PREDICT_FUNCTION,
      kernel: 'python3',
      runtime_identifier: runtime,
      auto_deploy_model: true,
      auto_deployment_config: {
        cpu: spec.cpu,
        memory: spec.memory,
        nvidia_gpus: spec.gpu,
        replicas: spec.replicas,
        environment: {
          FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME: spec.base_model_hf_name,
          FINE_TUNING_STUDIO_ADAPTER_LOCATION: spec.adapter_location,
          FINE_TUNING_STUDIO_GEN_CONFIG_STRING: spec.generation_config,
        },
      },
    };
  }

  /**
   * The build's status, then its newest deployment's. Never throws for a
   * failed observation (phase unknown). With a cancel pending, it stops the
   * deployment as soon as there is one to stop.
   */
  async status(handle: RunHandle): Promise<RunState> {
    const folder = this.folderOf(handle);
    const ids = this.idsOf(handle, folder);
    if (!ids) {
      return { phase: 'failed', exitCode: null, message: 'The CML model build was never created (the server stopped while submitting it).' };
    }
    const cancelRequested = folder.exists(RUN_FILES.cancel);
    try {
      const build = await this.api.getModelBuild(ids.modelId, ids.buildId);
      const phase = buildPhaseOf(build.status);
      if (phase === 'failed' || phase === 'timed_out') {
        const state = buildFailure(build, phase);
        this.noteOnce(folder, `build:${String(build.status)}`, 'error', state.message!);
        return state;
      }
      if (phase === 'unknown') {
        return { phase: 'unknown', transient: true, message: `CML reported model build status '${String(build.status)}'.` };
      }
      if (phase === 'in_progress') {
        return { phase: 'scheduling', message: `CML is building the model (status '${String(build.status)}').`, ...(cancelRequested ? { cancelling: true } : {}) };
      }
      const [deployment] = await this.api.listModelDeployments(ids.modelId, ids.buildId);
      if (!deployment) {
        return { phase: 'running', message: 'The model is built; waiting for CML to deploy it.', ...(cancelRequested ? { cancelling: true } : {}) };
      }
      this.rememberDeployment(folder, deployment);
      return await this.deploymentState(handle, folder, ids, deployment, cancelRequested);
    } catch (e) {
      return unknownFrom(e);
    }
  }

  private async deploymentState(
    handle: RunHandle,
    folder: RunFolder,
    ids: { modelId: string; buildId: string },
    deployment: CmlModelDeployment,
    cancelRequested: boolean,
  ): Promise<RunState> {
    const phase = deploymentPhaseOf(deployment.status);
    const reason = apiReasonOf(deployment);
    switch (phase) {
      case 'deployed':
      case 'starting':
        if (cancelRequested) {
          await this.stop(folder, ids, deployment);
          return { phase: 'running', cancelling: true, message: 'Stopping the CML model deployment.' };
        }
        if (phase === 'starting') return { phase: 'running', message: `CML is deploying the model (status '${String(deployment.status)}').` };
        this.writeResult(handle, folder, deployment);
        return { phase: 'succeeded', exitCode: 0, message: `CML model ${ids.modelId} is deployed (deployment ${deployment.id}).` };
      case 'stopping':
        return { phase: 'running', cancelling: true, message: 'CML is stopping the model deployment.' };
      case 'stopped':
        if (cancelRequested) {
          this.noteOnce(folder, 'stopped', 'info', `deployment ${deployment.id} stopped`);
          return { phase: 'cancelled', exitCode: null, message: 'The CML model deployment was stopped.' };
        }
        return { phase: 'failed', exitCode: null, message: `The CML model deployment ${deployment.id} was stopped in CML${reason ? `: ${reason}` : ''}.` };
      case 'failed': {
        const message = `The CML model deployment ${deployment.id} failed${reason ? `: ${reason}` : ''}.`;
        this.noteOnce(folder, 'deployment:failed', 'error', message);
        return { phase: 'failed', exitCode: null, message };
      }
      default:
        return { phase: 'unknown', transient: true, message: `CML reported model deployment status '${String(deployment.status)}'.` };
    }
  }

  async readOutputs(handle: RunHandle, fromOffset: number): Promise<ReadOutputsResult> {
    return this.folderOf(handle).readOutputs(fromOffset);
  }

  /**
   * Records the cancel (cancel.json) and stops the deployment if there is
   * one; before the deployment exists there is nothing to stop yet, and
   * status() stops it when it appears. Idempotent.
   */
  async cancel(handle: RunHandle): Promise<void> {
    const folder = this.folderOf(handle);
    if (!folder.exists(RUN_FILES.cancel)) {
      folder.writeJson(RUN_FILES.cancel, { requested_at: this.now().toISOString() } satisfies CancelRecord);
      this.note(folder, 'info', 'cancel requested');
    }
    const ids = this.idsOf(handle, folder);
    if (!ids) return;
    const [deployment] = await this.api.listModelDeployments(ids.modelId, ids.buildId);
    if (!deployment) {
      this.noteOnce(folder, 'cancel-waits', 'info', 'no deployment yet: it is stopped as soon as CML starts it');
      return;
    }
    this.rememberDeployment(folder, deployment);
    await this.stop(folder, ids, deployment);
  }

  reattach(handle: RunHandle): Promise<RunState> {
    return this.status(handle);
  }

  async logs(handle: RunHandle, opts: { tailLines?: number } = {}): Promise<string[]> {
    return this.folderOf(handle).tail(RUN_FILES.stdout, opts.tailLines ?? 100);
  }

  followLogs(handle: RunHandle, signal: AbortSignal, opts: FollowLogsOptions = {}): AsyncIterable<string> {
    return this.folderOf(handle).follow(RUN_FILES.stdout, signal, {
      pollMs: this.options.pollMs ?? 200,
      finishedCheckMs: this.options.finishedCheckMs ?? 5000,
      tailLines: opts.tailLines,
      isFinished: async () => isTerminalPhase((await this.status(handle)).phase),
    });
  }

  /** stop_model_deployment unless it is already stopping or over; a refusal for an ended deployment is no failure. */
  private async stop(folder: RunFolder, ids: { modelId: string; buildId: string }, deployment: CmlModelDeployment): Promise<void> {
    const phase = deploymentPhaseOf(deployment.status);
    if (phase === 'stopping' || phase === 'stopped' || phase === 'failed') return;
    this.note(folder, 'info', `stop_model_deployment ${deployment.id}`);
    try {
      await this.api.stopModelDeployment(ids.modelId, ids.buildId, deployment.id);
    } catch (e) {
      if (e instanceof CmlApiError && !e.transient) {
        const [now] = await this.api.listModelDeployments(ids.modelId, ids.buildId).catch(() => []);
        const p = deploymentPhaseOf(now?.status);
        if (p === 'stopping' || p === 'stopped' || p === 'failed') return;
      }
      throw e;
    }
  }

  private async templateRuntime(folder: RunFolder): Promise<string> {
    const template = (await this.api.listJobs({ name: this.templateJob })).find((j) => j.name === this.templateJob);
    if (!template) {
      throw failedPrecondition(
        'CML.TEMPLATE_NOT_FOUND',
        `CML template job '${this.templateJob}' was not found in project ${this.api.projectId}; the model build takes its runtime.`,
      );
    }
    const full: CmlJob = template.runtime_identifier ? template : await this.api.getJob(template.id);
    if (!full.runtime_identifier) {
      throw failedPrecondition(
        'CML.TEMPLATE_NO_RUNTIME',
        `CML template job '${this.templateJob}' in project ${this.api.projectId} has no runtime; give it a runtime, or use a runtime-based project.`,
      );
    }
    this.noteOnce(folder, 'runtime', 'info', `runtime ${full.runtime_identifier} (from template job '${this.templateJob}')`);
    return full.runtime_identifier;
  }

  private rememberDeployment(folder: RunFolder, deployment: CmlModelDeployment): void {
    const rec = this.record(folder);
    if (!rec || rec.cml_deployment_id === deployment.id) return;
    folder.writeJson(RUN_FILES.cml, { ...rec, cml_deployment_id: deployment.id });
    this.note(folder, 'info', `CML deployment ${deployment.id} (status '${String(deployment.status)}')`);
  }

  /** Once per run: the `result` the supervisor records (the CML ids go onto the export row). */
  private writeResult(handle: RunHandle, folder: RunFolder, deployment: CmlModelDeployment): void {
    const rec = this.record(folder);
    if (!rec || rec.result_written) return;
    this.note(folder, 'info', `deployment ${deployment.id} is deployed`);
    appendEvent(folder, {
      type: 'result',
      cml_model_id: rec.cml_model_id ?? handle.cmlModelId ?? null,
      cml_build_id: rec.cml_build_id ?? handle.cmlBuildId ?? null,
      cml_deployment_id: deployment.id,
      model_name: rec.model_name,
      access_key: rec.access_key ?? null,
    });
    folder.writeJson(RUN_FILES.cml, { ...rec, cml_deployment_id: deployment.id, result_written: true });
  }

  /** One line in stdout.log (what logs() shows) and a `log` event. */
  private note(folder: RunFolder, level: 'info' | 'error', message: string): void {
    fs.mkdirSync(folder.dir, { recursive: true });
    fs.appendFileSync(folder.path(RUN_FILES.stdout), `${this.now().toISOString()} [${level}] ${message}\n`);
    appendEvent(folder, { type: 'log', level, message });
  }

  /** note(), at most once per key per run (status() is called over and over); the keys are kept in cml.json. */
  private noteOnce(folder: RunFolder, key: string, level: 'info' | 'error', message: string): void {
    const rec = this.record(folder);
    if (rec?.noted?.includes(key)) return;
    if (rec) folder.writeJson(RUN_FILES.cml, { ...rec, noted: [...(rec.noted ?? []), key] });
    this.note(folder, level, message);
  }

  private record(folder: RunFolder): CmlDeployRecord | undefined {
    const rec = folder.readJson<CmlDeployRecord>(RUN_FILES.cml);
    return rec?.runner === 'cml-deploy' ? rec : undefined;
  }

  private idsOf(handle: RunHandle, folder: RunFolder): { modelId: string; buildId: string } | undefined {
    if (handle.cmlModelId && handle.cmlBuildId) return { modelId: handle.cmlModelId, buildId: handle.cmlBuildId };
    const rec = this.record(folder);
    return rec?.cml_model_id && rec.cml_build_id ? { modelId: rec.cml_model_id, buildId: rec.cml_build_id } : undefined;
  }

  private folderOf(handle: RunHandle): RunFolder {
    if (handle.runner !== 'cml-deploy') {
      throw invalidArgument('RUN.HANDLE_INVALID', `A '${handle.runner}' run handle was given to the cml-deploy runner.`);
    }
    return RunFolder.forJob(this.options.stateDir, handle.jobId);
  }
}

/** One events.jsonl line, as the templates write them (ts in unix seconds). */
function appendEvent(folder: RunFolder, event: Record<string, unknown>): void {
  fs.mkdirSync(folder.dir, { recursive: true });
  fs.appendFileSync(folder.path(RUN_FILES.events), `${JSON.stringify({ ...event, ts: Date.now() / 1000 })}\n`);
}

function unknownFrom(e: unknown): RunState {
  if (e instanceof CmlApiError) return { phase: 'unknown', message: e.message, transient: e.transient };
  return { phase: 'unknown', message: `The CML model's status could not be read: ${(e as Error)?.message ?? String(e)}`, transient: true };
}
