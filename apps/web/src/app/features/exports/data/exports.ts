import { Injectable, inject } from '@angular/core';
import { Api } from '../../../core/api';
import type { Present, Schemas } from '../../../core/models';

export type ExportType = 'project' | 'cml_model' | 'model_registry';
export type ModelExport = Present<Schemas['ModelExport'], 'id' | 'type' | 'status'>;
/** The body of POST /api/exports as the export form sends it. */
export type ExportRequest = Required<Schemas['ExportModelRequest']> & { type: ExportType };

export const EXPORT_TYPES: { value: ExportType; label: string; help: string }[] = [
  { value: 'project', label: 'Merge into a project folder', help: 'Merges the adapter into the base model and writes the model files to a folder in the project.' },
  { value: 'cml_model', label: 'Deploy as a CML Model', help: 'Creates and deploys a CML Model serving the base model with the adapter.' },
  { value: 'model_registry', label: 'Register in the Model Registry', help: 'Logs the model with MLflow and registers it under the model name.' },
];

@Injectable({ providedIn: 'root' })
export class ExportsApi {
  private readonly api = inject(Api);
  list() { return this.api.get<{ exports: ModelExport[] }>('/exports').then((r) => r.exports ?? []); }
  get(id: string) { return this.api.get<{ export?: ModelExport; model_export?: ModelExport } & Partial<ModelExport>>(`/exports/${id}`).then((r) => r.export ?? r.model_export ?? (r as ModelExport)); }
  start(req: ExportRequest) { return this.api.post<Schemas['ExportModelResponse']>('/exports', req); }
}

/** Replaces (or adds) one export in the list, keeping other rows' objects. */
export function upsertExport(list: ModelExport[], x: ModelExport): ModelExport[] {
  const i = list.findIndex((e) => e.id === x.id);
  if (i < 0) return [x, ...list];
  const next = list.slice();
  next[i] = { ...list[i], ...x };
  return next;
}

/** Problems that block the export form. */
export function exportProblems(r: Pick<ExportRequest, 'type' | 'base_model_id' | 'adapter_id' | 'model_name' | 'artifact_location'>): string[] {
  const p: string[] = [];
  if (!r.base_model_id) p.push('Choose a base model.');
  if (!r.adapter_id) p.push('Choose an adapter.');
  if (!r.model_name.trim()) p.push('Enter a model name.');
  else if (r.type !== 'project' && !/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/.test(r.model_name.trim())) p.push('The model name may use letters, digits, spaces, dots, underscores and hyphens.');
  if (r.type === 'project' && !r.artifact_location.trim()) p.push('Enter the project folder to write the merged model to.');
  return p;
}
