import { invalidArgument } from '../shared/domain-error.js';
import { PyJsonError, dumpPyJson, parsePyJson } from '@fts/py-compat';
import { PyYamlError, dumpPyYaml, loadPyYaml } from '@fts/py-compat';
import { PyTimestamp, isPyDict, type PyValue } from '@fts/py-compat';

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

/**
 * A key of a config's parsed content for AddConfig's index: contents that
 * pyEquals holds equal always get the same key (dicts with their keys sorted,
 * an integral float as the int it equals, a timestamp by its date or only by
 * whether it has an offset), so the configs under one key are the only
 * candidates a request can equal. Different contents may share a key; the
 * decider still compares the candidates with pyEquals.
 */
export function configContentKey(value: PyValue): string {
  const text = canonical(value);
  return hash53(text, 0x9e3779b9) + hash53(text, 0x85ebca6b);
}

/** The key of a stored config's text, or `!` for text that no longer parses (it matches no request). */
export function storedConfigKey(type: string, text: unknown): string {
  const value = tryParseStored(type, text);
  return value === undefined ? '!' : configContentKey(value);
}

function canonical(v: PyValue): string {
  if (v === null) return 'N';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'number') return Number.isFinite(v) && Number.isInteger(v) ? `i${BigInt(v)}` : `f${v}`;
  if (v instanceof PyTimestamp) return v.time ? `t${v.time.offsetMinutes === null ? 'n' : 'a'}` : `d${v.year}-${v.month}-${v.day}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Map) {
    const keys = [...v.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v.get(k) as PyValue)}`).join(',')}}`;
  }
  return '?';
}

/** cyrb53: a fast 53-bit string hash (not cryptographic; collisions only cost a comparison), as 14 hex digits. */
function hash53(s: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
