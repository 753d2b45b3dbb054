/** Commands on adapters, in the original's field names (AddAdapterRequest, RemoveAdapterRequest). */
export interface AddAdapter {
  /** `project` when empty. */
  type: string;
  name: string;
  model_id: string;
  location: string;
  huggingface_name?: string;
  fine_tuning_job_id?: string;
  prompt_id?: string;
  description?: string;
}

export interface RemoveAdapter {
  id: string;
}

/** The adapter folder as the handler resolved it: the existing directory, relative to the project root. */
export interface AdapterLocation {
  location: string;
}
