/** Commands and queries on configs, in the original's field names (AddConfigRequest, ListConfigsRequest, ...). */
export interface AddConfig {
  type: string;
  config: string;
  description?: string;
}

export interface RemoveConfig {
  id: string;
}

export interface ListConfigsQuery {
  type?: string;
  model_id?: string;
  /** Accepted and ignored, as in the original. */
  adapter_id?: string;
  /** Accepted and ignored, as in the original. */
  fine_tuning_job_id?: string;
}

/** The config types of the original (spec/behaviour.md §2). */
export const CONFIG_TYPES = [
  'training_arguments',
  'bitsandbytes_config',
  'generation_config',
  'lora_config',
  'custom',
  'axolotl',
  'axolotl_dataset_formats',
] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

export const isConfigType = (t: string): t is ConfigType => (CONFIG_TYPES as readonly string[]).includes(t);

/** is_default values: the project's defaults, and configs users added. */
export const DEFAULT_CONFIGS = 1;
export const USER_CONFIGS = 0;
