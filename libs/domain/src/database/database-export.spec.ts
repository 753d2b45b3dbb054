import fs from 'node:fs';
import path from 'node:path';
import type { Row } from '../shared/catalog.js';
import { createTableSql, originalColumns } from '../catalog/tables.js';
import { EXPORT_TABLE_ORDER, EXPORT_TABLES, exportDatabase, exportDatabaseChunks } from './database-export.js';
import { PyFloat, pythonJsonDumps, type PyJson } from '@fts/py-compat';

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

describe('exportDatabaseChunks (issue 10.7)', () => {
  it('writes exactly the document exportDatabase writes, long texts in pieces, non-ASCII split anywhere', () => {
    const long = `${'é😀"\\\n\u0001\u007f'.repeat(30_000)}x`;
    const rows: Record<string, Row[]> = {
      configs: [{ id: 'c1', type: 'custom', config: long, description: null, model_family: null, is_default: 0 }],
      prompts: [],
    };
    const rowsOf = (t: string) => rows[t] ?? [];
    const chunks = [...exportDatabaseChunks(rowsOf, { includeExtensions: false })];
    const whole = chunks.join('');
    expect(chunks.every((c) => c.length <= 6 * 64 * 1024 + 200)).toBe(true);
    // The reference: the whole document at once, as Python's json.dumps(indent=2) writes it.
    const doc: Record<string, PyJson> = {};
    for (const t of EXPORT_TABLES) doc[t.name] = { schema: createTableSql(t, { withExtensions: false, ifNotExists: true }), data: (rows[t.name] ?? []).map((r) => Object.fromEntries(originalColumns(t).map((c) => [c.name, r[c.name] ?? null]))) };
    expect(whole).toBe(pythonJsonDumps(doc, 2));
    expect((JSON.parse(whole) as { configs: { data: { config: string }[] } }).configs.data[0].config).toBe(long);
  });

  it('writes every value as pythonJsonDumps writes the row: each character from 0 to 0x2ff in a string, ints, floats, big ints, DOUBLEs', () => {
    const chars = Array.from({ length: 0x300 }, (_, i) => String.fromCharCode(i));
    const rows: Record<string, Row[]> = {
      prompts: chars.map((c, i) => ({ id: `p${i}`, name: `a${c}b`, prompt_template: c, input_template: `${c}${c}`, completion_template: 'plain text', dataset_id: null })),
      fine_tuning_jobs: [1, 0, -0, 2.5, 1e21, 2 ** 60, 1e-7].map((n, i) => ({ id: `j${i}`, num_epochs: n, learning_rate: n, dataset_fraction: i })),
    };
    const rowsOf = (t: string) => rows[t] ?? [];
    const doc: Record<string, PyJson> = {};
    for (const t of EXPORT_TABLES) {
      const data = (rows[t.name] ?? []).map((r) => Object.fromEntries(originalColumns(t).map((c) => [c.name, (typeof r[c.name] === 'number' && c.type === 'DOUBLE' ? new PyFloat(r[c.name] as number) : r[c.name] ?? null) as PyJson])));
      doc[t.name] = { schema: createTableSql(t, { withExtensions: false, ifNotExists: true }), data };
    }
    expect(exportDatabase(rowsOf, { includeExtensions: false })).toBe(pythonJsonDumps(doc, 2));
  });

  it('writes a non-finite number (a database from before numbers were validated) as null, so the file imports', () => {
    const rowsOf = (t: string): Row[] => (t === 'fine_tuning_jobs' ? [{ id: 'j1', learning_rate: Infinity, num_epochs: -Infinity }] : []);
    const text = exportDatabase(rowsOf, { includeExtensions: false });
    const job = (JSON.parse(text) as { fine_tuning_jobs: { data: Row[] } }).fine_tuning_jobs.data[0];
    expect(job).toMatchObject({ learning_rate: null, num_epochs: null });
  });
});
