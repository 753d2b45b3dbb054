/** Commands on datasets, in the original's field names (AddDatasetRequest, RemoveDatasetRequest). */
export interface AddDataset {
  type: string;
  huggingface_name: string;
  location: string;
  name: string;
}

export interface RemoveDataset {
  id: string;
  /** Also remove every prompt of this dataset, in the same command. */
  remove_prompts?: boolean;
}

/** File formats a project dataset can have; each is a dataset type `project_<format>`. */
export type DatasetFileFormat = 'csv' | 'json' | 'jsonl';

/**
 * What AddDataset needs to fetch before it can record the dataset, once the
 * cheap checks have passed: the Hub's metadata, or a project file's header.
 */
export type DatasetPlan =
  | { kind: 'huggingface'; type: 'huggingface'; huggingface_name: string }
  | { kind: 'file'; type: `project_${DatasetFileFormat}`; format: DatasetFileFormat; location: string; name: string };

/** The facts fetched for a plan (Hub metadata or the file's header), handed back to the decider. */
export interface DatasetSource {
  features: string[];
  /** Hugging Face: the card's description. */
  description?: string | null;
  /** Project files: the path relative to the project root, as stored. */
  location?: string;
}
