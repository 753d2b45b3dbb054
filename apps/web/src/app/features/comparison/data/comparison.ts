import { Injectable, inject } from '@angular/core';
import { Api } from '../../../core/api';
import type { NamedKind } from '../../../core/entity-names';
import type { Needs, Schemas } from '../../../core/models';

/** One output: the base model's has adapter_id '' (null from older servers). */
export type ComparisonOutput = Omit<Needs<Schemas['ComparisonOutput'], 'output'>, 'adapter_id'> & { adapter_id: string | null };
export type Comparison = Omit<Needs<Schemas['AdapterComparison'], 'id' | 'status' | 'base_model_id' | 'adapter_ids' | 'input_text'>, 'outputs'> & { outputs?: ComparisonOutput[] };

@Injectable({ providedIn: 'root' })
export class ComparisonApi {
  private readonly api = inject(Api);
  start(req: { base_model_id: string; adapter_ids: string[]; input_text: string; generation_config: string }) {
    return this.api.post<{ comparison: Comparison }>('/comparisons', req).then((r) => r.comparison);
  }
  get(id: string) { return this.api.get<{ comparison: Comparison }>(`/comparisons/${id}`).then((r) => r.comparison); }
}

export interface OutputCard { key: string; title: string; output: string | null; latency_s?: number }

/** Cards in display order: the base model first, then each requested adapter (null output while pending). */
export function outputCards(c: Comparison, name: (id?: string, kind?: NamedKind) => string): OutputCard[] {
  const outs = c.outputs ?? [];
  const find = (id: string) => outs.find((o) => (o.adapter_id ?? '') === id);
  const ids = ['', ...c.adapter_ids.filter((a) => a)];
  for (const o of outs) if (!ids.includes(o.adapter_id ?? '')) ids.push(o.adapter_id ?? '');
  return ids.map((id) => {
    const o = find(id);
    return { key: id || 'base', title: id ? `Adapter: ${name(id, 'adapters')}` : `Base model: ${name(c.base_model_id, 'models')}`, output: o ? o.output : null, latency_s: o?.latency_s };
  });
}

/** Text of a dataset row to use as comparison input: the prompt's input template filled in, else the first text column. */
export function rowInput(row: Record<string, unknown>, template?: string): string {
  if (template) return template.replace(/\{(\w+)\}/g, (m, k) => (k in row ? String(row[k] ?? '') : m));
  const first = Object.values(row).find((v) => typeof v === 'string');
  return first === undefined ? JSON.stringify(row) : String(first);
}
