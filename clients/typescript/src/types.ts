/**
 * Types derived from the generated service interface (@fts/proto, libs/proto/src/generated): one
 * entry per RPC, with its request and response message types, so every call is typed from the
 * .proto and a new RPC needs no change here.
 */
import type {
  AdapterComparison,
  EvaluationJobMetadata,
  FineTuningJobMetadata,
  FineTuningStudio,
  ModelExport,
} from '@fts/proto';
import type { Observable } from 'rxjs';

/** Every RPC of `fine_tuning_studio.FineTuningStudio`, by its .proto name. */
export type RpcName = keyof FineTuningStudio;

type ReturnOf<K extends RpcName> = ReturnType<FineTuningStudio[K]>;

/** The request message of an RPC. */
export type RequestOf<K extends RpcName> = Parameters<FineTuningStudio[K]>[0];

/** The response message of a unary RPC, or the message type of a server-streaming one. */
export type ResponseOf<K extends RpcName> =
  ReturnOf<K> extends Promise<infer R> ? R : ReturnOf<K> extends Observable<infer T> ? T : never;

/** The unary RPCs (one request, one response). */
export type UnaryRpc = { [K in RpcName]: ReturnOf<K> extends Promise<unknown> ? K : never }[RpcName];

/** The server-streaming RPCs (WatchEvents, WatchJob, GetJobLogs). */
export type StreamingRpc = Exclude<RpcName, UnaryRpc>;

/** Every field optional, at every depth: proto3 fills what is left out with its default. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [P in keyof T]?: DeepPartial<T[P]> }
    : T;

/** What a call takes as its request: the request message, any field left out. */
export type RequestInit<K extends RpcName> = DeepPartial<RequestOf<K>>;

/** A job of any kind, as `getJob` / `waitForJob` return it. */
export type AnyJob = FineTuningJobMetadata | EvaluationJobMetadata | AdapterComparison | ModelExport;

/** The messages of a server-streaming call, as an async iterator; `cancel()` (or leaving a `for await` loop) ends the call. */
export interface ServerStream<T> extends AsyncIterableIterator<T> {
  cancel(): void;
}

// ------------------------------------------------------------------ string constants (the original's ft.api.types)

const constants = <T extends Record<string, string>>(o: T): Readonly<T> => Object.freeze(o);

export const DatasetType = constants({
  HUGGINGFACE: 'huggingface',
  PROJECT: 'project',
  PROJECT_CSV: 'project_csv',
  PROJECT_JSON: 'project_json',
  PROJECT_JSONL: 'project_jsonl',
} as const);
export type DatasetType = (typeof DatasetType)[keyof typeof DatasetType];

export const ModelType = constants({ HUGGINGFACE: 'huggingface', PROJECT: 'project', MODEL_REGISTRY: 'model_registry' } as const);
export type ModelType = (typeof ModelType)[keyof typeof ModelType];

export const ModelFrameworkType = constants({ PYTORCH: 'pytorch', TENSORFLOW: 'tensorflow', ONNX: 'onnx' } as const);
export type ModelFrameworkType = (typeof ModelFrameworkType)[keyof typeof ModelFrameworkType];

export const AdapterType = constants({ PROJECT: 'project', HUGGINGFACE: 'huggingface', MODEL_REGISTRY: 'model_registry' } as const);
export type AdapterType = (typeof AdapterType)[keyof typeof AdapterType];

export const PromptType = constants({ IN_PLACE: 'in_place' } as const);
export type PromptType = (typeof PromptType)[keyof typeof PromptType];

export const ConfigType = constants({
  TRAINING_ARGUMENTS: 'training_arguments',
  BITSANDBYTES_CONFIG: 'bitsandbytes_config',
  GENERATION_CONFIG: 'generation_config',
  LORA_CONFIG: 'lora_config',
  CUSTOM: 'custom',
  AXOLOTL: 'axolotl',
  AXOLOTL_DATASET_FORMATS: 'axolotl_dataset_formats',
} as const);
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

export const ModelExportType = constants({ MODEL_REGISTRY: 'model_registry', CML_MODEL: 'cml_model' } as const);
export type ModelExportType = (typeof ModelExportType)[keyof typeof ModelExportType];

/** `MFLOW` is the original's (misspelt) name; `MLFLOW` is the same value. */
export const EvaluationJobType = constants({ MFLOW: 'mlflow', MLFLOW: 'mlflow' } as const);
export type EvaluationJobType = (typeof EvaluationJobType)[keyof typeof EvaluationJobType];

export const FineTuningFrameworkType = constants({ LEGACY: 'legacy', AXOLOTL: 'axolotl' } as const);
export type FineTuningFrameworkType = (typeof FineTuningFrameworkType)[keyof typeof FineTuningFrameworkType];

/** `status` of a job (this server's extension). */
export const JobStatus = constants({
  QUEUED: 'queued',
  DISPATCHING: 'dispatching',
  SCHEDULING: 'scheduling',
  RUNNING: 'running',
  CANCELLING: 'cancelling',
  /** Its run was lost (or a user resumed it): it runs again from its newest checkpoint, under the same id. */
  RETRYING: 'retrying',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  /** A job that came in through ImportDatabase: its run was never tracked here. */
  IMPORTED: 'imported',
} as const);
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** The statuses a job never leaves on its own (ResumeFineTuningJob takes a failed or cancelled one back to retrying). */
export const TERMINAL_JOB_STATUSES: readonly string[] = Object.freeze([
  JobStatus.SUCCEEDED,
  JobStatus.FAILED,
  JobStatus.CANCELLED,
  JobStatus.IMPORTED,
]);
