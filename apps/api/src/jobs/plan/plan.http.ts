import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../../http/openapi/api-contract.js';
import { BodyFields } from '../../http/request-shape.js';
import { EvaluationPlanHandlers } from './evaluation-plan.handlers.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { planEvaluationJob } from './plan-evaluation-job.request.js';
import { planFineTuningJob } from './plan-fine-tuning-job.request.js';

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
  @ApiContract({ body: 'StartFineTuningJobRequest', ok: 'PlanFineTuningJobResponse' })
  plan(@Body() body: unknown) {
    return planFineTuningJob(this.plans, new BodyFields(body));
  }

  /** The body of POST /api/evaluation-jobs. */
  @Post('plan-evaluation')
  @HttpCode(200)
  @ApiContract({ body: 'StartEvaluationJobRequest', ok: 'PlanEvaluationJobResponse' })
  planEvaluation(@Body() body: unknown) {
    return planEvaluationJob(this.evaluationPlans, new BodyFields(body));
  }
}
