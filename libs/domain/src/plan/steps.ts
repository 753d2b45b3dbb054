/**
 * Optimizer steps of the job's Trainer run (fine_tune.py + transformers' Trainer):
 * world = max(1, gpus) processes per node × max(1, num_workers) nodes; each
 * process sees ceil(examples / world) examples (DistributedSampler pads), in
 * batches of per_device_train_batch_size (last one partial); an optimizer step
 * every gradient_accumulation_steps batches, a partial one at the end of an
 * epoch (transformers ≥ 4.46); max_steps > 0 overrides the epochs.
 */
export const DEFAULT_BATCH_SIZE = 8; // TrainingArguments.per_device_train_batch_size
export const DEFAULT_GRADIENT_ACCUMULATION = 1;

export interface StepInputs {
  /** Rows the Trainer iterates: training examples, or packs when packing. */
  examples: number;
  epochs: number;
  gpus: number;
  numWorkers: number;
  trainingArguments: Record<string, unknown>;
}

export interface StepPlan {
  worldSize: number;
  batchSize: number;
  gradientAccumulation: number;
  /** Examples per optimizer step across all processes. */
  effectiveBatch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  epochs: number;
}

const positiveInt = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback);

export function planSteps(input: StepInputs): StepPlan {
  const ta = input.trainingArguments;
  const worldSize = Math.max(1, Math.trunc(input.gpus)) * Math.max(1, Math.trunc(input.numWorkers));
  const batchSize = positiveInt(ta.per_device_train_batch_size, DEFAULT_BATCH_SIZE);
  const gradientAccumulation = positiveInt(ta.gradient_accumulation_steps, DEFAULT_GRADIENT_ACCUMULATION);
  const batches = Math.ceil(Math.ceil(input.examples / worldSize) / batchSize);
  const stepsPerEpoch = input.examples === 0 ? 0 : Math.max(1, Math.ceil(batches / gradientAccumulation));
  const maxSteps = positiveInt(ta.max_steps, 0);
  const totalSteps = maxSteps > 0 ? maxSteps : Math.ceil(input.epochs * stepsPerEpoch);
  return { worldSize, batchSize, gradientAccumulation, effectiveBatch: worldSize * batchSize * gradientAccumulation, stepsPerEpoch, totalSteps, epochs: input.epochs };
}
