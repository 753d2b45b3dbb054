import { Adapter } from '../../../core/models';
import { adaptersFor, addCombo, canAdd, comboErrors, emptyCombo, removeCombo, setAdapter, setModel } from './combos';

const adapters = [
  { id: 'a1', name: 'a1', model_id: 'm1', type: 'project' },
  { id: 'a2', name: 'a2', model_id: 'm1', type: 'project' },
  { id: 'b1', name: 'b1', model_id: 'm2', type: 'project' },
] as Adapter[];

describe('evaluation combination rows', () => {
  it('filters adapters to the row model', () => {
    expect(adaptersFor(adapters, 'm1').map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(adaptersFor(adapters, '')).toEqual([]);
  });
  it('adds a row only when the last one has a model', () => {
    const one = [emptyCombo()];
    expect(canAdd(one)).toBe(false);
    expect(addCombo(one)).toBe(one);
    const filled = setModel(one, 0, 'm1', adapters);
    expect(addCombo(filled)).toHaveLength(2);
  });
  it('never removes the last row', () => {
    const one = [emptyCombo()];
    expect(removeCombo(one, 0)).toBe(one);
    const two = [{ base_model_id: 'm1', adapter_id: '' }, { base_model_id: 'm2', adapter_id: 'b1' }];
    expect(removeCombo(two, 0)).toEqual([{ base_model_id: 'm2', adapter_id: 'b1' }]);
  });
  it('clears the adapter when the model changes to one it does not belong to', () => {
    const list = setAdapter(setModel([emptyCombo()], 0, 'm1', adapters), 0, 'a2');
    expect(list[0]).toEqual({ base_model_id: 'm1', adapter_id: 'a2' });
    expect(setModel(list, 0, 'm2', adapters)[0]).toEqual({ base_model_id: 'm2', adapter_id: '' });
    expect(setModel(list, 0, 'm1', adapters)[0].adapter_id).toBe('a2');
  });
  it('leaves other rows untouched', () => {
    const list = [{ base_model_id: 'm1', adapter_id: 'a1' }, emptyCombo()];
    const next = setModel(list, 1, 'm2', adapters);
    expect(next[0]).toBe(list[0]);
    expect(list[1]).toEqual(emptyCombo());
  });
  it('reports missing models and duplicate pairs', () => {
    expect(comboErrors([{ base_model_id: 'm1', adapter_id: '' }, { base_model_id: 'm1', adapter_id: 'a1' }])).toEqual([]);
    expect(comboErrors([emptyCombo()])).toEqual(['Row 1: choose a base model.']);
    expect(comboErrors([{ base_model_id: 'm1', adapter_id: 'a1' }, { base_model_id: 'm1', adapter_id: 'a1' }])).toEqual(['Row 2 repeats an earlier model & adapter pair.']);
    expect(comboErrors([])).toHaveLength(1);
  });
});
