/** Commands on models, in the original's field names (AddModelRequest, RemoveModelRequest). */
export interface AddModel {
  type: string;
  huggingface_name: string;
  model_registry_id: string;
  /** Type `project` (field 100): a model folder inside the project holding config.json. */
  location?: string;
  /** Type `project` (field 101): the display name; the folder's name when empty. */
  name?: string;
}

export interface RemoveModel {
  id: string;
}

/** What AddModel must look up once the cheap checks have passed. */
export type ModelPlan =
  | { kind: 'huggingface'; type: 'huggingface'; huggingface_name: string }
  /** `name` is unset when neither the request nor the location's last segment gives one. */
  | { kind: 'project'; type: 'project'; location: string; name?: string }
  | { kind: 'model_registry'; type: 'model_registry'; model_registry_id: string };

/** The facts looked up for a plan (the Hub, the folder's config.json, the model registry). */
export interface ModelSource {
  /** Project: the folder's name when the request gave none. Registry: the registered model's name. */
  name?: string;
  /** The architecture, `config.architectures[0]` (e.g. LlamaForCausalLM), when known. */
  model_family?: string | null;
  /** Project: the folder relative to the project root, as stored. */
  location?: string;
  cml_registered_model_id?: string | null;
  mlflow_experiment_id?: string | null;
  mlflow_run_id?: string | null;
}
