import type { FineTuningJobRow } from '../catalog/tables.js';
import { failedPrecondition } from '../shared/domain-error.js';
import { chatText, ChatFormatError, messagesOf, type RenderChat } from './chat.js';
import { estimateMemory, gpuVerdicts, type GpuVerdict, type MemoryEstimate, type ModelShape } from './memory.js';
import { PromptFormatError, UnsupportedFormat, type PyRow } from './python-format.js';
import { splitDataset, SPLIT_SEED } from './split.js';
import { countPacks, histogram, percentiles, type Percentiles } from './stats.js';
import { planSteps, type StepPlan } from './steps.js';
import { trainingText, type PromptTemplates } from './training-text.js';

/**
 * The pre-launch plan of a fine-tuning job: pure, over inputs the edge read
 * (dataset rows, the model's shape, a tokenizer, earlier jobs' throughput).
 * Every number is computed the way fine_tune.py will: the same split, the
 * same prompt rendering, the same truncation, packing and step arithmetic.
 */

/** fine_tune.py's spec defaults (run-specs.ts sets neither). */
export const JOB_MAX_SEQ_LENGTH = 512;
export const JOB_PACKING = true;
export const PLAN_SAMPLE_ROWS = 5;
/** Beyond this many training rows, token statistics come from an evenly spaced sample. */
export const TOKEN_SAMPLE_LIMIT = 20_000;

export type DatasetFileRow = PyRow;

/** The base model's tokenizer as the job calls it: `tokenizer(text)`, special tokens added unless told. */
export interface PlanTokenizer {
  eosToken: string;
  count(text: string, addSpecialTokens?: boolean): number;
  /** The model's chat template (tokenizer_config.json), null when it has none. */
  renderChat: RenderChat | null;
  source: string;
}

export type Known<T> = ({ known: true } & T) | { known: false; reason: string };

export interface PlanInputs {
  job: Partial<FineTuningJobRow>;
  prompt: PromptTemplates | null;
  /** {split: rows} of the dataset, or why they could not be read. */
  splits: Known<{ rows: Record<string, DatasetFileRow[]> }>;
  shape: Known<{ shape: ModelShape }>;
  tokenizer: Known<{ tokenizer: PlanTokenizer }>;
  throughput: Known<{ tokensPerSecond: number; jobs: number }>;
  sampleRows?: number;
  tokenSampleLimit?: number;
  maxSeqLength?: number;
}

export interface RenderedRow {
  index: number;
  prompt: string;
  completion: string;
  /** The completion was not located: the job trains on the whole text. */
  completionLocated: boolean;
}

export interface TokenPlan {
  sampled: boolean;
  rowsMeasured: number;
  prompt: Percentiles;
  completion: Percentiles;
  total: Percentiles;
  histogram: { upper: number; count: number }[];
  trainedTokensPerEpoch: number;
  truncatedShare: number;
  completionCutShare: number;
  completionLostRows: number;
  tokenizer: string;
}

export interface FineTuningPlan {
  warnings: string[];
  /** Why the start cannot produce a useful adapter (the console asks for a confirmation). */
  blockers: string[];
  rows: Known<{
    total: number;
    afterFraction: number;
    train: number;
    eval: number;
    evalSplit: string;
    dropped: { reason: string; rows: number }[];
  }>;
  sample: RenderedRow[];
  tokens: Known<TokenPlan>;
  steps: Known<StepPlan & { packed: boolean; exact: boolean }>;
  memory: Known<MemoryEstimate & { shapeSource: string; gpus: GpuVerdict[] }>;
  duration: Known<{ seconds: number; tokensPerSecond: number; basedOnJobs: number }>;
  maxSeqLength: number;
}

const json = (v: unknown): Record<string, unknown> | null => {
  if (typeof v !== 'string' || !v.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** An evenly spaced sample of at most `limit` items (all when fewer). */
function spread<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]);
}

