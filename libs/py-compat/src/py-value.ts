/**
 * Values as the original's Python code sees them after `json.loads` or
 * `yaml.safe_load`, so that normalising and comparing configs gives the
 * original's answers:
 *
 * - `bigint` is a Python int (arbitrary precision: `1` stays `1`),
 * - `number` is a Python float (`1.0` stays `1.0`),
 * - `Map` is a dict (insertion order kept, as Python keeps it),
 * - `PyTimestamp` is a YAML date / datetime.
 */
export type PyValue = null | boolean | string | bigint | number | PyTimestamp | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

export const isPyDict = (v: PyValue): v is PyDict => v instanceof Map;

/**
 * Python `==` on parsed configs, with one deliberate difference: booleans
 * never equal numbers (Python has `True == 1`, which would make the config
 * cache hand back `{"fp16": 1}` for `{"fp16": true}`). Ints and floats
 * compare by value (`1 == 1.0`), NaN equals nothing, dicts ignore key order.
 */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (typeof a === 'bigint' || typeof a === 'number') {
    if (typeof b !== 'bigint' && typeof b !== 'number') return false;
    return numbersEqual(a, b);
  }
  if (a instanceof PyTimestamp) return b instanceof PyTimestamp && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEquals(x, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !pyEquals(v, b.get(k) as PyValue)) return false;
    }
    return true;
  }
  return false;
}

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const [i, f] = typeof a === 'bigint' ? [a, b as number] : [b as bigint, a];
  // Python compares int and float exactly.
  return Number.isFinite(f) && Number.isInteger(f) && BigInt(f) === i;
}

/**
 * Python's `repr(float)`: the shortest string that reads back as the same
 * double, in fixed notation when the decimal exponent is in [-4, 16) and in
 * exponent notation otherwise (`1e-05`, `1e+16`, `1.5e-07`); integral values
 * keep a `.0` in fixed notation (`1.0`, `100.0`).
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits (ECMA-262 Number::toString rules).
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A YAML timestamp as PyYAML constructs it: a `date`, or a `datetime` (naive, or with a fixed UTC offset). */
export class PyTimestamp {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly time?: { hour: number; minute: number; second: number; microsecond: number; offsetMinutes: number | null },
  ) {}

  /** Python's `date.isoformat()` / `datetime.isoformat(' ')`, which is what PyYAML writes back. */
  isoformat(): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const date = `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}`;
    const t = this.time;
    if (!t) return date;
    let s = `${date} ${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
    if (t.microsecond) s += `.${p(t.microsecond, 6)}`;
    if (t.offsetMinutes !== null) {
      const off = Math.abs(t.offsetMinutes);
      s += `${t.offsetMinutes < 0 ? '-' : '+'}${p(Math.floor(off / 60))}:${p(off % 60)}`;
    }
    return s;
  }

  equals(o: PyTimestamp): boolean {
    if (!this.time || !o.time) {
      return !this.time && !o.time && this.year === o.year && this.month === o.month && this.day === o.day;
    }
    if ((this.time.offsetMinutes === null) !== (o.time.offsetMinutes === null)) return false;
    return this.instant() === o.instant();
  }

  /** Microseconds since the epoch of the wall time minus the offset (naive: the wall time itself). */
  private instant(): bigint {
    const t = this.time!;
    const d = new Date(0);
    d.setUTCFullYear(this.year, this.month - 1, this.day); // Date.UTC would map years 0-99 to 1900-1999
    d.setUTCHours(t.hour, t.minute, t.second, 0);
    const ms = d.getTime() - (t.offsetMinutes ?? 0) * 60_000;
    return BigInt(ms) * 1000n + BigInt(t.microsecond);
  }
}
