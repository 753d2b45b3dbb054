import { describe, expect, it } from 'vitest';
import { fmtDate, fmtNumber, prettyJson, readableFloat, readableJson } from './format';

describe('fmtNumber', () => {
  it('shows float32 values widened to double as people write them', () => {
    expect(fmtNumber(0.00019999999494757503)).toBe('0.0002');
    expect(fmtNumber(0.8999999761581421)).toBe('0.9');
    expect(fmtNumber(0.30000001192092896)).toBe('0.3');
  });
  it('keeps whole numbers and rounds to significant digits', () => {
    expect(fmtNumber(10)).toBe('10');
    expect(fmtNumber(0)).toBe('0');
    expect(fmtNumber(1.23456789)).toBe('1.235');
    expect(fmtNumber(1234.5678)).toBe('1235');
    expect(fmtNumber(2.5, 2)).toBe('2.5');
  });
  it('uses exponent form for very small values', () => {
    expect(fmtNumber(0.0000019999999494757503)).toBe('2e-6');
    expect(fmtNumber(1.5e-7)).toBe('1.5e-7');
    expect(fmtNumber(-3e-5)).toBe('-3e-5');
  });
  it('formats numeric strings and leaves other values readable', () => {
    expect(fmtNumber('0.00019999999494757503')).toBe('0.0002');
    expect(fmtNumber('abc')).toBe('abc');
    expect(fmtNumber(undefined)).toBe('—');
    expect(fmtNumber(null)).toBe('—');
    expect(fmtNumber(NaN)).toBe('NaN');
  });
});

describe('readable JSON', () => {
  it('strips float32 noise but keeps distinct values distinct', () => {
    expect(readableFloat(0.8999999761581421)).toBe(0.9);
    expect(readableFloat(0.123456789)).toBe(0.1234568);
    expect(readableFloat(7)).toBe(7);
    expect(readableJson({ lr: 0.00019999999494757503, n: [1, 0.30000001192092896] })).toBe('{\n  "lr": 0.0002,\n  "n": [\n    1,\n    0.3\n  ]\n}');
  });
  it('pretty-prints stored JSON text, and shows text that is not JSON as it is', () => {
    expect(prettyJson('{"a":0.8999999761581421}')).toBe('{\n  "a": 0.9\n}');
    expect(prettyJson('not json')).toBe('not json');
    expect(prettyJson(undefined)).toBe('');
  });
});

describe('fmtDate', () => {
  it('reads as toLocaleString with the same options did; empty and unparsable values pass through', () => {
    for (const iso of ['2026-01-01T00:00:00Z', '2026-07-15T13:05:59.123Z', '1999-12-31T23:59:00+02:00']) {
      expect(fmtDate(iso)).toBe(new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' }));
    }
    expect(fmtDate('')).toBe('');
    expect(fmtDate(undefined)).toBe('');
    expect(fmtDate('not a date')).toBe('not a date');
  });
});
