import type { EvaluationJobRow, FineTuningJobRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import { requireMaxLength } from '../shared/validation.js';
import { evaluationJobNotFound, fineTuningJobNotFound } from './jobs.errors.js';

export function getFineTuningJob(read: CatalogReader, id: string): FineTuningJobRow {
  requireMaxLength({ id });
  const row = id ? read.get('fine_tuning_jobs', id) : undefined;
  if (!row) throw fineTuningJobNotFound(id);
  return row;
}

export function getEvaluationJob(read: CatalogReader, id: string): EvaluationJobRow {
  requireMaxLength({ id });
  const row = id ? read.get('evaluation_jobs', id) : undefined;
  if (!row) throw evaluationJobNotFound(id);
  return row;
}
