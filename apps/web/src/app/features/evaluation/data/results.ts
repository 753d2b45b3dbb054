import type { NamedKind } from '../../../core/entity-names';
import { EvalRow, EvalRun, EvaluationJob, TERMINAL } from '../../../core/models';

export const SCORE_METRICS = ['exact_match', 'rouge1', 'rouge2', 'rougeL', 'bleu'] as const;
export const LATENCY_METRICS = ['latency_mean_s', 'latency_p50_s', 'latency_p95_s'] as const;

/** An entity's name by id (kind: which list it is in, for a read by id). */
export type NameOf = (id?: string, kind?: NamedKind) => string;

/** "model + adapter" (or "model (base)") label of a run or job. */
export function runLabel(r: { base_model_id: string; adapter_id?: string }, name: NameOf): string {
  return r.adapter_id ? `${name(r.base_model_id, 'models')} + ${name(r.adapter_id, 'adapters')}` : `${name(r.base_model_id, 'models')} (base)`;
}

/** A run with at least one metric to show (a failed run may carry an empty aggregate). */
export function hasMetrics(r: EvalRun): boolean {
  const a = r.aggregate ?? {};
  return [...SCORE_METRICS, ...LATENCY_METRICS].some((m) => typeof a[m] === 'number');
}

export interface AggregateRow { id: string; label: string; status: string; rows: number | null; values: Record<string, number | null> }

/** One row per run with every aggregate metric (null where missing). */
export function aggregateRows(runs: EvalRun[], name: NameOf): AggregateRow[] {
  return runs.map((r) => {
    const a = r.aggregate ?? {};
    const values: Record<string, number | null> = {};
    for (const m of [...SCORE_METRICS, ...LATENCY_METRICS]) values[m] = typeof a[m] === 'number' ? a[m] : null;
    return { id: r.evaluation_job_id, label: runLabel(r, name), status: r.status, rows: typeof a['rows'] === 'number' ? a['rows'] : (r.rows?.length ?? null), values };
  });
}

export interface BarData { labels: string[]; datasets: { label: string; data: (number | null)[] }[] }

/** Bar chart data: one group per score metric, one bar per run that has an aggregate. */
export function chartData(runs: EvalRun[], name: NameOf): BarData {
  return {
    labels: [...SCORE_METRICS],
    datasets: runs.filter((r) => r.aggregate).map((r) => ({ label: runLabel(r, name), data: SCORE_METRICS.map((m) => (typeof r.aggregate![m] === 'number' ? r.aggregate![m] : null)) })),
  };
}

export interface FlatRow extends EvalRow { run: string }

/** Per-example rows of every run, labelled with their run. */
export function flatRows(runs: EvalRun[], name: NameOf): FlatRow[] {
  return runs.flatMap((r) => (r.rows ?? []).map((row) => ({ ...row, run: runLabel(r, name) })));
}

export interface EvalGroup { parent: string; jobs: EvaluationJob[]; created_at: string; status: string }

/** Overall status of a group: running while any job is not finished, else failed if any failed, else succeeded. */
export function groupStatus(jobs: EvaluationJob[]): string {
  const open = jobs.find((j) => !TERMINAL.includes(j.status));
  if (open) return open.status;
  if (jobs.some((j) => j.status === 'failed')) return 'failed';
  if (jobs.every((j) => j.status === 'cancelled')) return 'cancelled';
  return 'succeeded';
}

/** Jobs grouped by parent_job_id (a job without a parent is its own group), newest group first. */
export function groupByParent(jobs: EvaluationJob[]): EvalGroup[] {
  const m = new Map<string, EvaluationJob[]>();
  for (const j of jobs) {
    const p = j.parent_job_id || j.id;
    const g = m.get(p);
    if (g) g.push(j);
    else m.set(p, [j]);
  }
  return [...m.entries()]
    .map(([parent, js]) => ({ parent, jobs: js, status: groupStatus(js), created_at: js.map((j) => j.created_at ?? '').sort()[0] ?? '' }))
    .sort((a, b) => b.created_at.localeCompare(a.created_at));
}

export function fmtMetric(v: number | null | undefined, digits = 3): string {
  return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '—';
}
