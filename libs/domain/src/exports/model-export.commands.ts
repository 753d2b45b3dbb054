import type { DomainError } from '../shared/domain-error.js';

/**
 * What the edge found at `artifact_location` (a `project` export's target
 * folder), for the decider to judge in its own order: the project-relative
 * path and what is there, or the refusal (outside the project) to report.
 * `directory` is a folder that already has files; `empty_directory` one
 * that has none.
 */
export type ExportFolderFact =
  | { kind: 'missing' | 'empty_directory' | 'directory' | 'file' | 'other'; relative: string }
  | { kind: 'refused'; error: DomainError };

/** ExportModelRequest, in the original's field names, plus what the edge knows of CML, MLflow and the disk. */
export interface ExportModel {
  type: string;
  base_model_id: string;
  adapter_id: string;
  model_name: string;
  artifact_location: string;
  model_description: string;
  generation_config: string;
  /** Deployment resources (cml_model) or the merge job's resources; 0 = the default. */
  cpu: number;
  memory: number;
  gpu: number;
  /** cml_model only; 0 = the default (1). */
  replicas: number;
  /** cml_model only: turn the model endpoint's authentication off (the original always did). */
  disable_authentication: boolean;
  /** True when the CML API is configured (CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID). */
  cml_configured: boolean;
  /** True when MLflow is configured (MLFLOW_TRACKING_URI). */
  mlflow_configured: boolean;
  /** `project` only: what is at artifact_location (the edge always looks when the field is set). */
  artifact_location_fact?: ExportFolderFact;
}

export const MODEL_EXPORT_TYPES = ['model_registry', 'cml_model', 'project'] as const;
export type ModelExportType = (typeof MODEL_EXPORT_TYPES)[number];

/** The original's cml_model deployment (2 CPU, 8 GB, 1 GPU) and one replica; also the merge job's resources. */
export const DEFAULT_EXPORT_RESOURCES = { cpu: 2, memory: 8, gpu: 1, replicas: 1 } as const;

/** What ExportModel hands back: the original's two fields, the recorded request's id and status. */
export interface ModelExportResult {
  base_model_id: string;
  adapter_id: string;
  export_id: string;
  status: string;
}

/**
 * The generation config an export uses when none is given (the original's
 * default, `json.dumps` of its dict).
 */
export const DEFAULT_EXPORT_GENERATION_CONFIG =
  '{"do_sample": true, "temperature": 0.8, "max_new_tokens": 60, "top_p": 1, "top_k": 50, "num_beams": 1, "repetition_penalty": 1.1, "max_length": null}';
