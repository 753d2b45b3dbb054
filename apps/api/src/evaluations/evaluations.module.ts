import { Module } from '@nestjs/common';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { EvaluationsGrpc } from './evaluations.grpc.js';
import { EvaluationsHttp } from './evaluations.http.js';

/** Evaluation results: each run's status, aggregate metrics and per-row results (starting evaluation jobs is in jobs/). */
@Module({
  controllers: [EvaluationsGrpc, EvaluationsHttp],
  providers: [EvaluationResultsHandlers],
  exports: [EvaluationResultsHandlers],
})
export class EvaluationsModule {}
