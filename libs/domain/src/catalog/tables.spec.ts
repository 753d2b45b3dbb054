import fs from 'node:fs';
import path from 'node:path';
import { ORIGINAL_TABLES, createTableSql } from './tables.js';

const fixture = path.resolve(process.cwd(), 'tests/fixtures/original-export.json');

describe('projection tables', () => {
  it("reproduce the original's DDL text byte for byte", () => {
    const doc = JSON.parse(fs.readFileSync(fixture, 'utf8')) as Record<string, { schema: string }>;
    for (const t of ORIGINAL_TABLES) {
      expect(createTableSql(t, { withExtensions: false, ifNotExists: true })).toBe(doc[t.name].schema);
    }
  });

  it('keep every original column before this project’s own', () => {
    for (const t of ORIGINAL_TABLES) {
      const firstExt = t.columns.findIndex((c) => c.ext);
      expect(t.columns.slice(firstExt).every((c) => c.ext)).toBe(true);
    }
  });
});
