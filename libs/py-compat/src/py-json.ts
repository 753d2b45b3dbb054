import { PyTimestamp, pyFloatRepr, type PyDict, type PyValue } from './py-value.js';

/**
 * `json.loads` and `json.dumps` with Python's defaults, so that a config is
 * stored exactly as the original stored it: `json.dumps(json.loads(s))`.
 *
 * JavaScript's JSON.parse cannot do this: it turns `1.0` into `1` and
 * reorders integer-like keys. This parser keeps ints (bigint) apart from
 * floats (number), keeps key order, and reports errors in Python's words
 * and positions (`Expecting value: line 1 column 1 (char 0)`).
 */

export class PyJsonError extends Error {
  constructor(
    readonly reason: string,
    /** Position in code points, as Python counts it. */
    readonly pos: number,
    readonly lineno: number,
    readonly colno: number,
  ) {
    super(`${reason}: line ${lineno} column ${colno} (char ${pos})`);
    this.name = 'PyJsonError';
  }
}

/** Nesting depth at which parsing stops (Python stops at its recursion limit). */
export const MAX_JSON_DEPTH = 512;
/** CPython refuses int literals longer than this (sys.int_info.default_max_str_digits). */
const MAX_INT_DIGITS = 4300;

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const HEX = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `json.loads(text)` (strict mode, NaN/Infinity accepted as Python does). */
export function parsePyJson(text: string): PyValue {
  const p = new Parser(text);
  if (text.startsWith('\ufeff')) throw p.error('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  let i = p.skipWs(0);
  const [value, end] = p.value(i, 0);
  i = p.skipWs(end);
  if (i !== text.length) throw p.error('Extra data', i);
  return value;
}

class Parser {
  constructor(private readonly s: string) {}

  skipWs(i: number): number {
    while (isWs(this.s[i])) i++;
    return i;
  }

  error(reason: string, i: number): PyJsonError {
    const before = this.s.slice(0, i);
    const pos = [...before].length;
    const nl = before.lastIndexOf('\n');
    const lineno = before.split('\n').length;
    const colno = nl < 0 ? pos + 1 : [...before.slice(nl + 1)].length + 1;
    return new PyJsonError(reason, pos, lineno, colno);
  }

  value(i: number, depth: number): [PyValue, number] {
    const s = this.s;
    if (depth > MAX_JSON_DEPTH) throw this.error(`Nesting deeper than ${MAX_JSON_DEPTH} levels`, i);
    const c = s[i];
    if (c === '"') return this.string(i + 1);
    if (c === '{') return this.object(i + 1, depth + 1);
    if (c === '[') return this.array(i + 1, depth + 1);
    if (s.startsWith('null', i)) return [null, i + 4];
    if (s.startsWith('true', i)) return [true, i + 4];
    if (s.startsWith('false', i)) return [false, i + 5];
    if (s.startsWith('NaN', i)) return [NaN, i + 3];
    if (s.startsWith('Infinity', i)) return [Infinity, i + 8];
    if (s.startsWith('-Infinity', i)) return [-Infinity, i + 9];
    return this.number(i);
  }

  private number(start: number): [PyValue, number] {
    const s = this.s;
    let i = start;
    if (s[i] === '-') i++;
    if (s[i] === '0') i++;
    else if (s[i] !== undefined && s[i] >= '1' && s[i] <= '9') while (isDigit(s[i])) i++;
    else throw this.error('Expecting value', start);
    let isFloat = false;
    if (s[i] === '.' && isDigit(s[i + 1])) {
      isFloat = true;
      i += 2;
      while (isDigit(s[i])) i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      const eStart = i;
      i++;
      if (s[i] === '-' || s[i] === '+') i++;
      if (isDigit(s[i])) {
        while (isDigit(s[i])) i++;
        isFloat = true;
      } else {
        i = eStart;
      }
    }
    const lexeme = s.slice(start, i);
    if (isFloat) return [Number(lexeme), i];
    if (lexeme.replace('-', '').length > MAX_INT_DIGITS) {
      throw this.error(`Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`, start);
    }
    return [BigInt(lexeme), i];
  }

  private string(i: number): [string, number] {
    const s = this.s;
    const begin = i - 1;
    let out = '';
    let chunk = i;
    for (;;) {
      const c = s[i];
      if (c === undefined) throw this.error('Unterminated string starting at', begin);
      if (c === '"') return [out + s.slice(chunk, i), i + 1];
      if (c < ' ') throw this.error('Invalid control character at', i);
      if (c !== '\\') {
        i++;
        continue;
      }
      out += s.slice(chunk, i);
      const e = s[i + 1];
      if (e === undefined) throw this.error('Unterminated string starting at', begin);
      if (e !== 'u') {
        const r = SIMPLE_ESCAPES[e];
        if (r === undefined) throw this.error('Invalid \\escape', i);
        out += r;
        i += 2;
      } else {
        const hex = s.slice(i + 2, i + 6);
        // Python wants the 4 digits and at least one more character (the closing quote) before decoding.
        if (i + 6 >= s.length || !HEX.test(hex)) throw this.error('Invalid \\uXXXX escape', i + 1);
        // Each \uXXXX is one UTF-16 unit: a high + low pair joins into one character, as in Python.
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      }
      chunk = i;
    }
  }

  private object(i: number, depth: number): [PyDict, number] {
    const s = this.s;
    const out: PyDict = new Map();
    i = this.skipWs(i);
    if (s[i] === '}') return [out, i + 1];
    for (;;) {
      if (s[i] !== '"') throw this.error('Expecting property name enclosed in double quotes', i);
      const [key, afterKey] = this.string(i + 1);
      i = this.skipWs(afterKey);
      if (s[i] !== ':') throw this.error("Expecting ':' delimiter", i);
      i = this.skipWs(i + 1);
      const [value, afterValue] = this.value(i, depth);
      // A repeated key keeps its first position and takes the last value, as a Python dict does.
      out.set(key, value);
      i = this.skipWs(afterValue);
      if (s[i] === '}') return [out, i + 1];
      if (s[i] !== ',') throw this.error("Expecting ',' delimiter", i);
      i = this.skipWs(i + 1);
    }
  }

  private array(i: number, depth: number): [PyValue[], number] {
    const s = this.s;
    const out: PyValue[] = [];
    i = this.skipWs(i);
    if (s[i] === ']') return [out, i + 1];
    for (;;) {
      const [value, after] = this.value(i, depth);
      out.push(value);
      i = this.skipWs(after);
      if (s[i] === ']') return [out, i + 1];
      if (s[i] !== ',') throw this.error("Expecting ',' delimiter", i);
      i = this.skipWs(i + 1);
    }
  }
}

// ------------------------------------------------------------------ the writer (json.dumps)

/** A number that Python holds as a float (a value of a DOUBLE column): written `1.0`, `1e-05`, never `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * Rows as read from SQLite, for the database export: a JS number is an int
 * when integral (an INTEGER column), a float otherwise; a DOUBLE column's
 * value is wrapped in PyFloat so that `2.0` stays `2.0`.
 */
export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

export interface PyJsonDumpOptions {
  /** `json.dumps(value, indent=n)`: separators `","` and `": "`, one item a line. Default: one line, separators `", "` and `": "`. */
  indent?: number;
  /** The nesting depth the value sits at, for writing one part of a larger indented document. */
  level?: number;
  /**
   * How a plain JS number is written: `float` (a PyValue: json.loads or
   * safe_load gave a float; ints are bigints) or `int-when-integral` (PyJson
   * rows: INTEGER columns are integral numbers). Default `float`.
   */
  numbers?: 'float' | 'int-when-integral';
}

/** A float as `json.dumps` writes it: `repr(float)`, with JSON's names for the non-finite values. */
export function pyJsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return pyFloatRepr(n);
}

