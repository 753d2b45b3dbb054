/**
 * JSON text exactly as Python's `json.dumps` writes it (ensure_ascii, float
 * repr), so that an export from this server is byte-for-byte what the
 * original would have written for the same rows, and the original reads it
 * back unchanged.
 */
import { pyJsonString } from '../configs/py-json.js';
import { pyFloatRepr as floatRepr } from '../configs/py-value.js';

/** A number that Python holds as a float (a value of a DOUBLE column): written `1.0`, `1e-05`, never `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

/** A string literal with `ensure_ascii` (the one implementation, shared with configs). */
export const pyString = pyJsonString;

/** A float as `json.dumps` writes it: `repr(float)`, with JSON's names for the non-finite values. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return floatRepr(n);
}

/** An integer as Python's `int` prints it (all digits); any other number as a float. */
export function pyNumber(n: number): string {
  return Number.isInteger(n) ? BigInt(n).toString() : pyFloatRepr(n);
}

/**
 * `json.dumps(value)` (indent undefined: separators `", "` and `": "`) or
 * `json.dumps(value, indent=n)` (separators `","` and `": "`, one item a line).
 * Object keys keep their insertion order. `level` is the nesting depth the
 * value sits at, for writing one part of a larger indented document.
 */
export function pythonJsonDumps(value: PyJson, indent?: number, level = 0): string {
  const pad = (level: number) => (indent === undefined ? '' : `\n${' '.repeat(indent * level)}`);
  const sep = indent === undefined ? ', ' : ',';
  const enc = (v: PyJson, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return pyNumber(v);
    if (typeof v === 'string') return pyString(v);
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const inner = pad(level + 1);
      return `[${inner}${v.map((x) => enc(x, level + 1)).join(sep + inner)}${pad(level)}]`;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    const inner = pad(level + 1);
    return `{${inner}${keys.map((k) => `${pyString(k)}: ${enc(v[k], level + 1)}`).join(sep + inner)}${pad(level)}}`;
  };
  return enc(value, level);
}
