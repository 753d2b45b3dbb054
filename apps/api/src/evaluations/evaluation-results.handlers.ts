import fsp from 'node:fs/promises';
import { Injectable, Inject } from '@nestjs/common';
import { evaluationJobNotFound, isDomainError, type Row, type CatalogReader } from '@fts/domain';
import type { EvaluationRowResult, EvaluationRunResult } from '@fts/proto';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { requireJobId } from '../jobs/job-lookup.js';
import { parseJsonColumn } from '../platform/transport/json-column.js';

/** Rows returned per response, over all runs (the aggregate's `rows` still counts them all). */
export const MAX_RESULT_ROWS = 10_000;
/** Characters of row text (input + expected + output) per response, so a response stays far below the gRPC message limit. */
export const MAX_RESULT_TEXT = 24 * 1024 * 1024;
/** A results.json larger than this is not read (its rows are left out; the aggregate is still returned). */
export const MAX_RESULTS_FILE_BYTES = 64 * 1024 * 1024;

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/**
 * GetEvaluationResults: for an evaluation job id, that run; for a parent id
 * (StartEvaluationJob's shared id), every run of the request in order. Each
 * run carries its status and, once the template's `result` was recorded
 * ({aggregate, results_path, adapter_id}), the aggregate metrics and the
 * per-row results read from `results_path` (inside the project only; a
 * missing or unreadable file gives no rows, the aggregate still comes back).
 */
@Injectable()
export class EvaluationResultsHandlers {
  constructor(
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly paths: ProjectPaths,
  ) {}

  async results(id: string): Promise<EvaluationRunResult[]> {
    requireJobId(id, 'id', 'GetEvaluationResultsRequest');
    const one = this.reader.get('evaluation_jobs', id);
    const runs = one ? [one] : this.reader.find('evaluation_jobs', { parent_job_id: id });
    if (runs.length === 0) throw evaluationJobNotFound(id);
    const budget = { rows: MAX_RESULT_ROWS, text: MAX_RESULT_TEXT };
    const out: EvaluationRunResult[] = [];
    for (const run of runs) out.push(await this.runResult(run, budget));
    return out;
  }

  private async runResult(run: Row, budget: { rows: number; text: number }): Promise<EvaluationRunResult> {
    const id = String(run.id);
    const base: EvaluationRunResult = {
      evaluation_job_id: id,
      base_model_id: text(run.base_model_id),
      adapter_id: text(run.adapter_id),
      status: text(run.status),
      aggregate: {},
      rows: [],
    };
    const recorded = this.reader.get('job_results', id);
    const payload = parseJsonColumn(recorded?.result);
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return base;
    const result = payload as Record<string, unknown>;
    base.aggregate = numbersOf(result.aggregate);
    if (typeof result.results_path === 'string' && result.results_path) {
      const file = await this.readResults(result.results_path);
      if (file && Object.keys(base.aggregate).length === 0) base.aggregate = numbersOf(file.aggregate);
      base.rows = rowsOf(file?.rows, budget);
    }
    return base;
  }

  private async readResults(resultsPath: string): Promise<Record<string, unknown> | undefined> {
    let abs: string;
    try {
      abs = this.paths.resolve(resultsPath, 'results_path');
    } catch (e) {
      if (isDomainError(e)) return undefined; // outside the project: never read
      throw e;
    }
    try {
      const st = await fsp.stat(abs);
      if (!st.isFile() || st.size > MAX_RESULTS_FILE_BYTES) return undefined;
      const parsed: unknown = JSON.parse(await fsp.readFile(abs, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // missing, unreadable or not JSON: no rows
    }
  }
}

/** The finite numbers of a JSON object (the aggregate's metrics); everything else is left out. */
function numbersOf(v: unknown): Record<string, number> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const n = finite(x);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function rowsOf(v: unknown, budget: { rows: number; text: number }): EvaluationRowResult[] {
  if (!Array.isArray(v)) return [];
  const out: EvaluationRowResult[] = [];
  for (const item of v) {
    if (budget.rows <= 0) break;
    if (!item || typeof item !== 'object') continue;
    const r = item as Record<string, unknown>;
    const row: EvaluationRowResult = {
      input: text(r.input),
      expected: text(r.expected),
      output: text(r.output),
      exact_match: finite(r.exact_match) ?? 0,
      rouge1: finite(r.rouge1) ?? 0,
      rouge2: finite(r.rouge2) ?? 0,
      rougeL: finite(r.rougeL) ?? 0,
      bleu: finite(r.bleu) ?? 0,
      latency_s: finite(r.latency_s) ?? 0,
    };
    const size = row.input.length + row.expected.length + row.output.length;
    if (size > budget.text) break;
    budget.text -= size;
    budget.rows -= 1;
    out.push(row);
  }
  return out;
}
