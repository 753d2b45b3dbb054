import { projectEvent } from '../projections.js';
import { given, FIXED_NOW } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import type { Row } from '../shared/catalog.js';
import { parseImportDocument } from './import-document.js';
import { IMPORTED_JOB_MESSAGE, importDatabase, referencedLocations, type ImportTableReport } from './import.decider.js';

const added = (streamType: string, type: string, row: Row): NewEvent => ({
  type,
  streamId: `${streamType}-${String(row.id)}`,
  streamType,
  data: { row },
});

const file = (tables: Record<string, Row[]>) =>
  parseImportDocument(JSON.stringify(Object.fromEntries(Object.entries(tables).map(([t, data]) => [t, { schema: '', data }]))));

const dataset = { id: 'd1', type: 'project_csv', name: 'Tickets', location: 'data/t.csv', features: '["q"]' };
const prompt = { id: 'p1', type: 'in_place', name: 'Ask', dataset_id: 'd1', prompt_template: 'Q: {q}', input_template: 'Q: ', completion_template: '{q}' };
const promptRow = (over: Row) => ({ ...prompt, ...over });
const table = (name: string, over: Partial<ImportTableReport> = {}): ImportTableReport => ({
  table: name,
  imported: 0,
  conflicts: [],
  skipped: 0,
  unchanged: 0,
  problems: [],
  ...over,
});

describe('ImportDatabase into an empty project', () => {
  it('records one <Entity>Imported event per row, on the row’s own stream, completing every column', () => {
    const d = given(projectEvent).run((ctx) =>
      importDatabase(file({ datasets: [dataset], prompts: [prompt], configs: [{ id: 'c1', type: 'lora_config', config: '{}' }] }), ctx),
    );
    expect(d.events.map((e) => [e.type, e.streamId, e.expectedVersion])).toEqual([
      ['DatasetImported', 'dataset-d1', 0],
      ['PromptImported', 'prompt-p1', 0],
      ['ConfigImported', 'config-c1', 0],
    ]);
    expect((d.events[1].data as { row: Row }).row).toEqual({ ...prompt, description: null, created_at: FIXED_NOW });
    expect(d.result.tables).toEqual([table('datasets', { imported: 1 }), table('prompts', { imported: 1 }), table('configs', { imported: 1 })]);
    expect(d.result.warnings).toEqual([]);
  });

  it('gives imported jobs the status "imported", which claims no outcome', () => {
    const d = given(projectEvent).when((ctx) =>
      importDatabase(file({ fine_tuning_jobs: [{ id: 'j1', adapter_name: 'a', learning_rate: 0.0002 }], evaluation_jobs: [{ id: 'e1', status: 'succeeded' }] }), ctx),
    );
    const rows = d.events.map((e) => (e.data as { row: Row }).row);
    expect(rows[0]).toMatchObject({ status: 'imported', status_message: IMPORTED_JOB_MESSAGE, created_at: FIXED_NOW, updated_at: FIXED_NOW, learning_rate: 0.0002 });
    // An extended export of this server may carry an outcome; a run in progress is never claimed.
    expect(rows[1]).toMatchObject({ status: 'succeeded' });
    const running = given(projectEvent).when((ctx) => importDatabase(file({ evaluation_jobs: [{ id: 'e2', status: 'running' }] }), ctx));
    expect((running.events[0].data as { row: Row }).row.status).toBe('imported');
  });

  it('warns about references that point at nothing: missing rows and missing files', () => {
    const doc = file({
      datasets: [dataset],
      adapters: [{ id: 'a1', name: 'ad', model_id: 'm-missing', prompt_id: 'p1', location: 'data/adapters/ad', fine_tuning_job_id: '' }],
      prompts: [prompt, { ...prompt, id: 'p2', name: 'Other', dataset_id: 'd-missing' }],
    });
    expect(referencedLocations(doc).sort()).toEqual(['data/adapters/ad', 'data/t.csv']);
    const d = given(projectEvent).when((ctx) => importDatabase(doc, ctx, { locations: new Map([['data/adapters/ad', 'missing' as const]]) }));
    expect(d.events).toHaveLength(4);
    expect(d.result.warnings).toEqual([
      "adapters a1 (ad): location 'data/adapters/ad' does not exist in this project.",
      "adapters a1 (ad): model_id 'm-missing' matches no row in models.",
      "prompts p2 (Other): dataset_id 'd-missing' matches no row in datasets.",
    ]);
  });

  it('skips the original’s alembic_version table with a warning', () => {
    const doc = parseImportDocument(JSON.stringify({ alembic_version: { schema: '', data: [{ version_num: '52d1db1b40a8' }] } }));
    const d = given(projectEvent).when((ctx) => importDatabase(doc, ctx));
    expect(d.events).toEqual([]);
    expect(d.result.tables).toEqual([table('alembic_version', { skipped: 1 })]);
    expect(d.result.warnings[0]).toMatch(/^alembic_version: 1 row\(s\) skipped/);
  });
});

