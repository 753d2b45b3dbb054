import { comparisonAdapterIds, type AdapterComparisonRow, type JobResultRow } from '@fts/domain';
import type { AdapterComparison, ComparisonOutput } from '@fts/proto';
import { parseJsonColumn } from '../platform/transport/json-column.js';

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The most outputs a comparison can have: the base model and 10 adapters (a stored list is never trusted to be short). */
const MAX_OUTPUTS = 11;

/** `[{adapter_id, output, latency_s}]` as ComparisonOutput messages; the base model's entry has adapter_id null → ''. */
export function toComparisonOutputs(list: unknown): ComparisonOutput[] {
  if (!Array.isArray(list)) return [];
  return list.slice(0, MAX_OUTPUTS).flatMap((item): ComparisonOutput[] => {
    if (!item || typeof item !== 'object') return [];
    const o = item as Record<string, unknown>;
    return [
      {
        adapter_id: typeof o.adapter_id === 'string' ? o.adapter_id : '',
        output: typeof o.output === 'string' ? o.output : o.output === undefined || o.output === null ? '' : JSON.stringify(o.output),
        latency_s: finite(o.latency_s) ?? 0,
      },
    ];
  });
}

/**
 * An adapter_comparisons row as AdapterComparison. Outputs come from the
 * row's `outputs` column (recorded by the supervisor) or, while that is
 * empty, from the job's recorded result (`{outputs: [...]}`).
 */
export function toAdapterComparisonMessage(row: AdapterComparisonRow, result?: JobResultRow): AdapterComparison {
  let outputs = toComparisonOutputs(parseJsonColumn(row.outputs));
  if (outputs.length === 0 && result) {
    const payload = parseJsonColumn(result.result);
    if (payload && typeof payload === 'object') outputs = toComparisonOutputs((payload as Record<string, unknown>).outputs);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: str(row.id),
    base_model_id: str(row.base_model_id),
    adapter_ids: comparisonAdapterIds(row),
    input_text: str(row.input_text),
    generation_config: str(row.generation_config),
    status: str(row.status),
    status_message: str(row.status_message),
    outputs,
    created_at: str(row.created_at),
    updated_at: str(row.updated_at),
  };
}
