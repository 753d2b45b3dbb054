/**
 * The job formats prompts with Python's `template.format(**row)`
 * (job-templates/fts_jobs/prompting.py). This renders the same text in the
 * plan: `{column}` fields, `{{` / `}}` escapes, and Python's str() of the
 * values (floats as repr, None, True/False, dict/list reprs).
 * Fields with attributes, indexes, conversions or format specs
 * (`{a.b}`, `{a[0]}`, `{a!r}`, `{a:>8}`) are not reproduced: UnsupportedFormat.
 */
import { pyFloatRepr, type PyValue } from '@fts/py-compat';

export class PromptFormatError extends Error {}
export class UnsupportedFormat extends Error {}

/** Python's repr() of a str (unicode_repr's quoting; printable characters kept). */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

const pyRepr = (v: PyValue): string => (typeof v === 'string' ? pyStrRepr(v) : pyStr(v));

/** Python's str() of a dataset value (parsePyJson / CSV inference: bigint is int, number is float, Map is dict). */
export function pyStr(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return pyFloatRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** A dataset row as the job holds it: a dict of column -> value. */
export type PyRow = ReadonlyMap<string, PyValue>;

type Piece = { literal: string } | { field: string };

const parsed = new Map<string, Piece[]>();

/** Python's Formatter.parse, restricted to plain named fields. */
function parseTemplate(template: string, fieldName: string): Piece[] {
  const hit = parsed.get(template);
  if (hit) return hit;
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      literal += '{';
      i++;
    } else if (ch === '}' && template[i + 1] === '}') {
      literal += '}';
      i++;
    } else if (ch === '}') {
      throw new PromptFormatError(`${fieldName} is not a valid template for this row: Single '}' encountered in format string`);
    } else if (ch === '{') {
      const end = template.indexOf('}', i + 1);
      if (end < 0) throw new PromptFormatError(`${fieldName} is not a valid template for this row: expected '}' before end of string`);
      const field = template.slice(i + 1, end);
      if (field === '' || /^\d+$/.test(field)) {
        throw new PromptFormatError(`${fieldName} is not a valid template for this row: positional fields ({${field}}) need a column name`);
      }
      if (/[.[!:{]/.test(field)) throw new UnsupportedFormat(`${fieldName} uses "{${field}}", a Python format the plan does not reproduce`);
      if (literal) pieces.push({ literal });
      literal = '';
      pieces.push({ field });
      i = end;
    } else literal += ch;
  }
  if (literal) pieces.push({ literal });
  if (parsed.size > 1000) parsed.clear();
  parsed.set(template, pieces);
  return pieces;
}

/** The columns a template reads. */
export function templateFields(template: string, fieldName = 'prompt_template'): string[] {
  return parseTemplate(template, fieldName).flatMap((p) => ('field' in p ? [p.field] : []));
}

/** `template.format(**row)` with prompting.py's error sentences. */
export function formatTemplate(template: string, row: PyRow, fieldName = 'prompt_template'): string {
  let out = '';
  for (const piece of parseTemplate(template, fieldName)) {
    if ('literal' in piece) out += piece.literal;
    else if (row.has(piece.field)) out += pyStr(row.get(piece.field));
    else {
      const columns = [...row.keys()].sort().join(', ') || '(none)';
      throw new PromptFormatError(`${fieldName} uses column "{${piece.field}}" but the dataset row has no such column (columns: ${columns})`);
    }
  }
  return out;
}
