import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { evaluationFieldsFromHttp, startFieldsFromHttp } from '../jobs.http.js';
import { EvaluationPlanHandlers } from './evaluation-plan.handlers.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { toEvaluationPlanMessage, toPlanMessage } from './plan-messages.js';

/** Plans answer the body of the matching start with what the job would do; nothing is started. */
@ApiTags('jobs')
@Controller('api/jobs')
export class PlanHttp {
  constructor(
    private readonly plans: FineTuningPlanHandlers,
    private readonly evaluationPlans: EvaluationPlanHandlers,
  ) {}

  /** The body of POST /api/fine-tuning-jobs. */
  @Post('plan')
  @HttpCode(200)
  async plan(@Body() body: unknown) {
    return toPlanMessage(await this.plans.plan(startFieldsFromHttp(body)));
  }

  /** The body of POST /api/evaluation-jobs. */
  @Post('plan-evaluation')
  @HttpCode(200)
  async planEvaluation(@Body() body: unknown) {
    return toEvaluationPlanMessage(await this.evaluationPlans.plan(evaluationFieldsFromHttp(body)));
  }
}
