import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dumpPyJson, parsePyJson, PyFloat, pythonJsonDumps, type PyJson } from './py-json.js';
import { isPyDict, type PyValue } from './py-value.js';
import { dumpPyYaml, loadPyYaml } from './py-yaml.js';

/**
 * Byte-identical to CPython: golden/expected.json is what PyYAML's
 * `yaml.dump(yaml.safe_load(s), default_flow_style=False)` (None as empty,
 * the original's dict_to_yaml_string) and `json.dumps(json.loads(s))` wrote
 * for every case in golden/cases.json (golden/generate.py). Where
 * /usr/bin/python3 with PyYAML is present the spec also regenerates it, so a
 * changed case or a different PyYAML shows up here.
 */
const GOLDEN = fileURLToPath(new URL('../golden/', import.meta.url));
const PYTHON = '/usr/bin/python3';

interface Expected {
  yaml: { input: string; dump: string }[];
  json: { input: string; dumps: string; dumps_indent2: string }[];
}
const expectedText = fs.readFileSync(path.join(GOLDEN, 'expected.json'), 'utf8');
const expected = JSON.parse(expectedText) as Expected;
const cases = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'cases.json'), 'utf8')) as { yaml: string[]; json: string[] };

/**
 * The same value as the database export holds it: ints as JS numbers, floats
 * as PyFloat, dicts as objects. Undefined when that cannot hold it: an int
 * not exact in a double, or an integer-like key (a JS object puts those
 * first; column names never are).
 */
function asRow(v: PyValue): PyJson | undefined {
  if (typeof v === 'bigint') return BigInt(Number(v)) === v ? Number(v) : undefined;
  if (typeof v === 'number') return new PyFloat(v);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const items = v.map(asRow);
    return items.every((x) => x !== undefined) ? (items as PyJson[]) : undefined;
  }
  if (isPyDict(v)) {
    const out: { [k: string]: PyJson } = {};
    for (const [k, x] of v) {
      if (/^(0|[1-9][0-9]*)$/.test(k)) return undefined;
      const r = asRow(x);
      if (r === undefined) return undefined;
      out[k] = r;
    }
    return out;
  }
  return undefined;
}

describe('golden files from CPython and PyYAML', () => {
  it('covers every case', () => {
    expect(expected.yaml.map((c) => c.input)).toEqual(cases.yaml);
    expect(expected.json.map((c) => c.input)).toEqual(cases.json);
  });

  it.each(expected.yaml.map((c, i) => [i, c] as const))('yaml case %i: dict_to_yaml_string(yaml.safe_load(s))', (_i, c) => {
    expect(dumpPyYaml(loadPyYaml(c.input))).toBe(c.dump);
  });

  it.each(expected.json.map((c, i) => [i, c] as const))('json case %i: json.dumps(json.loads(s)) and indent=2', (_i, c) => {
    const value = parsePyJson(c.input);
    expect(dumpPyJson(value)).toBe(c.dumps);
    expect(dumpPyJson(value, { indent: 2 })).toBe(c.dumps_indent2);
    // The database export's rows (ints as numbers, floats wrapped) write the same text.
    const row = asRow(value);
    if (row !== undefined) {
      expect(pythonJsonDumps(row)).toBe(c.dumps);
      expect(pythonJsonDumps(row, 2)).toBe(c.dumps_indent2);
    }
  });

  const python = spawnSync(PYTHON, ['-c', 'import yaml'], { stdio: 'ignore' });
  const withPython = python.status === 0 ? it : it.skip;
  withPython('is what /usr/bin/python3 and PyYAML write today (regenerated)', () => {
    const run = spawnSync(PYTHON, [path.join(GOLDEN, 'generate.py'), '--stdout'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(expectedText);
  });
});
