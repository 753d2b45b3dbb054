import { InMemoryCatalog, planFineTuning, type PlanTokenizer } from '@fts/domain';
import { recordedThroughput } from './plan-throughput.js';

const job = (id: string, over: Record<string, string | number | null> = {}) => ({
  op: 'insert' as const,
  table: 'fine_tuning_jobs',
  row: { id, base_model_id: 'm1', num_gpu: 1, gpu_label_id: 0, ...over },
});
const result = (id: string, r: object) => ({ op: 'insert' as const, table: 'job_results', row: { id, job_type: 'fine_tuning_job', result: JSON.stringify(r) } });

describe('recordedThroughput', () => {
  it('divides the trained tokens by the training time of earlier jobs on the same model and GPUs', () => {
    const c = new InMemoryCatalog();
    c.apply([
      job('a'),
      result('a', { trained_tokens: 30_000, train_seconds: 10 }),
      job('b'),
      result('b', { trained_tokens: 10_000, train_seconds: 10 }),
      job('c', { num_gpu: 2 }), // another GPU count: not counted
      result('c', { trained_tokens: 1e9, train_seconds: 1 }),
      job('d'), // an older job without train_seconds: not counted
      result('d', { trained_tokens: 5 }),
    ]);
    expect(recordedThroughput(c, 'm1', 1, 0)).toEqual({ known: true, tokensPerSecond: 2000, jobs: 2 });
    const none = recordedThroughput(c, 'm2', 1, 0);
    expect(none.known).toBe(false);
    expect(!none.known && none.reason).toBe('no earlier job on this base model with 1 GPU(s) recorded its trained tokens and training time');
  });

  it('gives the plan a duration: trained tokens per epoch × epochs / tokens per second', () => {
    const tokenizer: PlanTokenizer = { eosToken: '', count: (t) => t.length, renderChat: null, source: 'chars' };
    const rows = Array.from({ length: 10 }, (_, i) => new Map([['q', `q${i}`], ['a', 'answer']]));
    const plan = planFineTuning({
      job: { num_epochs: 3, num_gpu: 1, num_workers: 1, dataset_fraction: 1, train_test_split: 1 },
      prompt: { prompt_template: '{q}:{a}', input_template: '{q}:', completion_template: '{a}' },
      splits: { known: true, rows: { train: rows } },
      shape: { known: false, reason: 'n/a' },
      tokenizer: { known: true, tokenizer },
      throughput: { known: true, tokensPerSecond: 10, jobs: 1 },
    });
    // each row "qN:answer" is 9 characters = 9 "tokens"; 10 rows; 3 epochs; 10 tokens/s
    expect(plan.tokens.known && plan.tokens.trainedTokensPerEpoch).toBe(90);
    expect(plan.tokens.known && plan.tokens.prompt).toEqual({ p50: 3, p90: 3, p99: 3, max: 3 });
    expect(plan.duration).toEqual({ known: true, seconds: 27, tokensPerSecond: 10, basedOnJobs: 1 });
    expect(plan.steps).toMatchObject({ known: true, exact: true, stepsPerEpoch: 1 }); // 10 examples of 9 in 512: one pack
  });

  it('blocks a start whose every completion is truncated away, and one without training rows', () => {
    const tokenizer: PlanTokenizer = { eosToken: '', count: (t) => t.length, renderChat: null, source: 'chars' };
    const rows = [new Map([['q', 'x'.repeat(600)], ['a', 'y']])];
    const base = {
      job: { num_epochs: 1, num_gpu: 0, num_workers: 1, dataset_fraction: 1, train_test_split: 1 },
      prompt: { prompt_template: '{q}{a}', input_template: '{q}', completion_template: '{a}' },
      shape: { known: false as const, reason: 'n/a' },
      tokenizer: { known: true as const, tokenizer },
      throughput: { known: false as const, reason: 'n/a' },
    };
    const plan = planFineTuning({ ...base, splits: { known: true, rows: { train: rows } } });
    expect(plan.blockers).toEqual(['Every completion is truncated away at 512 tokens: the job has nothing to learn.']);
    expect(plan.rows.known && plan.rows.dropped).toEqual([{ reason: 'completion truncated away at 512 tokens (skipped by the job)', rows: 1 }]);
    const empty = planFineTuning({ ...base, splits: { known: true, rows: { train: [] } } });
    expect(empty.blockers).toEqual(['No training rows after the fraction and the split: raise dataset_fraction or train_test_split.']);
  });
});
