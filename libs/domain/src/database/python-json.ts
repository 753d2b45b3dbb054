/**
 * JSON text exactly as Python's `json.dumps` writes it (ensure_ascii, float
 * repr), so that an export from this server is byte-for-byte what the
 * original would have written for the same rows, and the original reads it
 * back unchanged.
 */

/** A number that Python holds as a float (a value of a DOUBLE column): written `1.0`, `1e-05`, never `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string literal with `ensure_ascii`: everything outside ' '..'~' becomes \uXXXX (UTF-16 units, lowercase hex). */
export function pyString(s: string): string {
  return `"${s.replace(/[\\"]|[^\x20-\x7e]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same
 * digits JavaScript picks), in exponent form when the decimal exponent is
 * below -4 or above 15, otherwise positional with at least one decimal.
 */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mantissa, e] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  const decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** An integer as Python's `int` prints it (all digits); any other number as a float. */
export function pyNumber(n: number): string {
  return Number.isInteger(n) ? BigInt(n).toString() : pyFloatRepr(n);
}

/**
 * `json.dumps(value)` (indent undefined: separators `", "` and `": "`) or
 * `json.dumps(value, indent=n)` (separators `","` and `": "`, one item a line).
 * Object keys keep their insertion order.
 */
export function pythonJsonDumps(value: PyJson, indent?: number): string {
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
  return enc(value, 0);
}
