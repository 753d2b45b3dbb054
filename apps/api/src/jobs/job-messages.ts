import type { Row } from '@fts/domain';
import type { EvaluationJobMetadata, FineTuningJobMetadata } from '@fts/proto';
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
