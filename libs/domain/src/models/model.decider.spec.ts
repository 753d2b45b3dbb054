import { projectEvent } from '../projections.js';
import { given, errorOf } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import { addModel, checkAddModel, getModel, lastPathSegment, removeModel } from './model.decider.js';
import type { AddModel } from './model.commands.js';

const cmd = (over: Partial<AddModel>): AddModel => ({ type: 'huggingface', huggingface_name: '', model_registry_id: '', ...over });
const modelAdded = (id: string, row: Record<string, unknown>): NewEvent => ({
  type: 'ModelAdded',
  streamId: `model-${id}`,
  streamType: 'model',
  data: { row: { id, ...row } },
});
const history = [
  modelAdded('m1', { type: 'huggingface', name: 'org/llama', huggingface_model_name: 'org/llama' }),
  modelAdded('m2', { type: 'model_registry', name: 'registered', cml_registered_model_id: 'reg-1' }),
];

describe('AddModel', () => {
  const g = given(projectEvent, history);
  const check = (c: AddModel) => errorOf(() => checkAddModel(c, g.ctx.read));

  it('requires a type and refuses unknown ones with the original message', () => {
    expect(check(cmd({ type: '' })).message).toBe("Field 'type' is required in AddModelRequest.");
    const e = check(cmd({ type: 'onnx', huggingface_name: 'x' }));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toBe('ERROR: Cannot import model of this type.');
  });

  describe('huggingface', () => {
    it('checks the name: not blank, a repository id, not taken', () => {
      expect(check(cmd({ huggingface_name: '  ' })).message).toBe('Hugging Face model name cannot be an empty string or only spaces.');
      expect(check(cmd({ huggingface_name: 'a/../b' })).code).toBe('MODEL.HF_NAME_INVALID');
      const e = check(cmd({ huggingface_name: ' org/llama ' }));
      expect(e.kind).toBe('already_exists');
      expect(e.message).toBe("Model with name 'org/llama' already exists.");
    });

    it('records the stripped name and the architecture', () => {
      const d = given(projectEvent).when((ctx) => addModel(cmd({ huggingface_name: ' org/new ' }), { model_family: 'LlamaForCausalLM' }, ctx));
      expect(d.events[0]).toMatchObject({ type: 'ModelAdded', streamId: 'model-id-1', streamType: 'model', expectedVersion: 0 });
      expect(d.result).toMatchObject({
        id: 'id-1',
        type: 'huggingface',
        name: 'org/new',
        huggingface_model_name: 'org/new',
        model_family: 'LlamaForCausalLM',
        created_at: '2026-01-01T00:00:00.000Z',
      });
    });
  });

  describe('project', () => {
    it('requires a location and names the model after its folder unless named', () => {
      expect(check(cmd({ type: 'project' })).message).toBe("Field 'location' is required in AddModelRequest.");
      expect(checkAddModel(cmd({ type: 'project', location: 'models/tiny/' }), g.ctx.read)).toEqual({
        kind: 'project',
        type: 'project',
        location: 'models/tiny/',
        name: 'tiny',
      });
      expect(checkAddModel(cmd({ type: 'project', location: 'models/tiny', name: ' Tiny ' }), g.ctx.read)).toMatchObject({ name: 'Tiny' });
      expect(check(cmd({ type: 'project', location: 'models/llama', name: 'org/llama' })).code).toBe('MODEL.NAME_TAKEN');
    });

    it('records the folder as resolved, with the name from the folder when the path gave none', () => {
      const d = given(projectEvent).when((ctx) =>
        addModel(cmd({ type: 'project', location: '.' }), { name: 'root', location: '.', model_family: 'GPT2LMHeadModel' }, ctx),
      );
      expect(d.result).toMatchObject({ type: 'project', name: 'root', location: '.', huggingface_model_name: null, model_family: 'GPT2LMHeadModel' });
    });
  });

  describe('model_registry', () => {
    it('requires the registry id (not the Hugging Face name) and refuses one already added', () => {
      expect(check(cmd({ type: 'model_registry' })).message).toBe("Field 'model_registry_id' is required in AddModelRequest.");
      expect(check(cmd({ type: 'model_registry', model_registry_id: ' ' })).message).toBe(
        "Field 'model_registry_id' cannot be an empty string or only spaces.",
      );
      expect(check(cmd({ type: 'model_registry', model_registry_id: 'reg-1' })).code).toBe('MODEL.REGISTRY_TAKEN');
    });

    it('records the registered model, and refuses a name that is taken', () => {
      const c = cmd({ type: 'model_registry', model_registry_id: 'reg-2' });
      const d = g.when((ctx) =>
        addModel(c, { name: 'fresh', cml_registered_model_id: 'reg-2', mlflow_experiment_id: 'e1', mlflow_run_id: 'r1' }, ctx),
      );
      expect(d.result).toMatchObject({ type: 'model_registry', name: 'fresh', cml_registered_model_id: 'reg-2', mlflow_experiment_id: 'e1', mlflow_run_id: 'r1' });
      g.attempt((ctx) => addModel(c, { name: 'registered' }, ctx)).thenThrows('MODEL.NAME_TAKEN');
    });
  });
});

describe('RemoveModel / GetModel', () => {
  it('removes an existing model and refuses a missing one', () => {
    const g = given(projectEvent, history);
    expect(g.run((ctx) => removeModel({ id: 'm1' }, ctx)).events).toEqual([
      { type: 'ModelRemoved', streamId: 'model-m1', streamType: 'model', data: { id: 'm1' } },
    ]);
    const e = g.attempt((ctx) => removeModel({ id: 'm1' }, ctx)).thenThrows();
    expect(e.kind).toBe('not_found');
    expect(e.message).toBe("Model with ID 'm1' does not exist.");
    expect(errorOf(() => getModel(g.ctx.read, 'm1')).code).toBe('MODEL.NOT_FOUND');
    expect(getModel(g.ctx.read, 'm2')).toMatchObject({ name: 'registered' });
  });
});

describe('lastPathSegment', () => {
  it.each([
    ['models/tiny', 'tiny'],
    ['models/tiny/', 'tiny'],
    ['tiny', 'tiny'],
    ['.', ''],
    ['models/..', ''],
    ['/', ''],
  ])('%s → %s', (p, out) => expect(lastPathSegment(p)).toBe(out));
});
