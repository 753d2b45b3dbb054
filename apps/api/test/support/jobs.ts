/** Helpers for the specs that run jobs: polling, and the smallest start request the progress-only template runs. */
import type { Msg } from './grpc-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `everyMs` until it returns something other than undefined; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface JobInputs {
  model: string;
  dataset: string;
  prompt: string;
}

/** A StartFineTuningJobRequest on `ids` with the smallest resources and one epoch; `extra` overrides any field. */
export function fineTuningRequest(ids: JobInputs, adapter_name: string, extra: Msg = {}): Msg {
  return {
    adapter_name,
    base_model_id: ids.model,
    dataset_id: ids.dataset,
    prompt_id: ids.prompt,
    num_workers: 1,
    num_epochs: 1,
    learning_rate: 0.0002,
    cpu: 1,
    gpu: 0,
    memory: 1,
    train_test_split: 0.9,
    dataset_fraction: 1,
    ...extra,
  };
}
