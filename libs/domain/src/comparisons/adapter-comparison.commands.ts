/** StartAdapterComparisonRequest: one input through a base model and each chosen adapter. */
export interface StartAdapterComparison {
  base_model_id: string;
  adapter_ids: string[];
  input_text: string;
  generation_config: string;
  /** 0: the default (2 vCPU). */
  cpu: number;
  /** 0: the default (1 GPU); comparison is generation, which is meant for a GPU. */
  gpu: number;
  /** 0: the default (8 GB). */
  memory: number;
  gpu_label_id: number;
}

export const ADAPTER_COMPARISON_STREAM = 'adapter_comparison';

/** At most this many adapters per comparison (each is one more generation on the same input). */
export const MAX_COMPARISON_ADAPTERS = 10;
/** The input is one prompt, not a dataset. */
export const MAX_COMPARISON_INPUT_LENGTH = 20_000;

/** Resources when the request leaves them at 0. */
export const DEFAULT_COMPARISON_CPU = 2;
export const DEFAULT_COMPARISON_MEMORY = 8;
export const DEFAULT_COMPARISON_GPU = 1;
