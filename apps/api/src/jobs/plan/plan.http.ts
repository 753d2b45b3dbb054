import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { startFieldsFromHttp } from '../jobs.http.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { toPlanMessage } from './plan-messages.js';

/** POST /api/jobs/plan: the body of POST /api/fine-tuning-jobs, answered with the plan (nothing is started). */
@ApiTags('jobs')
@Controller('api/jobs')
export class PlanHttp {
  constructor(private readonly plans: FineTuningPlanHandlers) {}

  @Post('plan')
  @HttpCode(200)
  async plan(@Body() body: unknown) {
    return toPlanMessage(await this.plans.plan(startFieldsFromHttp(body)));
  }
}
