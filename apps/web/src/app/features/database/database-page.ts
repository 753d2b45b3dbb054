import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { API_BASE, Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { EntityNames, type NamedKind } from '../../core/entity-names';
import { FileSummary, ImportProblem, ImportReport, conflictCount, problemRows, summarizeExport } from './import-file';

/** The tables whose rows EntityNames can name. */
const NAMED = new Set<string>(['datasets', 'models', 'adapters', 'prompts']);

@Component({
  selector: 'app-database-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Database import / export</h1>
    <p class="caption">Export every table as one JSON document, or import such a document. Rows whose id already exists are not overwritten.</p>
    <div class="columns">
      <div class="card">
        <h2>Export</h2>
        <p>Downloads the current state as JSON.</p>
        <a class="btn" [href]="exportUrl" download="fts-export.json" data-testid="export-link">Download export</a>
      </div>
      <div class="card">
        <h2>Import</h2>
        <p class="muted">Choose an export file: what it holds is shown first, and nothing is imported until you press Import.</p>
        <input type="file" accept=".json,application/json" (change)="pick($event)" aria-label="Export file" />
        @if (file(); as f) {
          <table data-testid="import-preview">
            <caption class="muted">{{ f.name }}: {{ f.summary.total }} rows in {{ f.summary.tables.length }} tables</caption>
            <thead><tr><th>Table</th><th>Rows</th></tr></thead>
            <tbody>@for (t of f.summary.tables; track t.table) { <tr><td>{{ t.table }}</td><td>{{ t.rows }}</td></tr> }</tbody>
          </table>
          <button type="button" (click)="runImport()" [disabled]="busy()" data-testid="import-button">Import {{ f.summary.total }} rows</button>
        }
        @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
        @if (report(); as r) {
          <h3>Imported</h3>
          <table data-testid="import-report">
            <thead><tr><th>Table</th><th>Imported</th><th>Already there</th><th>Conflicts</th><th>Skipped</th></tr></thead>
            <tbody>@for (t of r.tables; track t.table) {
              <tr><td>{{ t.table }}</td><td>{{ t.imported }}</td><td>{{ t.unchanged ?? '—' }}</td><td>{{ conflicts(t) }}</td><td>{{ t.skipped }}</td></tr>
            }</tbody>
          </table>
          @if (problems().length) {
            <h3>Not imported</h3>
            <table data-testid="import-problems">
              <thead><tr><th>Entity</th><th>Name</th><th>Why</th></tr></thead>
              <tbody>@for (p of problems(); track $index) {
                <tr><td>{{ p.entity }}</td><td>{{ p.name || '—' }} <span class="mono muted">{{ p.id }}</span></td><td>{{ p.reason }}</td></tr>
              }</tbody>
            </table>
          }
          @if (r.warnings?.length) {
            <h3>Warnings</h3>
            <ul data-testid="import-warnings">@for (w of r.warnings; track $index) { <li>{{ w }}</li> }</ul>
          }
        }
      </div>
    </div>
  `,
  styles: `.columns { display: grid; grid-template-columns: 1fr 2fr; gap: 14px; } caption { text-align: left; padding: 4px 0; } table { margin: 8px 0; }`,
})
export default class DatabasePage {
  private readonly api = inject(Api);
  // Names of the problem rows' entities, read by id: not the whole catalog.
  private readonly names = inject(EntityNames);
  protected readonly exportUrl = `${API_BASE}/database/export`;
  protected readonly file = signal<{ name: string; text: string; summary: FileSummary } | null>(null);
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly problems = computed<ImportProblem[]>(() => {
    const r = this.report();
    return r ? problemRows(r, (id, table) => (NAMED.has(table) ? this.names.name(table as NamedKind, id) : id)) : [];
  });
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly conflicts = conflictCount;

  async pick(ev: Event): Promise<void> {
    const input = ev.target as HTMLInputElement;
    const f = input.files?.[0];
    this.file.set(null);
    this.report.set(null);
    this.error.set(null);
    if (!f) return;
    const text = await f.text();
    const read = summarizeExport(text);
    if ('error' in read) this.error.set(`${f.name}: ${read.error}`);
    else this.file.set({ name: f.name, text, summary: read.summary });
  }

  async runImport(): Promise<void> {
    const f = this.file();
    if (!f) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const r = await this.api.post<{ report: ImportReport }>('/database/import', JSON.parse(f.text));
      this.report.set(r.report);
      this.file.set(null);
    } catch (e) {
      this.error.set(`Import failed: ${errorMessage(e)}`);
    } finally {
      this.busy.set(false);
    }
  }
}
