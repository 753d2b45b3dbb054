import { projectEvent } from '../projections.js';
import { given, errorOf } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import { addDataset, checkAddDataset, removeDataset } from './dataset.decider.js';
import { datasetSplitByAdapter, getDataset } from './dataset.queries.js';
import type { AddDataset } from './dataset.commands.js';

const csv = (over: Partial<AddDataset> = {}): AddDataset => ({
  type: 'project_csv',
  huggingface_name: '',
  location: 'data/tickets.csv',
  name: 'Tickets',
  ...over,
});
const hf = (name: string): AddDataset => ({ type: 'huggingface', huggingface_name: name, location: '', name: '' });

const datasetAdded = (id: string, row: Record<string, unknown>): NewEvent => ({
  type: 'DatasetAdded',
  streamId: `dataset-${id}`,
  streamType: 'dataset',
  data: { row: { id, ...row } },
});
const promptAdded = (id: string, datasetId: string): NewEvent => ({
  type: 'PromptAdded',
  streamId: `prompt-${id}`,
  streamType: 'prompt',
  data: { row: { id, name: `P ${id}`, dataset_id: datasetId } },
});

describe('AddDataset', () => {
  describe('checks, in the original order and wording', () => {
    const g = given(projectEvent, [datasetAdded('d0', { type: 'project_csv', name: 'Taken', location: 'x.csv' })]);
    const check = (cmd: AddDataset) => errorOf(() => checkAddDataset(cmd, g.ctx.read));

    it('requires a type', () => {
      const e = check(csv({ type: '' }));
      expect(e.code).toBe('FIELD.REQUIRED');
      expect(e.kind).toBe('invalid_argument');
      expect(e.message).toBe("Field 'type' is required in AddDatasetRequest.");
    });

    it('checks the Hugging Face name: required, not blank, a repository id, not taken', () => {
      expect(check(hf('')).message).toBe("Field 'huggingface_name' is required in AddDatasetRequest.");
      expect(check(hf('   ')).message).toBe('Dataset name cannot be an empty string or only spaces.');
      expect(check(hf('../../etc/passwd')).code).toBe('DATASET.HF_NAME_INVALID');
      expect(check(hf('a/b/c')).code).toBe('DATASET.HF_NAME_INVALID');
      const taken = given(projectEvent, [datasetAdded('d1', { type: 'huggingface', name: 'org/set', huggingface_name: 'org/set' })]);
      const e = errorOf(() => checkAddDataset(hf(' org/set '), taken.ctx.read));
      expect(e.kind).toBe('already_exists');
      expect(e.message).toBe("Dataset with name 'org/set' of type huggingface already exists.");
    });

    it('checks the suffix before anything else of a project file', () => {
      expect(check(csv({ location: 'data/tickets.json', name: '' })).message).toBe('Dataset data/tickets.json does not end with .csv');
      expect(check(csv({ type: 'project_json', location: 'a.jsonl' })).message).toBe('Dataset a.jsonl does not end with .json');
      expect(check(csv({ type: 'project_jsonl', location: 'a.json' })).message).toBe('Dataset a.json does not end with .jsonl');
      expect(check(csv({ location: '' })).code).toBe('DATASET.WRONG_SUFFIX');
    });

    it('then the name and the duplicate name', () => {
      expect(check(csv({ name: ' ' })).message).toBe('Dataset name cannot be an empty string or only spaces.');
      const e = check(csv({ name: ' Taken ' }));
      expect(e.kind).toBe('already_exists');
      expect(e.message).toBe("Dataset with name 'Taken' of type project_csv already exists.");
    });

    it('refuses other types', () => {
      const e = check(csv({ type: 'parquet' }));
      expect(e.kind).toBe('invalid_argument');
      expect(e.message).toBe("Dataset of type 'parquet' is not supported.");
    });

    it('reads type project as a project file whose format is its suffix', () => {
      expect(checkAddDataset(csv({ type: 'project', location: 'a/b.JSONL' }), g.ctx.read)).toMatchObject({
        kind: 'file',
        type: 'project_jsonl',
        format: 'jsonl',
      });
      expect(check(csv({ type: 'project', location: '' })).message).toBe("Field 'location' is required in AddDatasetRequest.");
      expect(check(csv({ type: 'project', location: 'a.txt' })).code).toBe('DATASET.WRONG_SUFFIX');
    });

    it('bounds field sizes', () => {
      expect(check(csv({ name: 'x'.repeat(10_000) })).code).toBe('FIELD.TOO_LONG');
      expect(check(csv({ location: `${'x'.repeat(10_000)}.csv` })).code).toBe('FIELD.TOO_LONG');
    });
  });

  it('records a project file with Python-style features and the stripped name', () => {
    const g = given(projectEvent);
    const d = g.run((ctx) => addDataset(csv({ name: ' Tickets ' }), { features: ['instruction', 'intent', 'é'], location: 'data/tickets.csv' }, ctx));
    expect(d.events).toEqual([
      expect.objectContaining({ type: 'DatasetAdded', streamId: 'dataset-id-1', streamType: 'dataset', expectedVersion: 0 }),
    ]);
    expect(d.result).toEqual({
      id: 'id-1',
      type: 'project_csv',
      name: 'Tickets',
      description: 'data/tickets.csv',
      huggingface_name: null,
      location: 'data/tickets.csv',
      features: '["instruction", "intent", "\\u00e9"]',
      created_at: '2026-01-01T00:00:00.000Z',
    });
    expect(getDataset(g.ctx.read, 'id-1')).toMatchObject({ name: 'Tickets' });
  });

  it('records a Hugging Face dataset with its card', () => {
    const d = given(projectEvent).when((ctx) => addDataset(hf(' org/set '), { features: ['q', 'a'], description: 'About' }, ctx));
    expect(d.result).toMatchObject({ type: 'huggingface', name: 'org/set', huggingface_name: 'org/set', location: null, features: '["q", "a"]', description: 'About' });
  });

  it('repeats the checks on fresh state, so a concurrent add of the same name is ALREADY_EXISTS', () => {
    const g = given(projectEvent);
    checkAddDataset(csv(), g.ctx.read);
    g.run((ctx) => addDataset(csv(), { features: ['a'] }, ctx));
    g.attempt((ctx) => addDataset(csv({ location: 'other.csv' }), { features: ['a'] }, ctx)).thenThrows('DATASET.NAME_TAKEN');
  });
});

