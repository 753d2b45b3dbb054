import { EvalRun, EvaluationJob } from '../../../core/models';
import { aggregateRows, chartData, flatRows, fmtMetric, groupByParent, groupStatus, hasMetrics, runLabel } from './results';

const name = (id?: string) => ({ m: 'Llama', a: 'arith-adapter' })[id as 'm' | 'a'] ?? id ?? '';
const runs: EvalRun[] = [
  { evaluation_job_id: 'e1', base_model_id: 'm', adapter_id: '', status: 'succeeded',
    aggregate: { exact_match: 0.5, rouge1: 0.7, rouge2: 0.4, rougeL: 0.6, bleu: 0.3, latency_mean_s: 0.1, latency_p50_s: 0.1, latency_p95_s: 0.2, rows: 2 },
    rows: [{ input: 'q1', expected: '2', output: '2', exact_match: 1 }, { input: 'q2', expected: '4', output: '5', exact_match: 0 }] },
  { evaluation_job_id: 'e2', base_model_id: 'm', adapter_id: 'a', status: 'succeeded', aggregate: { exact_match: 1, rouge1: 1 }, rows: [{ input: 'q1', expected: '2', output: '2' }] },
  { evaluation_job_id: 'e3', base_model_id: 'm', adapter_id: 'a', status: 'running' },
];

describe('evaluation results mapping', () => {
  it('labels runs by model and adapter', () => {
    expect(runLabel(runs[0], name)).toBe('Llama (base)');
    expect(runLabel(runs[1], name)).toBe('Llama + arith-adapter');
  });
  it('maps one aggregate row per run with null for missing metrics', () => {
    const rows = aggregateRows(runs.slice(0, 2), name);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: 'e1', label: 'Llama (base)', rows: 2 });
    expect(rows[0].values['bleu']).toBe(0.3);
    expect(rows[1].values['bleu']).toBeNull();
    expect(rows[1].rows).toBe(1); // falls back to the row count
  });
  it('builds one bar series per run with an aggregate', () => {
    const d = chartData(runs, name);
    expect(d.labels).toEqual(['exact_match', 'rouge1', 'rouge2', 'rougeL', 'bleu']);
    expect(d.datasets.map((s) => s.label)).toEqual(['Llama (base)', 'Llama + arith-adapter']);
    expect(d.datasets[1].data).toEqual([1, 1, null, null, null]);
  });
  it('flattens per-example rows with their run', () => {
    const f = flatRows(runs, name);
    expect(f).toHaveLength(3);
    expect(f[2]).toMatchObject({ run: 'Llama + arith-adapter', input: 'q1' });
  });
  it('formats metrics', () => {
    expect(fmtMetric(0.12345)).toBe('0.123');
    expect(fmtMetric(null)).toBe('—');
  });
});

describe('grouping evaluation jobs', () => {
  const job = (id: string, parent: string, status: string, created_at: string) => ({ id, parent_job_id: parent, base_model_id: 'm', dataset_id: 'd', status, created_at }) as EvaluationJob;
  it('groups by parent, newest first', () => {
    const g = groupByParent([job('1', 'p1', 'succeeded', '2026-01-01'), job('2', 'p2', 'running', '2026-01-02'), job('3', 'p1', 'failed', '2026-01-01')]);
    expect(g.map((x) => x.parent)).toEqual(['p2', 'p1']);
    expect(g[1].jobs.map((j) => j.id)).toEqual(['1', '3']);
    expect(g[1].status).toBe('failed');
  });
  it('treats a job without parent as its own group', () => expect(groupByParent([job('x', '', 'queued', '')])[0].parent).toBe('x'));
  it('is running while any job is open', () => expect(groupStatus([job('1', 'p', 'succeeded', ''), job('2', 'p', 'running', '')])).toBe('running'));
});

describe('hasMetrics', () => {
  it('is false for a failed run with an empty aggregate', () => {
    expect(hasMetrics({ evaluation_job_id: 'e', base_model_id: 'm', status: 'failed', aggregate: { rows: 0 } })).toBe(false);
    expect(hasMetrics({ evaluation_job_id: 'e', base_model_id: 'm', status: 'failed' })).toBe(false);
    expect(hasMetrics({ evaluation_job_id: 'e', base_model_id: 'm', status: 'succeeded', aggregate: { rows: 3, bleu: 0.5 } })).toBe(true);
  });
});