describe('ImportDatabase with rows already present', () => {
  const history = [
    added('dataset', 'DatasetAdded', { ...dataset, created_at: FIXED_NOW }),
    added('prompt', 'PromptAdded', { ...prompt, description: null }),
    added('model', 'ModelAdded', { id: 'm1', type: 'huggingface', name: 'org/m', huggingface_model_name: 'org/m' }),
  ];

  it('reports every clashing row as a conflict and still imports the rest of the table', () => {
    const d = given(projectEvent, history).when((ctx) =>
      importDatabase(
        file({
          prompts: [
            promptRow({ id: 'p0', name: 'First' }),
            prompt,
            { ...prompt, prompt_template: 'changed' },
            { ...prompt, id: 'p3' },
            promptRow({ id: 'p4', name: 'Last' }),
            promptRow({ id: 'p4', name: 'Again' }),
            promptRow({ id: 'p5', name: 'Last ' }),
          ],
          models: [{ id: 'm2', type: 'huggingface', huggingface_model_name: 'org/m' }],
          datasets: [
            { id: 'd2', type: 'project_json', name: 'Tickets', location: 'x.json' },
            { id: 'd3', type: 'huggingface', name: 'Tickets', huggingface_name: 'Tickets' },
          ],
        }),
        ctx,
      ),
    );
    expect(d.result.tables.map(({ problems, ...t }) => t)).toEqual([
      {
        table: 'prompts',
        imported: 2,
        conflicts: [
          // The identical p1 is `unchanged`, not a conflict (issue 9.11); the changed one clashes.
          'p1: a different row with this id already exists',
          "p3: name 'Ask' is already used by p1",
          'p4: appears earlier in this file',
          "p5: name 'Last' is already used by p4",
        ],
        skipped: 0,
        unchanged: 1,
      },
      { table: 'models', imported: 0, conflicts: ["m2: huggingface_model_name 'org/m' is already used by m1"], skipped: 0, unchanged: 0 },
      { table: 'datasets', imported: 1, conflicts: ["d2: name 'Tickets' is already used by d1"], skipped: 0, unchanged: 0 },
    ]);
    expect(d.result.tables[1].problems).toEqual([{ entity: 'model', id: 'm2', name: 'org/m', reason: "huggingface_model_name 'org/m' is already used by m1" }]);
    expect(d.events.map((e) => e.streamId)).toEqual(['prompt-p0', 'prompt-p4', 'dataset-d3']);
  });

  it('restores a removed row on its stream, continuing at the stream’s version', () => {
    const g = given(projectEvent, [...history, { type: 'PromptRemoved', streamId: 'prompt-p1', streamType: 'prompt', data: { id: 'p1' } }]);
    const d = g.run((ctx) => importDatabase(file({ prompts: [prompt] }), ctx));
    expect(d.events[0]).toMatchObject({ type: 'PromptImported', streamId: 'prompt-p1', expectedVersion: 2 });
    expect(g.catalog.get('prompts', 'p1')).toMatchObject({ name: 'Ask' });
  });

  it('compares numbers with the text SQLite may have stored for them', () => {
    const g = given(projectEvent, [added('config', 'ConfigAdded', { id: 'c1', type: 'lora_config', is_default: 1, config: '5' })]);
    const d = g.when((ctx) => importDatabase(file({ configs: [{ id: 'c1', type: 'lora_config', is_default: '1', config: 5 }] }), ctx));
    expect(d.result.tables[0]).toMatchObject({ unchanged: 1, conflicts: [] });
  });
});

