import type { PyValue } from '@fts/py-compat';

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV column's cells typed as the job's read_csv_rows types them (like
 * pandas): ints (bigint) when every non-empty cell is an int, floats when
 * every one is a number, empty cells then None; otherwise the strings.
 */
export function inferCsvColumn(values: readonly string[]): PyValue[] {
  const present = values.filter((v) => v !== '');
  if (present.length && present.every((v) => INT.test(v))) return values.map((v) => (v === '' ? null : BigInt(v)));
  if (present.length && present.every((v) => FLOAT.test(v))) return values.map((v) => (v === '' ? null : Number(v)));
  return [...values];
}

/** Header + records → rows (column → typed value), as csv.DictReader + read_csv_rows give them. */
export function csvRows(header: readonly string[], records: readonly (readonly string[])[]): Map<string, PyValue>[] {
  const columns = header.map((_, c) => inferCsvColumn(records.map((r) => r[c] ?? '')));
  return records.map((_, i) => new Map(header.map((name, c) => [name, columns[c][i]])));
}
