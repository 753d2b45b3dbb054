import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { GetEvaluationResultsRequest, GetEvaluationResultsResponse } from '@fts/proto';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { getEvaluationResults } from './get-evaluation-results.request.js';

@Controller()
export class EvaluationsGrpc {
  constructor(private readonly evaluations: EvaluationResultsHandlers) {}

  @GrpcMethod('FineTuningStudio', 'GetEvaluationResults')
  getEvaluationResults(req: GetEvaluationResultsRequest): Promise<GetEvaluationResultsResponse> {
    return getEvaluationResults(this.evaluations, req.id ?? '');
  }
}
