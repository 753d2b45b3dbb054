const DATE_OPTIONS: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' };
let dateFormat: Intl.DateTimeFormat | undefined;
/** Timestamps already formatted: a table's template formats every row's date again on each change. */
const formatted = new Map<string, string>();
const FORMATTED_KEPT = 5000;

/**
 * A timestamp in the browser's locale. One formatter for every call: toLocaleString with options builds a
 * new one each time (~1 ms), which was a third of the event log's render (200 rows) on a slow machine.
 */
export function fmtDate(s?: string): string {
  if (!s) return '';
  const known = formatted.get(s);
  if (known !== undefined) return known;
  const d = new Date(s);
  if (isNaN(d.getTime())) return s;
  dateFormat ??= new Intl.DateTimeFormat(undefined, DATE_OPTIONS);
  if (formatted.size >= FORMATTED_KEPT) formatted.clear();
  const text = dateFormat.format(d);
  formatted.set(s, text);
  return text;
}
export function fmtDuration(sec: number): string {
  if (!isFinite(sec) || sec < 0) return '—';
  if (sec < 60) return `${Math.round(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
}

/**
 * A number for people: whole numbers as they are, others to `digits` significant
 * digits without trailing zeros (0.00019999999494757503 → "0.0002",
 * 0.8999999761581421 → "0.9"). Very small or large values use exponent form ("2e-7").
 * Numeric strings are formatted too; anything else is shown as it is, empty as "—".
 */
export function fmtNumber(v: number | string | null | undefined, digits = 4): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(v);
  if (typeof v === 'string' && (!v.trim() || !isFinite(n))) return v;
  if (!isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const rounded = Number(n.toPrecision(digits));
  const abs = Math.abs(rounded);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e15)) return rounded.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  return String(rounded);
}

/**
 * Float32 values widened to double (0.8999999761581421) back at the precision they
 * were stored with: 7 significant digits, enough to tell any two float32 values apart.
 * Used where the console shows stored JSON (event data) rather than a formatted figure.
 */
export function readableFloat(n: number): number {
  return Number.isInteger(n) || !isFinite(n) ? n : Number(n.toPrecision(7));
}

/** JSON text of a value with float noise removed (see readableFloat). */
export function readableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? readableFloat(x) : x), 2);
}

export function prettyJson(text?: string): string {
  if (!text) return '';
  try {
    return readableJson(JSON.parse(text));
  } catch {
    return text;
  }
}
export function shortId(id?: string): string {
  return id ? id.slice(0, 8) : '';
}
