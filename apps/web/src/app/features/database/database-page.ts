import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { API_BASE, Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { Catalog } from '../../core/catalog';

interface ImportReport { tables: { table: string; imported: number; conflicts: number; skipped: number }[]; warnings?: string[] }

@Component({
  selector: 'app-database-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Database import / export</h1>
    <p class="caption">Export every table as one JSON document, or import such a document. Rows whose id already exists are not overwritten.</p>
    <div class="grid2">
      <div class="card">
        <h2>Export</h2>
        <p>Downloads the current state as JSON.</p>
        <a class="btn" [href]="exportUrl" download="fts-export.json" data-testid="export-link">Download export</a>
      </div>
      <div class="card">
        <h2>Import</h2>
        <input type="file" accept=".json,application/json" (change)="pick($event)" aria-label="Export file" />
        @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
        @if (report(); as r) {
          <table data-testid="import-report">
            <thead><tr><th>Table</th><th>Imported</th><th>Conflicts</th><th>Skipped</th></tr></thead>
            <tbody>@for (t of r.tables; track t.table) { <tr><td>{{ t.table }}</td><td>{{ t.imported }}</td><td>{{ t.conflicts }}</td><td>{{ t.skipped }}</td></tr> }</tbody>
          </table>
          @for (w of r.warnings ?? []; track $index) { <p class="muted">{{ w }}</p> }
        }
      </div>
    </div>
  `,
})
export default class DatabasePage {
  private readonly api = inject(Api);
  private readonly catalog = inject(Catalog);
  protected readonly exportUrl = `${API_BASE}/database/export`;
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly error = signal<string | null>(null);

  async pick(ev: Event): Promise<void> {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (!file) return;
    this.error.set(null);
    try {
      const text = await file.text();
      let doc: unknown;
      try { doc = JSON.parse(text); } catch (e) { throw new Error(`${file.name} is not JSON: ${(e as Error).message}`); }
      const r = await this.api.post<{ report: ImportReport }>('/database/import', doc);
      this.report.set(r.report);
      await this.catalog.reload();
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }
}