describe('RemoveDataset', () => {
  const history = [datasetAdded('d1', { name: 'One' }), promptAdded('p1', 'd1'), promptAdded('p2', 'd1'), promptAdded('p3', 'd2')];

  it('removes the dataset only, by default', () => {
    const g = given(projectEvent, history);
    expect(g.run((ctx) => removeDataset({ id: 'd1' }, ctx)).events.map((e) => e.type)).toEqual(['DatasetRemoved']);
    expect(g.catalog.get('datasets', 'd1')).toBeUndefined();
    expect(g.catalog.find('prompts')).toHaveLength(3);
  });

  it('removes the prompts of that dataset too when asked, in the same command', () => {
    const g = given(projectEvent, history);
    const d = g.run((ctx) => removeDataset({ id: 'd1', remove_prompts: true }, ctx));
    expect(d.events.map((e) => [e.type, e.streamId])).toEqual([
      ['DatasetRemoved', 'dataset-d1'],
      ['PromptRemoved', 'prompt-p1'],
      ['PromptRemoved', 'prompt-p2'],
    ]);
    expect(g.catalog.find('prompts').map((p) => p.id)).toEqual(['p3']);
  });

  it('refuses a missing dataset', () => {
    const e = given(projectEvent).attempt((ctx) => removeDataset({ id: 'nope' }, ctx)).thenThrows();
    expect(e.kind).toBe('not_found');
    expect(e.code).toBe('DATASET.NOT_FOUND');
    expect(e.message).toBe("Dataset with ID 'nope' does not exist.");
    expect(errorOf(() => getDataset(given(projectEvent).ctx.read, 'nope')).code).toBe('DATASET.NOT_FOUND');
  });
});

describe('GetDatasetSplitByAdapter', () => {
  const adapter = (id: string, row: Record<string, unknown>): NewEvent => ({
    type: 'AdapterAdded',
    streamId: `adapter-${id}`,
    streamType: 'adapter',
    data: { row: { id, ...row } },
  });
  const job = (id: string, row: Record<string, unknown>): NewEvent => ({
    type: 'FineTuningJobAdded',
    streamId: `fine_tuning_job-${id}`,
    streamType: 'fine_tuning_job',
    data: { row: { id, ...row } },
  });
  const g = given(projectEvent, [
    job('j1', { adapter_name: 'by-name', dataset_fraction: 0.5, train_test_split: 0.8 }),
    job('j2', { adapter_name: 'other', dataset_fraction: 0.25, train_test_split: 0.75 }),
    adapter('a1', { name: 'by-name' }),
    adapter('a2', { name: 'by-name-but-linked', fine_tuning_job_id: 'j2' }),
    adapter('a3', { name: 'untrained' }),
  ]);

  it("uses the adapter's job, by id first, else by adapter name", () => {
    expect(datasetSplitByAdapter(g.ctx.read, 'a1')).toEqual({ dataset_fraction: 0.5, train_test_split: 0.8 });
    expect(datasetSplitByAdapter(g.ctx.read, 'a2')).toEqual({ dataset_fraction: 0.25, train_test_split: 0.75 });
  });

  it('gives the defaults when the adapter has no job', () => {
    expect(datasetSplitByAdapter(g.ctx.read, 'a3')).toEqual({ dataset_fraction: 1.0, train_test_split: 0.9 });
  });

  it('refuses a missing adapter (the original returned the defaults)', () => {
    const e = errorOf(() => datasetSplitByAdapter(g.ctx.read, 'nope'));
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("Adapter with ID 'nope' does not exist.");
  });
});
