import { parseImportDocument } from './import-document.js';
import { errorOf } from '../../test/support/testing.js';

const doc = (tables: Record<string, unknown>) => JSON.stringify(tables);
const prompts = (data: unknown[]) => ({ prompts: { schema: 'CREATE TABLE IF NOT EXISTS prompts (...)', data } });

describe('parseImportDocument', () => {
  it('keeps tables in file order and rows as given; booleans become 0/1', () => {
    const d = parseImportDocument(
      doc({
        ...prompts([{ id: 'p1', name: 'A', description: null }]),
        configs: { schema: '', data: [{ id: 'c1', is_default: true, config: '{}' }] },
        alembic_version: { schema: 'CREATE TABLE alembic_version (...)', data: [{ version_num: '52d1db1b40a8' }] },
      }),
    );
    expect(d.tables.map((t) => t.name)).toEqual(['prompts', 'configs', 'alembic_version']);
    expect(d.tables[0].rows).toEqual([{ id: 'p1', name: 'A', description: null }]);
    expect(d.tables[1].rows[0].is_default).toBe(1);
    expect(d.tables[2].skipped).toMatchObject({ rows: 1 });
  });

  it("uses the original's wording for structural errors", () => {
    expect(errorOf(() => parseImportDocument('[1]')).message).toBe('Invalid JSON structure: root must be an object');
    expect(errorOf(() => parseImportDocument('null')).code).toBe('IMPORT.INVALID_STRUCTURE');
    expect(errorOf(() => parseImportDocument(doc({ prompts: [] }))).message).toBe('Invalid table information for table prompts');
    expect(errorOf(() => parseImportDocument(doc({ prompts: { data: [] } }))).message).toBe('Missing schema or data for table prompts');
    expect(errorOf(() => parseImportDocument(doc({ prompts: { schema: 's' } }))).message).toBe('Missing schema or data for table prompts');
  });

  it("reports invalid JSON with the parser's reason", () => {
    const e = errorOf(() => parseImportDocument('{"prompts": '));
    expect(e.kind).toBe('invalid_argument');
    expect(e.code).toBe('IMPORT.INVALID_JSON');
    expect(e.message).toMatch(/^Invalid JSON: .+/);
  });

  it('refuses unknown tables and columns, naming them, instead of running the schema', () => {
    const t = errorOf(() => parseImportDocument(doc({ users: { schema: 'DROP TABLE prompts', data: [] } })));
    expect(t.code).toBe('IMPORT.UNKNOWN_TABLE');
    expect(t.message).toContain("'users'");
    const c = errorOf(() => parseImportDocument(doc(prompts([{ id: 'p1', name: 'A' }, { id: 'p2', evil: 'x' }]))));
    expect(c.code).toBe('IMPORT.UNKNOWN_COLUMN');
    expect(c.message).toContain("'evil'");
    expect(c.message).toContain('prompts');
    expect(errorOf(() => parseImportDocument('{"__proto__": {"schema": "", "data": []}}')).code).toBe('IMPORT.UNKNOWN_TABLE');
  });

  it('refuses rows that are not objects or have no id, and values that are not scalars', () => {
    expect(errorOf(() => parseImportDocument(doc(prompts(['p1'])))).code).toBe('IMPORT.INVALID_ROW');
    expect(errorOf(() => parseImportDocument(doc(prompts([{ name: 'A' }])))).code).toBe('IMPORT.INVALID_ROW');
    expect(errorOf(() => parseImportDocument(doc(prompts([{ id: '  ' }])))).code).toBe('IMPORT.INVALID_ROW');
    expect(errorOf(() => parseImportDocument(doc(prompts([{ id: 7 }])))).code).toBe('IMPORT.INVALID_ROW');
    expect(errorOf(() => parseImportDocument(doc(prompts([{ id: 'p1', name: { x: 1 } }])))).code).toBe('IMPORT.INVALID_VALUE');
    expect(errorOf(() => parseImportDocument(doc(prompts([{ id: 'p1', name: ['x'] }])))).code).toBe('IMPORT.INVALID_VALUE');
    expect(errorOf(() => parseImportDocument('{"prompts": {"schema": "", "data": [{"id": "p", "name": 1e999}]}}')).code).toBe(
      'IMPORT.INVALID_VALUE',
    );
    expect(errorOf(() => parseImportDocument(doc({ prompts: { schema: '', data: {} } }))).code).toBe('IMPORT.INVALID_TABLE');
  });
});
