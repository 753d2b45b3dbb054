import type { Row, Value } from '../shared/catalog.js';
import { isDomainError } from '../shared/domain-error.js';
import { InMemoryCatalog } from '../shared/in-memory-catalog.js';
import { MAX_FIELD_LENGTH } from '../shared/validation.js';
import { checkAddAdapter } from '../adapters/adapter.decider.js';
import { planConfig } from '../configs/config.decider.js';
import { checkAddDataset } from '../datasets/dataset.decider.js';
import { checkAddModel } from '../models/model.decider.js';
import { checkAddPrompt } from '../prompts/prompt.decider.js';
import type { TableDef } from '../catalog/tables.js';

/**
 * An imported row gets exactly the field validation of the command that adds
 * such a row (AddDataset, AddModel, AddAdapter, AddPrompt, AddConfig), so an
 * import cannot bring in what the API refuses (a 50 MB config, a dataset
 * with no name). Uniqueness is not judged here: the import reports it as a
 * conflict. The commands run against an empty catalog, so only their shape
 * checks can fail.
 */

const str = (v: Value | undefined) => (v === null || v === undefined ? '' : String(v));
const opt = (v: Value | undefined) => (v === null || v === undefined ? undefined : String(v));

const EMPTY = new InMemoryCatalog();

const CHECKS: Record<string, (row: Row) => void> = {
  datasets: (r) => {
    checkAddDataset({ type: str(r.type), huggingface_name: str(r.huggingface_name), name: str(r.name), location: str(r.location) }, EMPTY);
  },
  models: (r) => {
    checkAddModel(
      {
        type: str(r.type),
        huggingface_name: str(r.huggingface_model_name),
        model_registry_id: str(r.cml_registered_model_id),
        location: opt(r.location),
        name: opt(r.name),
      },
      EMPTY,
    );
  },
  adapters: (r) => {
    checkAddAdapter({
      type: str(r.type),
      name: str(r.name),
      model_id: str(r.model_id),
      location: str(r.location),
      huggingface_name: opt(r.huggingface_name),
      fine_tuning_job_id: opt(r.fine_tuning_job_id),
      prompt_id: opt(r.prompt_id),
      description: opt(r.description),
    });
  },
  prompts: (r) => {
    checkAddPrompt({
      id: str(r.id),
      type: str(r.type),
      name: str(r.name),
      description: opt(r.description),
      dataset_id: str(r.dataset_id),
      prompt_template: str(r.prompt_template),
      input_template: str(r.input_template),
      completion_template: str(r.completion_template),
    });
  },
  configs: (r) => {
    planConfig({ type: str(r.type), config: str(r.config), description: opt(r.description) }, { read: EMPTY, now: '', newId: () => '' });
  },
};

/** Why the row cannot be imported, as the matching Add command words it; undefined when it can. */
export function importedRowProblem(def: TableDef, row: Row): string | undefined {
  // Every command bounds its text fields; jobs have no Add command, but the bound applies to them too.
  for (const c of def.columns) {
    const v = row[c.name];
    if (typeof v === 'string' && v.length > MAX_FIELD_LENGTH) {
      return `Field '${c.name}' is too long (${v.length} characters; at most ${MAX_FIELD_LENGTH}).`;
    }
  }
  try {
    CHECKS[def.name]?.(row);
    return undefined;
  } catch (e) {
    if (isDomainError(e)) return e.message;
    throw e;
  }
}
