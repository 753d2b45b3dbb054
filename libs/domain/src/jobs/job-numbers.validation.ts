import { invalidArgument } from '../shared/domain-error.js';
import { evaluationFractionInvalid } from './jobs.errors.js';
import { parseJsonContent, type ConfigContent } from '../configs/config.content.js';
import { isPyDict, type PyValue } from '@fts/py-compat';

/**
 * Numbers of job requests (fine-tuning, evaluation, comparison, export):
 * finite, whole where the proto field is an integer, within a range a real
 * machine can honour; and numbers inside their JSON configs finite, so a
 * NaN or an Infinity never reaches the log, the tables or an export (JSON
 * has no Infinity: the event would store null and the export a value no
 * parser reads back).
 */

/** Upper bounds of resource requests: far above any real machine, far below the int32 a client can send. */
export const JOB_NUMBER_LIMITS = {
  cpu: 1024,
  /** GB. */
  memory: 16_384,
  /** Above every node; a runner that knows its capacity refuses more than it has (FAILED_PRECONDITION). */
  gpu: 1024,
  num_workers: 256,
  num_epochs: 100_000,
  replicas: 100,
  gpu_label_id: 2 ** 31 - 1,
} as const;

/** A learning rate above this is a typo (they are of the order 1e-4). */
export const MAX_LEARNING_RATE = 10;

const shown = (v: number) => (Number.isNaN(v) ? 'NaN' : String(v));

/** A whole number in [min, max]; `code` names the refusal. */
export function requireWholeNumber(field: string, value: number, min: number, max: number, code = 'JOB.NUMBER_INVALID'): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(code, `Field '${field}' must be a whole number from ${min} to ${max}; got ${shown(value)}.`);
  }
}

/** A finite number in (0, max]. */
export function requirePositiveFinite(field: string, value: number, max: number, code = 'JOB.NUMBER_INVALID'): void {
  if (!Number.isFinite(value) || !(value > 0) || value > max) {
    throw invalidArgument(code, `Field '${field}' must be a finite number greater than 0 and at most ${max}; got ${shown(value)}.`);
  }
}

/** Resource fields where 0 is "unset" or allowed; every one whole, from `min` to its limit. */
function requireResources(values: Partial<Record<keyof typeof JOB_NUMBER_LIMITS, number>>, min: number): void {
  for (const [field, v] of Object.entries(values) as [keyof typeof JOB_NUMBER_LIMITS, number | undefined][]) {
    if (v === undefined) continue;
    requireWholeNumber(field, v, field === 'gpu_label_id' || field === 'gpu' ? 0 : min, JOB_NUMBER_LIMITS[field]);
  }
}

export function validateFineTuningNumbers(cmd: {
  cpu: number;
  gpu: number;
  memory: number;
  num_workers: number;
  num_epochs: number;
  learning_rate: number;
  gpu_label_id: number;
}): void {
  requireResources(
    { cpu: cmd.cpu, gpu: cmd.gpu, memory: cmd.memory, num_workers: cmd.num_workers, num_epochs: cmd.num_epochs, gpu_label_id: cmd.gpu_label_id ?? 0 },
    1,
  );
  requirePositiveFinite('learning_rate', cmd.learning_rate, MAX_LEARNING_RATE);
}

export function validateEvaluationNumbers(cmd: { cpu: number; gpu: number; memory: number; gpu_label_id: number; eval_dataset_fraction: number }): void {
  requireResources({ cpu: cmd.cpu, gpu: cmd.gpu, memory: cmd.memory, gpu_label_id: cmd.gpu_label_id ?? 0 }, 1);
  if (Number.isNaN(cmd.eval_dataset_fraction)) {
    throw evaluationFractionInvalid();
  }
}

/** Comparisons and exports: 0 is proto3's "unset" (the default), so the range starts at 0. */
export function validateOptionalResources(cmd: { cpu?: number; gpu?: number; memory?: number; replicas?: number; gpu_label_id?: number }): void {
  requireResources(
    { cpu: cmd.cpu ?? 0, gpu: cmd.gpu ?? 0, memory: cmd.memory ?? 0, gpu_label_id: cmd.gpu_label_id ?? 0, ...(cmd.replicas !== undefined ? { replicas: cmd.replicas } : {}) },
    0,
  );
}

/**
 * A job's JSON config field (LoRA, BitsAndBytes, training arguments,
 * generation): `json.loads` as the original did, then it must be a JSON
 * object (the templates pass it as keyword arguments) whose numbers are all finite.
 */
export function parseJobConfig(field: string, text: string): ConfigContent {
  const content = parseJsonContent(text, `Field '${field}'`);
  if (!isPyDict(content.value)) {
    throw invalidArgument('JOB.CONFIG_NOT_OBJECT', `Field '${field}' must be a JSON object, such as {"r": 16}.`);
  }
  requireFiniteNumbers(field, content.value);
  return content;
}

/** Any JSON value whose numbers are all finite (a user config may be any JSON). */
export function parseFiniteJson(field: string, text: string): ConfigContent {
  const content = parseJsonContent(text, `Field '${field}'`);
  requireFiniteNumbers(field, content.value);
  return content;
}

/** Refuses NaN, Infinity and -Infinity (and 1e999, which reads as Infinity) anywhere in a parsed value. */
export function requireFiniteNumbers(field: string, value: PyValue, path = ''): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw invalidArgument(
      'JOB.CONFIG_NOT_FINITE',
      `Field '${field}' holds ${shown(value)}${path ? ` at ${path}` : ''}; every number in it must be finite.`,
    );
  }
  if (Array.isArray(value)) value.forEach((v, i) => requireFiniteNumbers(field, v, `${path}[${i}]`));
  else if (isPyDict(value)) for (const [k, v] of value) requireFiniteNumbers(field, v, path ? `${path}.${k}` : k);
}