describe('ImportDatabase refuses, row by row, what the API would refuse (issues 10.1, 10.7)', () => {
  it('refuses a row whose location is outside the project, reports it, and imports the rest', () => {
    const doc = file({
      datasets: [dataset, { id: 'd-etc', type: 'project_csv', name: 'Etc', location: '/tmp/x.csv' }],
      models: [{ id: 'm-root', type: 'project', name: 'root', location: '/root' }],
      adapters: [{ id: 'a-etc', type: 'project', name: 'etc', model_id: 'm-root', location: '/etc' }],
    });
    const locations = new Map([
      ['/tmp/x.csv', 'outside' as const],
      ['/root', 'outside' as const],
      ['/etc', 'outside' as const],
    ]);
    const d = given(projectEvent).when((ctx) => importDatabase(doc, ctx, { locations }));
    expect(d.events.map((e) => e.streamId)).toEqual(['dataset-d1']);
    expect(d.result.tables.map((t) => [t.table, t.imported, t.problems])).toEqual([
      ['datasets', 1, [{ entity: 'dataset', id: 'd-etc', name: 'Etc', reason: "location '/tmp/x.csv' is outside the project" }]],
      ['models', 0, [{ entity: 'model', id: 'm-root', name: 'root', reason: "location '/root' is outside the project" }]],
      ['adapters', 0, [{ entity: 'adapter', id: 'a-etc', name: 'etc', reason: "location '/etc' is outside the project" }]],
    ]);
    expect(d.result.tables[0].conflicts).toEqual(["d-etc: location '/tmp/x.csv' is outside the project"]);
  });

  it('applies the validation of the matching Add command to each row', () => {
    const big = 'x'.repeat(1_000_001);
    const doc = file({
      configs: [
        { id: 'c-big', type: 'custom', config: `"${big}"` },
        { id: 'c-type', type: 'no_such_type', config: '{}' },
        { id: 'c-json', type: 'lora_config', config: '{not json' },
        { id: 'c-ok', type: 'lora_config', config: '{"r": 8}' },
      ],
      datasets: [
        { id: 'd-suffix', type: 'project_csv', name: 'Wrong', location: 'data/t.json' },
        { id: 'd-blank', type: 'project_csv', name: '  ', location: 'data/u.csv' },
        { id: 'd-hf', type: 'huggingface', name: 'bad', huggingface_name: 'not a repo id!' },
      ],
      models: [{ id: 'm-type', type: 'alien', name: 'x' }],
      adapters: [{ id: 'a-noloc', type: 'project', name: 'x', model_id: 'm1', location: '' }],
      prompts: [promptRow({ id: 'p-noin', input_template: '' })],
      fine_tuning_jobs: [{ id: 'j-big', adapter_name: 'a', training_arguments_config: big }],
    });
    const d = given(projectEvent).when((ctx) => importDatabase(doc, ctx));
    expect(d.events.map((e) => e.streamId)).toEqual(['config-c-ok']);
    const reasons = Object.fromEntries(d.result.tables.flatMap((t) => t.problems.map((p) => [p.id, p.reason])));
    expect(reasons).toEqual({
      'c-big': expect.stringMatching(/'config' is too long \(1000003 characters; at most 1000000\)/),
      'c-type': expect.stringMatching(/Config type 'no_such_type' is not supported/),
      'c-json': expect.stringMatching(/not valid JSON/),
      'd-suffix': 'Dataset data/t.json does not end with .csv',
      'd-blank': 'Dataset name cannot be an empty string or only spaces.',
      'd-hf': expect.stringMatching(/not a repo id!/),
      'm-type': 'ERROR: Cannot import model of this type.',
      'a-noloc': "Field 'location' is required in AddAdapterRequest.",
      'p-noin': "Field 'input_template' is required in PromptMetadata.",
      'j-big': expect.stringMatching(/'training_arguments_config' is too long/),
    });
  });
});

describe('ImportDatabase counts identical rows as unchanged (issue 9.11)', () => {
  it('re-importing what is already there imports nothing, and reports no conflict', () => {
    const history = [added('dataset', 'DatasetAdded', { ...dataset, created_at: FIXED_NOW }), added('prompt', 'PromptAdded', { ...prompt })];
    const d = given(projectEvent, history).when((ctx) => importDatabase(file({ datasets: [dataset], prompts: [prompt, prompt] }), ctx));
    expect(d.events).toEqual([]);
    expect(d.result.tables).toEqual([table('datasets', { unchanged: 1 }), table('prompts', { unchanged: 2 })]);
  });
});
