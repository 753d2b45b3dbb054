import { projectEvent } from '../projections.js';
import { given, errorOf } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import { addAdapter, checkAddAdapter, getAdapter, removeAdapter } from './adapter.decider.js';
import type { AddAdapter } from './adapter.commands.js';

const added = (streamType: string, type: string, id: string, row: Record<string, unknown> = {}): NewEvent => ({
  type,
  streamId: `${streamType}-${id}`,
  streamType,
  data: { row: { id, ...row } },
});
const history = [
  added('model', 'ModelAdded', 'm1', { name: 'org/llama' }),
  added('fine_tuning_job', 'FineTuningJobAdded', 'j1', { adapter_name: 'trained' }),
  added('prompt', 'PromptAdded', 'p1', { name: 'P' }),
  added('adapter', 'AdapterAdded', 'a0', { name: 'taken', model_id: 'm1' }),
];
const cmd = (over: Partial<AddAdapter> = {}): AddAdapter => ({
  type: 'project',
  name: 'new-adapter',
  model_id: 'm1',
  location: 'data/adapters/new',
  ...over,
});
const at = { location: 'data/adapters/new' };

describe('AddAdapter', () => {
  const g = given(projectEvent, history);
  const add = (c: AddAdapter) => g.attempt((ctx) => addAdapter(c, at, ctx)).thenThrows();

  it('1. requires name, model_id and location', () => {
    expect(add(cmd({ name: '' })).message).toBe("Field 'name' is required in AddAdapterRequest.");
    expect(add(cmd({ model_id: '' })).message).toBe("Field 'model_id' is required in AddAdapterRequest.");
    expect(add(cmd({ location: '' })).message).toBe("Field 'location' is required in AddAdapterRequest.");
  });

  it('2. refuses blank ones', () => {
    const e = add(cmd({ name: '  ' }));
    expect(e.code).toBe('FIELD.BLANK');
    expect(e.message).toBe("Field 'name' cannot be an empty string or only spaces.");
  });

  it('defaults the type to project and refuses unknown types', () => {
    expect(checkAddAdapter(cmd({ type: '' }))).toEqual({ type: 'project' });
    const e = add(cmd({ type: 'zip' }));
    expect(e.kind).toBe('invalid_argument');
    expect(e.code).toBe('ADAPTER.TYPE_UNSUPPORTED');
  });

  it('4. refuses a missing model', () => {
    const e = add(cmd({ model_id: ' nope ' }));
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("Model with ID 'nope' does not exist.");
  });

  it('5. refuses a taken name', () => {
    const e = add(cmd({ name: ' taken ' }));
    expect(e.kind).toBe('already_exists');
    expect(e.message).toBe("An adapter with the name 'taken' already exists.");
  });

  it('6. and 7. refuse a missing job or prompt', () => {
    const job = add(cmd({ fine_tuning_job_id: 'j9' }));
    expect(job.kind).toBe('not_found');
    expect(job.message).toBe("Fine Tuning Job with ID 'j9' does not exist.");
    const prompt = add(cmd({ prompt_id: 'p9' }));
    expect(prompt.kind).toBe('not_found');
    expect(prompt.message).toBe("Prompt with ID 'p9' does not exist.");
  });

  it('records the adapter with stripped values and the resolved location', () => {
    const d = given(projectEvent, history).run((ctx) =>
      addAdapter(cmd({ type: '', name: ' new-adapter ', fine_tuning_job_id: 'j1', prompt_id: 'p1' }), at, ctx),
    );
    expect(d.events[0]).toMatchObject({ type: 'AdapterAdded', streamId: 'adapter-id-1', streamType: 'adapter', expectedVersion: 0 });
    expect(d.result).toEqual({
      id: 'id-1',
      type: 'project',
      name: 'new-adapter',
      description: null,
      huggingface_name: null,
      model_id: 'm1',
      location: 'data/adapters/new',
      fine_tuning_job_id: 'j1',
      prompt_id: 'p1',
      cml_registered_model_id: null,
      mlflow_experiment_id: null,
      mlflow_run_id: null,
      created_at: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('RemoveAdapter / GetAdapter', () => {
  it('removes an existing adapter and refuses a missing one', () => {
    const g = given(projectEvent, history);
    expect(getAdapter(g.ctx.read, 'a0')).toMatchObject({ name: 'taken' });
    expect(g.run((ctx) => removeAdapter({ id: 'a0' }, ctx)).events[0]).toMatchObject({ type: 'AdapterRemoved', data: { id: 'a0' } });
    const e = g.attempt((ctx) => removeAdapter({ id: 'a0' }, ctx)).thenThrows();
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("Adapter with ID 'a0' does not exist.");
    expect(errorOf(() => getAdapter(g.ctx.read, 'a0')).code).toBe('ADAPTER.NOT_FOUND');
  });
});
