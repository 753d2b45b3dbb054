import path from 'node:path';
import { DEFAULT_EXPORT_RESOURCES, MLFLOW_NOT_CONFIGURED_MESSAGE, failedPrecondition, type Row } from '@fts/domain';
import type { RunHandle, RunResources } from '../runners/job-runner.js';
import { mergeMemoryGb } from './model-size.js';
import type { CmlDeploySpec } from '../runners/cml-deploy/cml-deploy-spec.js';

/**
 * How a recorded model export runs, as pure functions of its row and the
 * rows it names (the supervisor loads them). One call, `exportPlan`, says
 * which runner takes it and with what:
 *
 *   project, model_registry → 'local-template': the configured template
 *     runner (local or cml) runs job-templates/export_merge.py, kind
 *     `export_merge`, with `spec` as spec.json;
 *   cml_model → 'cml-deploy': the CmlDeployRunner, with `spec` the deploy
 *     spec (it runs no command: pass `command: []`).
 *
 * Either way the run ends with a `result` line; `exportDetailsOf(result)`
 * turns it into the export row's columns (JobDetailsRecorded), and
 * `exportDetailsOfHandle(handle)` does the same for the CML ids known as
 * soon as a cml-deploy run is submitted.
 */

export interface ExportRunContext {
  /** Absolute project root: relative locations are resolved against it. */
  projectRoot: string;
  /** Absolute state folder (`.app`): a model_registry export merges into `<stateDir>/job_runs/<id>/merged`. */
  stateDir: string;
  /** MLFLOW_TRACKING_URI (AppConfig.mlflowTrackingUri); model_registry needs it. */
  mlflowTrackingUri?: string;
  /** Size of the base model's weights (model-size.ts), when known: the merge job's memory grows with it. */
  baseModelBytes?: number;
}

export type ExportRunnerKind = 'local-template' | 'cml-deploy';

export type ExportPlan =
  | { runnerKind: 'local-template'; kind: 'export_merge'; spec: Record<string, unknown>; resources: RunResources }
  | { runnerKind: 'cml-deploy'; kind: 'export_merge'; spec: CmlDeploySpec; resources: RunResources };

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const abs = (ctx: ExportRunContext, p: unknown) => (str(p) ? path.resolve(ctx.projectRoot, String(p)) : null);
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

function generationConfigOf(row: Row): Record<string, unknown> | null {
  const text = str(row.generation_config);
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Where export_merge.py writes the merged model: the project folder asked for, or the run folder for the registry. */
export function exportOutputDir(exportRow: Row, ctx: ExportRunContext): string {
  if (exportRow.type === 'project') {
    const target = str(exportRow.artifact_location);
    if (!target) throw failedPrecondition('MODEL_EXPORT.ARTIFACT_LOCATION_MISSING', `Model export '${String(exportRow.id)}' has no artifact_location.`);
    return path.resolve(ctx.projectRoot, target);
  }
  return path.join(path.resolve(ctx.stateDir), 'job_runs', String(exportRow.id), 'merged');
}

/**
 * spec.json for job-templates/export_merge.py (job-templates/README.md):
 * kind export_merge, absolute output_dir, base_model, adapter and the
 * generation config; a model_registry export adds
 * `registry: {tracking_uri, model_name, description}`.
 */
export function exportRunSpec(exportRow: Row, baseModelRow: Row, adapterRow: Row, ctx: ExportRunContext): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    job_id: exportRow.id,
    kind: 'export_merge',
    project_root: path.resolve(ctx.projectRoot),
    output_dir: exportOutputDir(exportRow, ctx),
    base_model: {
      id: baseModelRow.id,
      name: baseModelRow.name,
      huggingface_name: str(baseModelRow.huggingface_model_name),
      location: abs(ctx, baseModelRow.location),
    },
    adapter: {
      id: adapterRow.id,
      name: adapterRow.name,
      location: abs(ctx, adapterRow.location),
      huggingface_name: str(adapterRow.huggingface_name),
    },
    generation_config: generationConfigOf(exportRow),
  };
  if (exportRow.type === 'model_registry') {
    if (!ctx.mlflowTrackingUri) throw failedPrecondition('MODEL_EXPORT.MLFLOW_NOT_CONFIGURED', MLFLOW_NOT_CONFIGURED_MESSAGE);
    spec.registry = {
      tracking_uri: ctx.mlflowTrackingUri,
      model_name: exportRow.model_name,
      description: str(exportRow.model_description),
    };
  }
  return spec;
}

