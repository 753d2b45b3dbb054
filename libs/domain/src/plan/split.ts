import { sha256Words } from './sha256.js';

/**
 * The job's deterministic sample-and-split (job-templates/fts_jobs/split.py),
 * ported line for line so a plan counts exactly the rows the job will train
 * on: rows ordered by sha256(`${seed}:${index}`), `dataset_fraction` keeps
 * floor(n * fraction) (at least 1), then ceil(m * (1 - train_test_split)) are
 * held out unless the dataset has its own eval/test split. Indices ascending.
 */
export const SPLIT_SEED = 42;
export const EVAL_SPLIT_NAMES = ['eval', 'test'] as const;
const EPS = 1e-9;

export interface RowSplit {
  trainSplit: 'train';
  trainIndices: number[];
  /** 'train' when held out of the train split, else 'eval' / 'test'. */
  evalSplit: string;
  evalIndices: number[];
}

/** Python's round(value, 6) on the fraction, as split.py does. */
const fractionOf = (name: string, value: number): number => {
  if (!(value > 0 && value <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${value}`);
  return Math.round(value * 1e6) / 1e6;
};

const keepCount = (n: number, fraction: number) => (n === 0 ? 0 : Math.max(1, Math.min(n, Math.floor(n * fraction + EPS))));

/** Indices sorted by the bytes of sha256(`${seed}:${i}`). */
export function hashOrder(indices: readonly number[], seed: number): number[] {
  const keyed = indices.map((i) => ({ i, key: sha256Words(`${seed}:${i}`) }));
  keyed.sort((a, b) => {
    for (let w = 0; w < 8; w++) if (a.key[w] !== b.key[w]) return a.key[w] - b.key[w];
    return 0;
  });
  return keyed.map((k) => k.i);
}

const ascending = (xs: number[]) => xs.sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function sampleAndSplit(
  nTrainRows: number,
  datasetFraction: number,
  trainTestSplit: number,
  seed = SPLIT_SEED,
  existingEval?: { rows: number; split: string },
): RowSplit {
  if (nTrainRows < 0) throw new RangeError('row count must be >= 0');
  const fraction = fractionOf('dataset_fraction', datasetFraction);
  const trainShare = fractionOf('train_test_split', trainTestSplit);
  const sampled = fraction >= 1 ? range(nTrainRows) : hashOrder(range(nTrainRows), seed).slice(0, keepCount(nTrainRows, fraction));
  if (existingEval) {
    return { trainSplit: 'train', trainIndices: ascending(sampled), evalSplit: existingEval.split, evalIndices: range(existingEval.rows) };
  }
  const ordered = hashOrder(sampled, seed);
  const m = ordered.length;
  const nEval = trainShare >= 1 ? 0 : Math.min(m, Math.ceil(m * (1 - trainShare) - EPS));
  return {
    trainSplit: 'train',
    trainIndices: ascending(ordered.slice(0, m - nEval)),
    evalSplit: 'train',
    evalIndices: ascending(ordered.slice(m - nEval)),
  };
}

/** split.py's split_dataset over {split name: row count}. */
export function splitDataset(splitSizes: Record<string, number>, datasetFraction: number, trainTestSplit: number, seed = SPLIT_SEED): RowSplit {
  if (!('train' in splitSizes)) {
    throw new RangeError(`the dataset has no "train" split (splits: ${Object.keys(splitSizes).sort().join(', ') || 'none'})`);
  }
  const evalName = EVAL_SPLIT_NAMES.find((n) => n in splitSizes);
  return sampleAndSplit(splitSizes.train, datasetFraction, trainTestSplit, seed, evalName ? { rows: splitSizes[evalName], split: evalName } : undefined);
}

/** split.py's EVAL_SAMPLE_SEED: the original sampled the evaluation rows with random_state=420. */
export const EVAL_SAMPLE_SEED = 420;

/** split.py's subsample: round(n × fraction) rows (at least 1), then at most maxRows; ascending. */
export function subsample(indices: readonly number[], fraction = 1, seed = EVAL_SAMPLE_SEED, maxRows?: number): number[] {
  const f = fractionOf('eval_dataset_fraction', fraction);
  const ordered = hashOrder(indices, seed);
  const n = ordered.length;
  let keep = f >= 1 ? n : n ? Math.max(1, Math.floor(n * f + 0.5)) : 0;
  if (maxRows !== undefined) keep = Math.min(keep, maxRows);
  return ascending(ordered.slice(0, keep));
}
