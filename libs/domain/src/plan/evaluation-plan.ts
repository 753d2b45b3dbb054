import type { EvaluationJobRow } from '../catalog/tables.js';
import type { Known } from './fine-tuning-plan.js';
import { formatTemplate, PromptFormatError, UnsupportedFormat, type PyRow } from './python-format.js';
import { splitDataset, SPLIT_SEED, subsample } from './split.js';
import type { PromptTemplates } from './training-text.js';

/**
 * The pre-launch plan of one evaluation run (evaluate.py): the held-out rows
 * of the split the adapter was trained with, sampled by eval_dataset_fraction,
 * each rendered as the model input (input_template) and the expected output
 * (completion_template).
 */
export interface EvaluationRunPlan {
  baseModelId: string;
  adapterId: string;
  datasetFraction: number;
  trainTestSplit: number;
  rows: Known<{ total: number; afterFraction: number; train: number; heldOut: number; evaluated: number; evalSplit: string }>;
  sample: { index: number; input: string; expected: string }[];
  warnings: string[];
  blockers: string[];
}

export function planEvaluationRun(input: {
  job: Partial<EvaluationJobRow>;
  split: { dataset_fraction: number; train_test_split: number };
  prompt: PromptTemplates | null;
  splits: Known<{ rows: Record<string, PyRow[]> }>;
  sampleRows?: number;
}): EvaluationRunPlan {
  const { job, split: params } = input;
  const base = {
    baseModelId: job.base_model_id ?? '',
    adapterId: job.adapter_id ?? '',
    datasetFraction: params.dataset_fraction,
    trainTestSplit: params.train_test_split,
    sample: [] as EvaluationRunPlan['sample'],
    warnings: [] as string[],
    blockers: [] as string[],
  };
  if (!input.splits.known) return { ...base, rows: { known: false, reason: input.splits.reason } };
  const splits = input.splits.rows;
  const sizes = Object.fromEntries(Object.entries(splits).map(([k, v]) => [k, v.length]));
  const split = splitDataset(sizes, params.dataset_fraction, params.train_test_split, SPLIT_SEED);
  const fraction = typeof job.eval_dataset_fraction === 'number' && job.eval_dataset_fraction > 0 ? job.eval_dataset_fraction : 1;
  const indices = subsample(split.evalIndices, fraction);
  const afterFraction = split.evalSplit === 'train' ? split.trainIndices.length + split.evalIndices.length : split.trainIndices.length;
  const rows = { known: true as const, total: splits.train.length, afterFraction, train: split.trainIndices.length, heldOut: split.evalIndices.length, evaluated: indices.length, evalSplit: split.evalSplit };
  if (!indices.length) {
    base.blockers.push(`No held-out rows to evaluate: the dataset has no eval/test split and train_test_split is ${params.train_test_split} (use a value below 1).`);
  }
  if (input.prompt?.type === 'chat') {
    base.blockers.push('The evaluation template renders prompts with input and completion templates; a chat prompt has none.');
  } else if (input.prompt) {
    for (const index of indices.slice(0, input.sampleRows ?? 5)) {
      const row = splits[split.evalSplit][index];
      try {
        base.sample.push({
          index,
          input: formatTemplate(input.prompt.input_template, row, 'prompt.input_template'),
          expected: formatTemplate(input.prompt.completion_template, row, 'prompt.completion_template'),
        });
      } catch (e) {
        if (!(e instanceof PromptFormatError || e instanceof UnsupportedFormat)) throw e;
        (e instanceof PromptFormatError ? base.blockers : base.warnings).push(e instanceof PromptFormatError ? `The job would fail: ${e.message}.` : e.message);
        break;
      }
    }
  }
  return { ...base, rows };
}
