import type { DatasetRow, FineTuningJobRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import { adapterNotFound } from '../adapters/adapters.errors.js';
import { requireFields } from '../shared/validation.js';
import { datasetNotFound } from './datasets.errors.js';

export function getDataset(read: CatalogReader, id: string): DatasetRow {
  const row = id ? read.get('datasets', id) : undefined;
  if (!row) throw datasetNotFound(id);
  return row;
}

export interface DatasetSplit {
  dataset_fraction: number;
  train_test_split: number;
}

/** What a training job uses when it was not told otherwise. */
export const DEFAULT_DATASET_SPLIT: DatasetSplit = { dataset_fraction: 1.0, train_test_split: 0.9 };

const numberOr = (v: number | null | undefined, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;

/**
 * The dataset fraction and train/test split an adapter was trained with: from
 * its fine-tuning job (by `fine_tuning_job_id` when set, else the original's
 * join on the job's adapter_name), the defaults when there is no such job.
 * A missing adapter is NOT_FOUND (the original returned the defaults).
 */
export function datasetSplitByAdapter(read: CatalogReader, adapterId: string): DatasetSplit {
  requireFields('GetDatasetSplitByAdapterRequest', { adapter_id: adapterId });
  const adapter = read.get('adapters', adapterId);
  if (!adapter) throw adapterNotFound(adapterId);
  let job: FineTuningJobRow | undefined;
  if (adapter.fine_tuning_job_id) job = read.get('fine_tuning_jobs', adapter.fine_tuning_job_id);
  if (!job) job = read.find('fine_tuning_jobs', { adapter_id: adapterId })[0];
  if (!job && adapter.name) job = read.find('fine_tuning_jobs', { adapter_name: adapter.name })[0];
  return {
    dataset_fraction: numberOr(job?.dataset_fraction, DEFAULT_DATASET_SPLIT.dataset_fraction),
    train_test_split: numberOr(job?.train_test_split, DEFAULT_DATASET_SPLIT.train_test_split),
  };
}