export function planFineTuning(input: PlanInputs): FineTuningPlan {
  const warnings: string[] = [];
  const blockers: string[] = [];
  const job = input.job;
  const maxSeqLength = input.maxSeqLength ?? JOB_MAX_SEQ_LENGTH;
  const ta = json(job.training_arguments_config) ?? {};
  const bnb = json(job.adapter_bnb_config) ?? json(job.model_bnb_config);
  const lora = json(job.lora_config) ?? {};
  const epochs = num(ta.num_train_epochs, 0) && !job.num_epochs ? num(ta.num_train_epochs) : num(job.num_epochs, 1);

  let rows: FineTuningPlan['rows'];
  let sample: RenderedRow[] = [];
  let tokens: FineTuningPlan['tokens'];
  let examples: number | null = null; // rows the Trainer iterates
  let exactExamples = false;
  let trainedTokensPerEpoch: number | null = null;

  if (!input.splits.known) {
    rows = { known: false, reason: input.splits.reason };
    tokens = { known: false, reason: 'no dataset rows to count' };
  } else if (!input.prompt) {
    rows = { known: false, reason: 'the job has no prompt: fine-tuning needs one to render the rows' };
    tokens = { known: false, reason: 'no prompt' };
    blockers.push('The job has no prompt template: nothing can be rendered for training.');
  } else {
    const splits = input.splits.rows;
    const sizes = Object.fromEntries(Object.entries(splits).map(([k, v]) => [k, v.length]));
    const split = splitDataset(sizes, num(job.dataset_fraction, 1), num(job.train_test_split, 1), SPLIT_SEED);
    const trainRows = split.trainIndices.map((i) => splits.train[i]);
    const afterFraction = split.evalSplit === 'train' ? split.trainIndices.length + split.evalIndices.length : split.trainIndices.length;
    const dropped = new Map<string, number>();
    const drop = (reason: string) => dropped.set(reason, (dropped.get(reason) ?? 0) + 1);
    const eos = input.tokenizer.known ? input.tokenizer.tokenizer.eosToken : '';
    const limit = input.sampleRows ?? PLAN_SAMPLE_ROWS;
    const isChat = input.prompt.type === 'chat';
    const renderChat = input.tokenizer.known ? input.tokenizer.tokenizer.renderChat : null;
    if (isChat && input.tokenizer.known && !renderChat) {
      throw failedPrecondition(
        'PLAN.NO_CHAT_TEMPLATE',
        `The base model has no chat template (chat_template in tokenizer_config.json, ${input.tokenizer.tokenizer.source}): use a chat or instruct model, or a prompt with templates instead of a chat prompt.`,
      );
    }
    if (isChat && !renderChat) warnings.push("Chat rows are rendered with the model's chat template, which is unknown here: rows are counted, not rendered.");
    let renderProblem: string | null = null;
    const texts: { text: string; start: number | null }[] = [];
    for (let n = 0; n < trainRows.length; n++) {
      let t;
      try {
        if (isChat) {
          if (!renderChat) continue;
          const chat = chatText(renderChat, messagesOf(trainRows[n]));
          t = { text: chat.text, completionStart: chat.spans[0][0], emptyCompletion: false };
        } else t = trainingText(input.prompt, trainRows[n], eos);
      } catch (e) {
        if (e instanceof ChatFormatError) {
          renderProblem ??= `chat row ${split.trainIndices[n]}: ${e.message}`;
          drop('not a conversation with an assistant turn (the job fails on it)');
          continue;
        }
        if (!(e instanceof PromptFormatError || e instanceof UnsupportedFormat)) throw e;
        renderProblem ??= e.message;
        drop(e instanceof UnsupportedFormat ? 'not rendered by the plan (unsupported template field)' : 'missing column (the job fails on it)');
        continue;
      }
      if (t.emptyCompletion) drop('empty completion (trained on the prompt alone)');
      else if (t.completionStart === null) drop('completion not found in the text (trained on the whole text)');
      texts.push({ text: t.text, start: t.completionStart });
      if (sample.length < limit) {
        const at = t.completionStart ?? t.text.length;
        sample.push({ index: split.trainIndices[n], prompt: t.text.slice(0, at), completion: t.text.slice(at), completionLocated: t.completionStart !== null });
      }
    }
    if (renderProblem) {
      if (dropped.has('missing column (the job fails on it)') || dropped.has('not a conversation with an assistant turn (the job fails on it)')) {
        blockers.push(`The job would fail: ${renderProblem}.`);
      }
      else warnings.push(renderProblem);
    }
    rows = {
      known: true,
      total: splits.train.length,
      afterFraction,
      train: split.trainIndices.length,
      eval: split.evalIndices.length,
      evalSplit: split.evalSplit,
      dropped: [...dropped].map(([reason, count]) => ({ reason, rows: count })),
    };
    if (split.trainIndices.length === 0) blockers.push('No training rows after the fraction and the split: raise dataset_fraction or train_test_split.');
    examples = isChat && !renderChat ? split.trainIndices.length : texts.length;
    exactExamples = !JOB_PACKING;

    if (!input.tokenizer.known) tokens = { known: false, reason: input.tokenizer.reason };
    else {
      const measured = spread(texts, input.tokenSampleLimit ?? TOKEN_SAMPLE_LIMIT);
      // chat text holds the template's special tokens already: the job tokenizes it without adding any
      const t = measureTokens(measured, input.tokenizer.tokenizer, maxSeqLength, !isChat);
      const scale = texts.length / Math.max(1, measured.length);
      trainedTokensPerEpoch = Math.round(t.trainedTokens * scale);
      const lost = Math.round(t.completionLostRows * scale);
      const kept = texts.length - lost;
      examples = JOB_PACKING ? (measured.length === texts.length ? countPacks(t.keptLengths, maxSeqLength) : Math.ceil(countPacks(t.keptLengths, maxSeqLength) * scale)) : kept;
      exactExamples = measured.length === texts.length;
      if (lost) dropped.set(`completion truncated away at ${maxSeqLength} tokens (skipped by the job)`, lost);
      if (rows.known) rows.dropped = [...dropped].map(([reason, count]) => ({ reason, rows: count }));
      if (texts.length > 0 && kept <= 0) blockers.push(`Every completion is truncated away at ${maxSeqLength} tokens: the job has nothing to learn.`);
      else if (t.truncatedShare > 0.5) warnings.push(`${Math.round(t.truncatedShare * 100)}% of the rows are longer than ${maxSeqLength} tokens and get truncated.`);
      if (measured.length < texts.length) warnings.push(`Token statistics come from ${measured.length} of ${texts.length} training rows (evenly spaced).`);
      tokens = {
        known: true,
        sampled: measured.length < texts.length,
        rowsMeasured: measured.length,
        prompt: percentiles(t.promptLengths),
        completion: percentiles(t.completionLengths),
        total: percentiles(t.totalLengths),
        histogram: histogram(t.totalLengths, Math.max(maxSeqLength, percentiles(t.totalLengths).max)),
        trainedTokensPerEpoch,
        truncatedShare: t.truncatedShare,
        completionCutShare: t.completionCutShare,
        completionLostRows: lost,
        tokenizer: input.tokenizer.tokenizer.source,
      };
    }
  }

  const steps: FineTuningPlan['steps'] =
    examples === null
      ? { known: false, reason: rows.known ? 'no rows' : rows.reason }
      : {
          known: true,
          packed: JOB_PACKING,
          exact: exactExamples,
          ...planSteps({ examples, epochs, gpus: num(job.num_gpu), numWorkers: num(job.num_workers, 1), trainingArguments: ta }),
        };
  if (steps.known && !steps.exact) {
    warnings.push(
      tokens.known
        ? 'Steps are estimated: token statistics were sampled, so the packed row count is scaled.'
        : 'Steps are an upper bound: the job packs several rows into each sequence, and without the tokenizer the packs are not counted.',
    );
  }

  const memory: FineTuningPlan['memory'] = input.shape.known
    ? (() => {
        const m = estimateMemory({
          shape: input.shape.shape,
          bnbConfig: bnb,
          loraConfig: lora,
          trainingArguments: ta,
          batchSize: steps.known ? steps.batchSize : 8,
          seqLength: maxSeqLength,
        });
        return { known: true as const, ...m, shapeSource: input.shape.shape.source, gpus: gpuVerdicts(m.totalBytes) };
      })()
    : { known: false, reason: input.shape.reason };

  let duration: FineTuningPlan['duration'];
  if (!input.throughput.known) duration = { known: false, reason: input.throughput.reason };
  else if (trainedTokensPerEpoch === null) duration = { known: false, reason: `token counts are unknown (${tokens.known ? '' : tokens.reason})` };
  else {
    const seconds = (trainedTokensPerEpoch * epochs) / input.throughput.tokensPerSecond;
    duration = { known: true, seconds: Math.round(seconds), tokensPerSecond: input.throughput.tokensPerSecond, basedOnJobs: input.throughput.jobs };
  }
  return { warnings, blockers, rows, sample, tokens, steps, memory, duration, maxSeqLength };
}

