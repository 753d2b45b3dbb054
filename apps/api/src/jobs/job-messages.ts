import type { Row } from '@fts/domain';
import type { EvaluationJobMetadata, FineTuningJobMetadata, JobMetricPoint } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';

/** A fine_tuning_jobs row as FineTuningJobMetadata (auto_add_adapter is stored as 0/1). */
export function toFineTuningJobMessage(row: Row): FineTuningJobMetadata {
  return { ...toMessage<FineTuningJobMetadata>(row), auto_add_adapter: row.auto_add_adapter === 1 };
}

/** An evaluation_jobs row as EvaluationJobMetadata (selected_features is stored as a JSON list). */
export function toEvaluationJobMessage(row: Row): EvaluationJobMetadata {
  let features: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(row.selected_features ?? '[]'));
    if (Array.isArray(parsed)) features = parsed.map(String);
  } catch {
    features = [];
  }
  return { ...toMessage<EvaluationJobMetadata>(row), selected_features: features };
}

/** The optional metric columns of job_metrics, as named in JobMetricPoint.values. */
export const METRIC_NAMES = ['epoch', 'loss', 'eval_loss', 'learning_rate', 'grad_norm'] as const;

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A job_metrics row as a JobMetricPoint: `values` holds only the metrics the template reported. */
export function toJobMetricPoint(row: Row): JobMetricPoint {
  const values: Record<string, number> = {};
  for (const name of METRIC_NAMES) {
    const v = finite(row[name]);
    if (v !== undefined) values[name] = v;
  }
  return {
    step: finite(row.step) ?? 0,
    total_steps: finite(row.total_steps) ?? 0,
    values,
    at: typeof row.at === 'string' ? row.at : '',
    attempt: finite(row.attempt) ?? 1,
  };
}