/** The CmlDeployRunner's spec for a cml_model export (the environment of the original's predict script). */
export function cmlDeploySpec(exportRow: Row, baseModelRow: Row, adapterRow: Row, ctx: ExportRunContext): CmlDeploySpec {
  const hfName = str(baseModelRow.huggingface_model_name);
  const location = str(adapterRow.location);
  if (!hfName) {
    throw failedPrecondition('MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE', `Model '${String(baseModelRow.id)}' has no Hugging Face name to deploy.`);
  }
  if (!location) {
    throw failedPrecondition('MODEL_EXPORT.ADAPTER_NOT_PROJECT', `Adapter '${String(adapterRow.id)}' has no folder in the project to deploy.`);
  }
  return {
    kind: 'cml_deploy',
    export_id: String(exportRow.id),
    model_name: String(exportRow.model_name),
    description: str(exportRow.model_description) ?? '',
    disable_authentication: Number(exportRow.disable_authentication ?? 0) === 1,
    base_model_hf_name: hfName,
    adapter_location: projectRelative(ctx, location),
    generation_config: str(exportRow.generation_config) ?? '{}',
    cpu: num(exportRow.cpu, DEFAULT_EXPORT_RESOURCES.cpu),
    memory: num(exportRow.memory, DEFAULT_EXPORT_RESOURCES.memory),
    gpu: typeof exportRow.gpu === 'number' && exportRow.gpu >= 0 ? exportRow.gpu : DEFAULT_EXPORT_RESOURCES.gpu,
    replicas: num(exportRow.replicas, DEFAULT_EXPORT_RESOURCES.replicas),
  };
}

/** The one call the supervisor makes for a queued model export. Throws a DomainError (FAILED_PRECONDITION) it should fail the export with. */
export function exportPlan(exportRow: Row, baseModelRow: Row, adapterRow: Row, ctx: ExportRunContext): ExportPlan {
  const resources: RunResources = {
    cpu: num(exportRow.cpu, DEFAULT_EXPORT_RESOURCES.cpu),
    memoryGb: num(exportRow.memory, DEFAULT_EXPORT_RESOURCES.memory),
    gpus: typeof exportRow.gpu === 'number' && exportRow.gpu >= 0 ? exportRow.gpu : DEFAULT_EXPORT_RESOURCES.gpu,
    numWorkers: 1,
  };
  switch (exportRow.type) {
    case 'project':
    case 'model_registry': {
      const merge = { ...resources, memoryGb: mergeMemoryGb(resources.memoryGb, ctx.baseModelBytes, resources.gpus) };
      return { runnerKind: 'local-template', kind: 'export_merge', spec: exportRunSpec(exportRow, baseModelRow, adapterRow, ctx), resources: merge };
    }
    case 'cml_model':
      return { runnerKind: 'cml-deploy', kind: 'export_merge', spec: cmlDeploySpec(exportRow, baseModelRow, adapterRow, ctx), resources };
    default:
      throw failedPrecondition('MODEL_EXPORT.TYPE_UNSUPPORTED', `Model export of type '${String(exportRow.type)}' is not supported.`);
  }
}

/**
 * The export row's columns from a run's `result` line: the CML ids
 * (cml-deploy) or the registered model (export_merge with a registry:
 * `models:/<name>/<version>`, MLflow's URI for it). Empty when nothing applies.
 */
export function exportDetailsOf(result: Record<string, unknown>): Record<string, string | number | null> {
  const set: Record<string, string | number | null> = {};
  for (const k of ['cml_model_id', 'cml_build_id', 'cml_deployment_id'] as const) {
    if (str(result[k])) set[k] = String(result[k]);
  }
  const name = str(result.registered_model_name);
  if (name) {
    const version = str(result.registered_model_version);
    set.registered_model_id = version ? `models:/${name}/${version}` : name;
  }
  return set;
}

/** The CML ids a cml-deploy handle carries (known once submit returns). */
export function exportDetailsOfHandle(handle: RunHandle): Record<string, string | number | null> {
  const set: Record<string, string | number | null> = {};
  if (handle.cmlModelId) set.cml_model_id = handle.cmlModelId;
  if (handle.cmlBuildId) set.cml_build_id = handle.cmlBuildId;
  return set;
}

function projectRelative(ctx: ExportRunContext, p: string): string {
  if (!path.isAbsolute(p)) return p.split(path.sep).join('/');
  const rel = path.relative(path.resolve(ctx.projectRoot), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
}
