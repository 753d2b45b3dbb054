import { describe, expect, it } from 'vitest';
import { conflictCount, entityOf, problemRows, summarizeExport } from './import-file';

describe('summarizeExport', () => {
  it('counts the rows of every table', () => {
    const text = JSON.stringify({ models: { schema: '', data: [{ id: 'm1' }, { id: 'm2' }] }, datasets: { schema: '', data: [] } });
    expect(summarizeExport(text)).toEqual({ summary: { tables: [{ table: 'models', rows: 2 }, { table: 'datasets', rows: 0 }], total: 2 } });
  });
  it('says why a file is not an export', () => {
    expect(summarizeExport('{')).toMatchObject({ error: expect.stringMatching(/^This file is not JSON/) });
    expect(summarizeExport('[]')).toEqual({ error: 'This file is not a database export: it should be a JSON object of tables.' });
    expect(summarizeExport('{"models": {"schema": ""}}')).toEqual({ error: 'Table "models" has no list of rows ("data"): this is not a database export.' });
    expect(summarizeExport('{}')).toEqual({ error: 'This export holds no tables.' });
  });
});

describe('import report', () => {
  const names = (id: string) => ({ d1: 'tickets' })[id] ?? id;
  it('uses the server’s problem list', () => {
    const report = { tables: [{ table: 'datasets', imported: 0, skipped: 0, unchanged: 3, problems: [{ entity: 'dataset', id: 'd1', name: 'tickets', reason: 'a different dataset has this id' }] }] };
    expect(problemRows(report, names)).toEqual([{ entity: 'dataset', id: 'd1', name: 'tickets', reason: 'a different dataset has this id' }]);
    expect(conflictCount(report.tables[0])).toBe(1);
  });
  it('reads an older server’s "<id>: <why>" conflict lines', () => {
    const report = { tables: [{ table: 'fine_tuning_jobs', imported: 1, skipped: 0, conflicts: ['d1: already exists with other values'] }] };
    expect(problemRows(report, names)).toEqual([{ entity: 'fine-tuning job', id: 'd1', name: 'tickets', reason: 'already exists with other values' }]);
    expect(conflictCount(report.tables[0])).toBe(1);
  });
  it('names tables as entities', () => {
    expect(entityOf('datasets')).toBe('dataset');
    expect(entityOf('evaluation_jobs')).toBe('evaluation job');
    expect(entityOf('model_exports')).toBe('model export');
  });
});
