import type { EvaluationRunPlan, FineTuningPlan, Known } from '@fts/domain';
import type { PlanEvaluationJobResponse, PlanFineTuningJobResponse } from '@fts/proto';

const reason = <T extends object>(k: Known<T>) => (k.known ? '' : k.reason);

/** The domain's plan as the PlanFineTuningJobResponse message (HTTP answers the same JSON). */
export function toPlanMessage(p: FineTuningPlan): PlanFineTuningJobResponse {
  const { rows, tokens, steps, memory, duration } = p;
  return {
    warnings: p.warnings,
    blockers: p.blockers,
    max_seq_length: p.maxSeqLength,
    rows: rows.known
      ? { known: true, unknown_reason: '', total: rows.total, after_fraction: rows.afterFraction, train: rows.train, eval: rows.eval, eval_split: rows.evalSplit, dropped: rows.dropped }
      : { known: false, unknown_reason: reason(rows), total: 0, after_fraction: 0, train: 0, eval: 0, eval_split: '', dropped: [] },
    sample_rows: p.sample.map((r) => ({ index: r.index, prompt: r.prompt, completion: r.completion, completion_located: r.completionLocated })),
    tokens: tokens.known
      ? {
          known: true,
          unknown_reason: '',
          sampled: tokens.sampled,
          rows_measured: tokens.rowsMeasured,
          prompt: tokens.prompt,
          completion: tokens.completion,
          total: tokens.total,
          histogram: tokens.histogram,
          trained_tokens_per_epoch: tokens.trainedTokensPerEpoch,
          truncated_share: tokens.truncatedShare,
          completion_cut_share: tokens.completionCutShare,
          completion_lost_rows: tokens.completionLostRows,
          tokenizer: tokens.tokenizer,
        }
      : {
          known: false,
          unknown_reason: reason(tokens),
          sampled: false,
          rows_measured: 0,
          prompt: undefined,
          completion: undefined,
          total: undefined,
          histogram: [],
          trained_tokens_per_epoch: 0,
          truncated_share: 0,
          completion_cut_share: 0,
          completion_lost_rows: 0,
          tokenizer: '',
        },
    steps: steps.known
      ? {
          known: true,
          unknown_reason: '',
          packed: steps.packed,
          exact: steps.exact,
          world_size: steps.worldSize,
          batch_size: steps.batchSize,
          gradient_accumulation: steps.gradientAccumulation,
          effective_batch: steps.effectiveBatch,
          steps_per_epoch: steps.stepsPerEpoch,
          total_steps: steps.totalSteps,
          epochs: steps.epochs,
        }
      : { known: false, unknown_reason: reason(steps), packed: false, exact: false, world_size: 0, batch_size: 0, gradient_accumulation: 0, effective_batch: 0, steps_per_epoch: 0, total_steps: 0, epochs: 0 },
    memory: memory.known
      ? {
          known: true,
          unknown_reason: '',
          parameters: memory.parameters,
          trainable_parameters: memory.trainableParameters,
          weights_bytes: memory.weightsBytes,
          lora_bytes: memory.loraBytes,
          activations_bytes: memory.activationsBytes,
          logits_bytes: memory.logitsBytes,
          overhead_bytes: memory.overheadBytes,
          total_bytes: memory.totalBytes,
          quantization: memory.quantization,
          gradient_checkpointing: memory.gradientCheckpointing,
          formula: memory.formula,
          shape_source: memory.shapeSource,
          gpus: memory.gpus.map((g) => ({ gpu: g.gpu, memory_bytes: g.memoryBytes, fits: g.fits })),
        }
      : {
          known: false,
          unknown_reason: reason(memory),
          parameters: 0,
          trainable_parameters: 0,
          weights_bytes: 0,
          lora_bytes: 0,
          activations_bytes: 0,
          logits_bytes: 0,
          overhead_bytes: 0,
          total_bytes: 0,
          quantization: '',
          gradient_checkpointing: false,
          formula: '',
          shape_source: '',
          gpus: [],
        },
    duration: duration.known
      ? { known: true, unknown_reason: '', seconds: duration.seconds, tokens_per_second: duration.tokensPerSecond, based_on_jobs: duration.basedOnJobs }
      : { known: false, unknown_reason: reason(duration), seconds: 0, tokens_per_second: 0, based_on_jobs: 0 },
  };
}

/** The evaluation plans as the PlanEvaluationJobResponse message. */
export function toEvaluationPlanMessage(runs: EvaluationRunPlan[]): PlanEvaluationJobResponse {
  return {
    warnings: [...new Set(runs.flatMap((r) => r.warnings))],
    blockers: [...new Set(runs.flatMap((r) => r.blockers))],
    runs: runs.map((r) => ({
      base_model_id: r.baseModelId,
      adapter_id: r.adapterId,
      dataset_fraction: r.datasetFraction,
      train_test_split: r.trainTestSplit,
      rows: r.rows.known
        ? { known: true, unknown_reason: '', total: r.rows.total, after_fraction: r.rows.afterFraction, train: r.rows.train, eval: r.rows.heldOut, eval_split: r.rows.evalSplit, dropped: [] }
        : { known: false, unknown_reason: r.rows.reason, total: 0, after_fraction: 0, train: 0, eval: 0, eval_split: '', dropped: [] },
      evaluated: r.rows.known ? r.rows.evaluated : 0,
      sample_rows: r.sample,
    })),
  };
}
