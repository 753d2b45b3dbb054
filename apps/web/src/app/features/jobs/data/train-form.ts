import { fmtNumber } from '../../../core/format';
import { Config, FineTuningJob } from '../../../core/models';

/** Training-argument keys the form's own fields set (the original's UI overwrote them before submitting). */
export const FORM_OWNED_ARGS = { num_train_epochs: 'Number of epochs', learning_rate: 'Learning rate' } as const;
type OwnedKey = keyof typeof FORM_OWNED_ARGS;

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface Override { key: OwnedKey; field: string; json: unknown; form: number }

/** The form fields that replace a different value in the training-arguments JSON (none while the JSON is invalid). */
export function overriddenArgs(trainingArgs: string, epochs: number, learningRate: number): Override[] {
  const args = parseObject(trainingArgs);
  if (!args) return [];
  const form: Record<OwnedKey, number> = { num_train_epochs: epochs, learning_rate: learningRate };
  return (Object.keys(FORM_OWNED_ARGS) as OwnedKey[])
    .filter((k) => k in args && Number(args[k]) !== form[k])
    .map((k) => ({ key: k, field: FORM_OWNED_ARGS[k], json: args[k], form: form[k] }));
}

/** "Number of epochs (10) replaces num_train_epochs 1" for each override, for the form's note. */
export function overrideNote(o: Override): string {
  const json = typeof o.json === 'number' ? fmtNumber(o.json) : JSON.stringify(o.json);
  return `${o.field} (${fmtNumber(o.form)}) replaces "${o.key}": ${json}`;
}

/** The training-arguments JSON as submitted: the form's epochs and learning rate written into it, so the job records the values it runs with. */
export function withFormArgs(trainingArgs: string, epochs: number, learningRate: number): string {
  const args = parseObject(trainingArgs);
  if (!args) return trainingArgs;
  return JSON.stringify({ ...args, num_train_epochs: epochs, learning_rate: learningRate }, null, 2);
}

/** The form fields a saved training-arguments config carries (its epochs and learning rate move into the form). */
export function formArgsOf(trainingArgs: string): { epochs?: number; learningRate?: number } {
  const args = parseObject(trainingArgs) ?? {};
  const n = (v: unknown) => (typeof v === 'number' && isFinite(v) && v > 0 ? v : undefined);
  return { epochs: n(args['num_train_epochs']), learningRate: n(args['learning_rate']) };
}

/** `name`, or `name-2`, `name-3`… : the first that no job or adapter uses yet. */
export function nextName(name: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const stem = name.replace(/-\d+$/, '');
  if (!used.has(name)) return name;
  for (let i = 2; ; i++) if (!used.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

export interface TrainForm {
  adapterName: string; outputDir: string; datasetId: string; promptId: string; modelId: string; multiNode: boolean; numWorkers: number;
  cpu: number; memory: number; gpu: number; epochs: number; learningRate: string; fraction: number; split: number;
  lora: string; bnb: string; trainingArgs: string;
}

const pretty = (text: string | undefined, fallback: string) => {
  const v = text ? parseObject(text) : null;
  return v ? JSON.stringify(v, null, 2) : fallback;
};

/** The form filled from a job ("run again with the same settings"), under an adapter name not yet taken. */
export function formFromJob(job: FineTuningJob, defaults: TrainForm, takenNames: Iterable<string>): TrainForm {
  const num = (v: unknown, d: number) => (typeof v === 'number' && isFinite(v) && v > 0 ? v : d);
  const workers = num(job.num_workers, 1);
  return {
    adapterName: nextName(job.adapter_name || defaults.adapterName, takenNames),
    // Same settings: a job started without an output location (the server's default) runs again without one.
    outputDir: job.out_dir ?? '',
    datasetId: job.dataset_id, promptId: job.prompt_id, modelId: job.base_model_id,
    multiNode: workers > 1, numWorkers: workers,
    cpu: num(job.num_cpu, defaults.cpu), memory: num(job.num_memory, defaults.memory), gpu: typeof job.num_gpu === 'number' ? job.num_gpu : defaults.gpu,
    epochs: num(job.num_epochs, defaults.epochs),
    learningRate: job.learning_rate !== undefined ? fmtNumber(job.learning_rate, 7) : defaults.learningRate,
    fraction: num(job.dataset_fraction, defaults.fraction), split: num(job.train_test_split, defaults.split),
    lora: pretty(job.lora_config, defaults.lora), bnb: pretty(job.adapter_bnb_config || job.model_bnb_config, defaults.bnb),
    trainingArgs: pretty(job.training_arguments_config, defaults.trainingArgs),
  };
}

const CONFIG_TYPES: Record<string, string> = {
  lora_config: 'LoRA', bitsandbytes_config: 'BitsAndBytes', training_arguments: 'Training arguments', generation_config: 'Generation',
};

/** A few key settings of a config, so a config is told apart without its id ("r 16 · alpha 32 · dropout 0.05"). */
export function configSummary(c: Config): string {
  const v = parseObject(c.config);
  if (!v) return '';
  const pick: Record<string, [string, string][]> = {
    lora_config: [['r', 'r'], ['lora_alpha', 'alpha'], ['lora_dropout', 'dropout'], ['task_type', '']],
    bitsandbytes_config: [['load_in_4bit', '4-bit'], ['load_in_8bit', '8-bit'], ['bnb_4bit_quant_type', ''], ['bnb_4bit_compute_dtype', '']],
    training_arguments: [['num_train_epochs', 'epochs'], ['learning_rate', 'lr'], ['per_device_train_batch_size', 'batch'], ['optim', '']],
    generation_config: [['max_new_tokens', 'max tokens'], ['temperature', 'temperature'], ['top_p', 'top_p'], ['do_sample', 'sampling']],
  };
  const keys = pick[c.type] ?? Object.keys(v).slice(0, 4).map((k): [string, string] => [k, k]);
  const parts: string[] = [];
  for (const [k, label] of keys) {
    if (!(k in v)) continue;
    const x = v[k];
    if (typeof x === 'boolean') { if (x) parts.push(label || k); continue; }
    const shown = typeof x === 'number' ? fmtNumber(x) : String(x);
    parts.push(label ? `${label} ${shown}` : shown);
  }
  return parts.join(' · ');
}

/** A config's title: its description, else its type; "default" marks the seeded ones. */
export function configTitle(c: Config): string {
  const type = CONFIG_TYPES[c.type] ?? c.type;
  const base = c.description?.trim() || type;
  return c.is_default ? `${base} (default)` : base;
}
