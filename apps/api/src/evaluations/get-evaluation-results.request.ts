import type { GetEvaluationResultsResponse } from '@fts/proto';
import type { EvaluationResultsHandlers } from './evaluation-results.handlers.js';

/** GetEvaluationResults: gRPC's `id` field, HTTP's path id (an evaluation job's id or its request's parent id). */
export async function getEvaluationResults(evaluations: EvaluationResultsHandlers, id: string): Promise<GetEvaluationResultsResponse> {
  return { runs: await evaluations.results(id) };
}