/**
 * `json.dumps(value)` with Python's defaults (ensure_ascii, key order kept,
 * NaN/Infinity allowed), or with `indent`. The one Python-compatible JSON
 * writer: configs (PyValue, `json.dumps(json.loads(s))`) and the database
 * export (PyJson rows) both go through it.
 */
export function dumpPyJson(value: PyValue | PyJson, options: PyJsonDumpOptions = {}): string {
  const { indent } = options;
  const intWhenIntegral = options.numbers === 'int-when-integral';
  const pad = (level: number) => (indent === undefined ? '' : `\n${' '.repeat(indent * level)}`);
  const sep = indent === undefined ? ', ' : ',';
  const container = (open: string, close: string, items: string[], level: number) => {
    if (items.length === 0) return open + close;
    const inner = pad(level + 1);
    return `${open}${inner}${items.join(sep + inner)}${pad(level)}${close}`;
  };
  const enc = (v: PyValue | PyJson, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return intWhenIntegral && Number.isInteger(v) ? BigInt(v).toString() : pyJsonFloat(v);
    if (typeof v === 'string') return pyJsonString(v);
    if (v instanceof PyFloat) return pyJsonFloat(v.value);
    if (v instanceof PyTimestamp) return pyJsonString(v.isoformat());
    if (Array.isArray(v)) return container('[', ']', v.map((x: PyValue | PyJson) => enc(x, level + 1)), level);
    const entries: [string, PyValue | PyJson][] = v instanceof Map ? [...v] : Object.entries(v);
    return container('{', '}', entries.map(([k, x]) => `${pyJsonString(k)}: ${enc(x, level + 1)}`), level);
  };
  return enc(value, options.level ?? 0);
}

/** The database export's rows (PyJson): `json.dumps(value)` or `json.dumps(value, indent=n)`, integral numbers as ints. */
export function pythonJsonDumps(value: PyJson, indent?: number, level = 0): string {
  return dumpPyJson(value, { indent, level, numbers: 'int-when-integral' });
}

/** A string as `json.dumps` writes it with ensure_ascii: everything outside ' '..'~' escaped, lower-case hex, surrogate pairs. */
export function pyJsonString(s: string): string {
  // JSON.stringify already writes Python's escapes for '"', '\\', \b \f \n \r \t, and \u00xx (lower-case) for the other
  // control characters and for lone surrogates; what is left is DEL and every non-ASCII UTF-16 unit, one \uxxxx each
  // (an astral character as its surrogate pair, as Python writes it). Character by character took 1.5 s per megabyte.
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `json.dumps(json.loads(text))`. Throws PyJsonError for input Python would refuse. */
export function normalizeJson(text: string): string {
  return dumpPyJson(parsePyJson(text));
}

/** A list of strings as `json.dumps` writes it: `["a", "b"]`. */
export function pyJsonStringList(items: string[]): string {
  return `[${items.map(pyJsonString).join(', ')}]`;
}
