import { projectEvent } from '../projections.js';
import { given, FIXED_NOW } from '../shared/testing.js';
import type { NewEvent } from '../shared/event.js';
import type { Row } from '../shared/catalog.js';
import { parseImportDocument } from './import-document.js';
import { IMPORTED_JOB_MESSAGE, importDatabase, referencedLocations } from './import.decider.js';

const added = (streamType: string, type: string, row: Row): NewEvent => ({
  type,
  streamId: `${streamType}-${String(row.id)}`,
  streamType,
  data: { row },
});

const file = (tables: Record<string, Row[]>) =>
  parseImportDocument(JSON.stringify(Object.fromEntries(Object.entries(tables).map(([t, data]) => [t, { schema: '', data }]))));

const dataset = { id: 'd1', type: 'project_csv', name: 'Tickets', location: 'data/t.csv', features: '["q"]' };
const prompt = { id: 'p1', type: 'in_place', name: 'Ask', dataset_id: 'd1', prompt_template: '{q}' };

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
    expect((d.events[1].data as { row: Row }).row).toEqual({ ...prompt, description: null, input_template: null, completion_template: null, created_at: FIXED_NOW });
    expect(d.result.tables).toEqual([
      { table: 'datasets', imported: 1, conflicts: [], skipped: 0 },
      { table: 'prompts', imported: 1, conflicts: [], skipped: 0 },
      { table: 'configs', imported: 1, conflicts: [], skipped: 0 },
    ]);
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
    const problems = new Map([['data/adapters/ad', 'does not exist in this project']]);
    const d = given(projectEvent).when((ctx) => importDatabase(doc, ctx, { locationProblems: problems }));
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
    expect(d.result.tables).toEqual([{ table: 'alembic_version', imported: 0, conflicts: [], skipped: 1 }]);
    expect(d.result.warnings[0]).toMatch(/^alembic_version: 1 row\(s\) skipped/);
  });
});

describe('ImportDatabase with rows already present', () => {
  const history = [
    added('dataset', 'DatasetAdded', { ...dataset, created_at: FIXED_NOW }),
    added('prompt', 'PromptAdded', { ...prompt, description: null, input_template: null, completion_template: null }),
    added('model', 'ModelAdded', { id: 'm1', type: 'huggingface', name: 'org/m', huggingface_model_name: 'org/m' }),
  ];

  it('reports every clashing row as a conflict and still imports the rest of the table', () => {
    const d = given(projectEvent, history).when((ctx) =>
      importDatabase(
        file({
          prompts: [
            { id: 'p0', type: 'in_place', name: 'First', dataset_id: 'd1' },
            prompt,
            { ...prompt, prompt_template: 'changed' },
            { ...prompt, id: 'p3' },
            { id: 'p4', name: 'Last', dataset_id: 'd1' },
            { id: 'p4', name: 'Again', dataset_id: 'd1' },
            { id: 'p5', name: 'Last ', dataset_id: 'd1' },
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
    expect(d.result.tables).toEqual([
      {
        table: 'prompts',
        imported: 2,
        conflicts: [
          'p1: already present with the same content',
          'p1: a different row with this id already exists',
          "p3: name 'Ask' is already used by p1",
          'p4: appears earlier in this file',
          "p5: name 'Last' is already used by p4",
        ],
        skipped: 0,
      },
      { table: 'models', imported: 0, conflicts: ["m2: huggingface_model_name 'org/m' is already used by m1"], skipped: 0 },
      { table: 'datasets', imported: 1, conflicts: ["d2: name 'Tickets' is already used by d1"], skipped: 0 },
    ]);
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
    expect(d.result.tables[0].conflicts).toEqual(['c1: already present with the same content']);
  });
});