interface TokenCounts {
  promptLengths: number[];
  completionLengths: number[];
  totalLengths: number[];
  keptLengths: number[];
  trainedTokens: number;
  truncatedShare: number;
  completionCutShare: number;
  completionLostRows: number;
}

/**
 * fine_tune.py's tokenize_rows with completion-only loss: the text truncated
 * at max_length, the prompt part's tokens masked; a row with no label left is skipped.
 */
function measureTokens(texts: readonly { text: string; start: number | null }[], tokenizer: PlanTokenizer, maxLen: number, addSpecialTokens: boolean): TokenCounts {
  const out: TokenCounts = { promptLengths: [], completionLengths: [], totalLengths: [], keptLengths: [], trainedTokens: 0, truncatedShare: 0, completionCutShare: 0, completionLostRows: 0 };
  let truncated = 0;
  let cut = 0;
  for (const { text, start } of texts) {
    const length = tokenizer.count(text, addSpecialTokens);
    // The prompt part's tokens (for chat: up to the first assistant turn), counted by encoding it alone.
    const promptTokens = start === null ? 0 : Math.min(length, tokenizer.count(text.slice(0, start), addSpecialTokens));
    const kept = Math.min(length, maxLen);
    const completionTokens = length - promptTokens;
    const keptCompletion = Math.max(0, kept - promptTokens);
    out.promptLengths.push(promptTokens);
    out.completionLengths.push(completionTokens);
    out.totalLengths.push(length);
    if (length > maxLen) truncated++;
    if (start !== null && keptCompletion === 0) {
      out.completionLostRows++;
      continue;
    }
    if (keptCompletion < completionTokens) cut++;
    out.keptLengths.push(kept);
    out.trainedTokens += kept;
  }
  const n = Math.max(1, texts.length);
  out.truncatedShare = truncated / n;
  out.completionCutShare = cut / n;
  return out;
}
