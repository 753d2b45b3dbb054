import { Adapter, type Schemas } from '../../../core/models';

/** One model/adapter pair to evaluate; adapter_id '' means "base model only". */
/** One model/adapter pair of an evaluation (adapter_id '' for the base model alone). */
export type Combo = Required<Schemas['EvaluationJobModelCombination']>;

export const emptyCombo = (): Combo => ({ base_model_id: '', adapter_id: '' });

/** Adapters that can be paired with a base model. */
export function adaptersFor(adapters: Adapter[], modelId: string): Adapter[] {
  return modelId ? adapters.filter((a) => a.model_id === modelId) : [];
}

/** Another row may be added only once the last one has a base model. */
export function canAdd(list: Combo[]): boolean {
  return list.length === 0 || !!list[list.length - 1].base_model_id;
}

export function addCombo(list: Combo[]): Combo[] {
  return canAdd(list) ? [...list, emptyCombo()] : list;
}

/** Removes row i; the last remaining row cannot be removed. */
export function removeCombo(list: Combo[], i: number): Combo[] {
  return list.length <= 1 || i < 0 || i >= list.length ? list : list.filter((_, j) => j !== i);
}

/** Changes the base model of row i; its adapter is cleared unless it belongs to the new model. */
export function setModel(list: Combo[], i: number, modelId: string, adapters: Adapter[]): Combo[] {
  const next = list.slice();
  const keep = adapters.some((a) => a.id === list[i].adapter_id && a.model_id === modelId);
  next[i] = { base_model_id: modelId, adapter_id: keep ? list[i].adapter_id : '' };
  return next;
}

export function setAdapter(list: Combo[], i: number, adapterId: string): Combo[] {
  const next = list.slice();
  next[i] = { ...list[i], adapter_id: adapterId };
  return next;
}

/** Problems that block submitting: rows without a model, the same pair twice. */
export function comboErrors(list: Combo[]): string[] {
  const errs: string[] = [];
  if (!list.length) errs.push('Add at least one model to evaluate.');
  list.forEach((c, i) => { if (!c.base_model_id) errs.push(`Row ${i + 1}: choose a base model.`); });
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (!c.base_model_id) return;
    const k = c.base_model_id + '|' + c.adapter_id;
    if (seen.has(k)) errs.push(`Row ${i + 1} repeats an earlier model & adapter pair.`);
    seen.add(k);
  });
  return errs;
}
