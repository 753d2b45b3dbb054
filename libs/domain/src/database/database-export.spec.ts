import fs from 'node:fs';
import path from 'node:path';
import type { Row } from '../shared/catalog.js';
import { EXPORT_TABLE_ORDER, exportDatabase } from './database-export.js';

const fixture = path.resolve(process.cwd(), 'tests/fixtures/original-export.json');

describe('exportDatabase', () => {
  it("writes the original's rows byte for byte as the original exported them", () => {
    const text = fs.readFileSync(fixture, 'utf8');
    const doc = JSON.parse(text) as Record<string, { data: Row[] }>;
    expect(Object.keys(doc)).toEqual(EXPORT_TABLE_ORDER);
    // Extra columns in the live rows (this project's) are left out by default.
    const out = exportDatabase((t) => doc[t].data.map((r) => ({ ...r, created_at: '2026-01-01T00:00:00.000Z' })), { includeExtensions: false });
    expect(out).toBe(text);
  });

  it('writes DOUBLE columns as Python floats, escapes non-ASCII, and adds extension columns on request', () => {
    const rows: Record<string, Row[]> = {
      fine_tuning_jobs: [{ id: 'j1', learning_rate: 0.00002, dataset_fraction: 1, num_epochs: 2, adapter_name: 'é', status: 'imported' }],
    };
    const plain = JSON.parse(exportDatabase((t) => rows[t] ?? [], { includeExtensions: false })) as Record<string, { schema: string; data: Row[] }>;
    expect(Object.keys(plain.fine_tuning_jobs.data[0])).not.toContain('status');
    const text = exportDatabase((t) => rows[t] ?? [], { includeExtensions: true });
    expect(text).toContain('"learning_rate": 2e-05,');
    expect(text).toContain('"dataset_fraction": 1.0,');
    expect(text).toContain('"num_epochs": 2,');
    expect(text).toContain('"adapter_name": "\\u00e9",');
    const ext = JSON.parse(text) as Record<string, { schema: string; data: Row[] }>;
    expect(ext.fine_tuning_jobs.data[0]).toMatchObject({ status: 'imported', status_message: null, created_at: null });
    expect(ext.fine_tuning_jobs.schema).toContain('\tstatus VARCHAR, \n');
    expect(ext.fine_tuning_jobs.schema.startsWith('CREATE TABLE IF NOT EXISTS fine_tuning_jobs (')).toBe(true);
  });
});
