import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { getEvaluationResults } from './get-evaluation-results.request.js';

/** /api/evaluation-results: the same slice as GetEvaluationResults. */
@ApiTags('jobs')
@Controller('api')
export class EvaluationsHttp {
  constructor(private readonly evaluations: EvaluationResultsHandlers) {}

  @Get('evaluation-results/:id')
  @ApiContract({ ok: 'GetEvaluationResultsResponse' })
  evaluationResults(@Param('id') id: string) {
    return getEvaluationResults(this.evaluations, id);
  }
}
