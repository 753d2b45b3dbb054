import { invalidArgument } from '../shared/domain-error.js';
import { PyJsonError, dumpPyJson, parsePyJson } from '@fts/py-compat';
import { PyYamlError, dumpPyYaml, loadPyYaml } from '@fts/py-compat';
import { isPyDict, type PyValue } from '@fts/py-compat';

/** A config's text parsed the original's way, and the normalised text that is stored. */
export interface ConfigContent {
  value: PyValue;
  text: string;
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * `json.dumps(json.loads(text))`; bad JSON is INVALID_ARGUMENT with Python's
 * reason. `subject` names what was parsed: `Config` (AddConfig) or
 * `Field 'lora_config'` (a job request).
 */
export function parseJsonContent(text: string, subject = 'Config'): ConfigContent {
  try {
    const value = parsePyJson(text);
    return { value, text: dumpPyJson(value) };
  } catch (e) {
    if (e instanceof PyJsonError) throw invalidArgument('CONFIG.INVALID_JSON', sentence(`${subject} is not valid JSON: ${e.message}`));
    throw e;
  }
}

/** `dict_to_yaml_string(yaml.safe_load(text))`: an axolotl config must be a YAML mapping. */
export function parseYamlContent(text: string, subject = 'Config'): ConfigContent {
  let value: PyValue;
  try {
    value = loadPyYaml(text);
  } catch (e) {
    if (e instanceof PyYamlError) throw invalidArgument('CONFIG.INVALID_YAML', sentence(`${subject} is not valid YAML: ${e.message}`));
    throw e;
  }
  if (!isPyDict(value)) {
    throw invalidArgument('CONFIG.NOT_A_MAPPING', `${subject} must be a YAML mapping (lines of "key: value").`);
  }
  return { value, text: dumpPyYaml(value) };
}

/** Axolotl configs are YAML; every other type is JSON. */
export function parseConfigContent(type: string, text: string, subject = 'Config'): ConfigContent {
  return type === 'axolotl' ? parseYamlContent(text, subject) : parseJsonContent(text, subject);
}

/** Parses a stored config for comparison; text that no longer parses (an imported row, say) matches nothing. */
export function tryParseStored(type: string, text: unknown): PyValue | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return type === 'axolotl' ? loadPyYaml(text) : parsePyJson(text);
  } catch {
    return undefined;
  }
}
