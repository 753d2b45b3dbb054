import type { CatalogReader, Known } from '@fts/domain';

/**
 * Training tokens per second that earlier jobs on the same base model and GPU
 * request recorded: fine_tune.py's result event carries trained_tokens and
 * train_seconds (the Trainer's wall time). Jobs without both are skipped.
 */
export function recordedThroughput(read: CatalogReader, baseModelId: string, gpus: number, gpuLabelId: number): Known<{ tokensPerSecond: number; jobs: number }> {
  const jobs = read.find('fine_tuning_jobs', { base_model_id: baseModelId });
  let tokens = 0;
  let seconds = 0;
  let counted = 0;
  for (const job of jobs) {
    if ((job.num_gpu ?? 0) !== gpus || (job.gpu_label_id ?? 0) !== gpuLabelId) continue;
    const row = read.get('job_results', job.id);
    if (!row || typeof row.result !== 'string') continue;
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(row.result) as Record<string, unknown>;
    } catch {
      continue;
    }
    const t = Number(result.trained_tokens);
    const s = Number(result.train_seconds);
    if (!(t > 0 && s > 0)) continue;
    tokens += t;
    seconds += s;
    counted++;
  }
  if (!counted) {
    return {
      known: false,
      reason: `no earlier job on this base model with ${gpus} GPU(s)${gpuLabelId ? ` of label ${gpuLabelId}` : ''} recorded its trained tokens and training time`,
    };
  }
  return { known: true, tokensPerSecond: tokens / seconds, jobs: counted };
}
