import { invalidArgument } from '@fts/domain';

/**
 * What a cml_model export asks the CmlDeployRunner to do: the RunRequest's
 * `spec` (written to the run folder's spec.json, for people). Built by
 * exports/export-run-spec.ts from the export row; everything the CML model
 * build needs is here, so the runner reads no catalog.
 */
export interface CmlDeploySpec {
  kind: 'cml_deploy';
  export_id: string;
  /** CML model name (create_model name). */
  model_name: string;
  description: string;
  /** false (the default here): the endpoint needs a CML API key; the original always turned it off. */
  disable_authentication: boolean;
  /** FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME. */
  base_model_hf_name: string;
  /** FINE_TUNING_STUDIO_ADAPTER_LOCATION: project-relative (the model runs in the project folder). */
  adapter_location: string;
  /** FINE_TUNING_STUDIO_GEN_CONFIG_STRING: JSON text. */
  generation_config: string;
  cpu: number;
  /** GB. */
  memory: number;
  gpu: number;
  replicas: number;
}

const fail = (field: string, problem: string) =>
  invalidArgument('RUN.SPEC_INVALID', `The CML deployment spec's '${field}' ${problem}.`);

/** Shape checks of a deploy spec; every failure is INVALID_ARGUMENT naming the field. */
export function parseDeploySpec(raw: unknown): CmlDeploySpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidArgument('RUN.SPEC_INVALID', 'The run spec must be a JSON object.');
  }
  const s = raw as Record<string, unknown>;
  if (s.kind !== 'cml_deploy') throw fail('kind', "must be 'cml_deploy'");
  const text = (k: keyof CmlDeploySpec, required = true): string => {
    const v = s[k];
    if (v === undefined || v === null) {
      if (required) throw fail(k, 'is required');
      return '';
    }
    if (typeof v !== 'string' || v.includes('\0')) throw fail(k, 'must be a string without NUL');
    if (required && v.trim() === '') throw fail(k, 'must not be empty');
    return v;
  };
  const count = (k: keyof CmlDeploySpec, min: number): number => {
    const v = s[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw fail(k, `must be a number ≥ ${min}`);
    return v;
  };
  if (s.disable_authentication !== undefined && typeof s.disable_authentication !== 'boolean') {
    throw fail('disable_authentication', 'must be true or false');
  }
  return {
    kind: 'cml_deploy',
    export_id: text('export_id'),
    model_name: text('model_name'),
    description: text('description', false),
    disable_authentication: s.disable_authentication === true,
    base_model_hf_name: text('base_model_hf_name'),
    adapter_location: text('adapter_location'),
    generation_config: text('generation_config'),
    cpu: count('cpu', 0.001),
    memory: count('memory', 0.001),
    gpu: Math.floor(count('gpu', 0)),
    replicas: Math.floor(count('replicas', 1)),
  };
}
