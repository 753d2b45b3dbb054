import { PyJsonError, dumpPyJson, normalizeJson, parsePyJson, pyJsonStringList } from './py-json.js';
import { pyEquals, pyFloatRepr } from './py-value.js';

/**
 * Every expectation below is what CPython 3.11 prints for
 * `json.dumps(json.loads(input))` (or the JSONDecodeError's text), checked
 * with /usr/bin/python3.
 */
const NORMALISED: [input: string, python: string][] = [
  ["{\"k3\":\"v3\"}", "{\"k3\": \"v3\"}"],
  ["{\"r\": 16, \"lora_alpha\": 32, \"lora_dropout\": 0.05, \"bias\": \"none\"}", "{\"r\": 16, \"lora_alpha\": 32, \"lora_dropout\": 0.05, \"bias\": \"none\"}"],
  ["{\"learning_rate\": 2e-4, \"eps\": 1e-5, \"tiny\": 0.0001, \"smaller\": 0.00001}", "{\"learning_rate\": 0.0002, \"eps\": 1e-05, \"tiny\": 0.0001, \"smaller\": 1e-05}"],
  ["{\"a\": 1.0, \"b\": 1, \"c\": 1.5E3, \"d\": 100.0, \"e\": -0.0, \"f\": 0.1}", "{\"a\": 1.0, \"b\": 1, \"c\": 1500.0, \"d\": 100.0, \"e\": -0.0, \"f\": 0.1}"],
  ["{\"big\": 1e16, \"below\": 1e15, \"huge\": 1.5e300, \"int\": 12345678901234567890123}", "{\"big\": 1e+16, \"below\": 1000000000000000.0, \"huge\": 1.5e+300, \"int\": 12345678901234567890123}"],
  ["{\"p\": 0.30000000000000004, \"q\": 5e-324, \"m\": 1.7976931348623157e308, \"r\": 123456789.123456789}", "{\"p\": 0.30000000000000004, \"q\": 5e-324, \"m\": 1.7976931348623157e+308, \"r\": 123456789.12345679}"],
  ["{\"b\": 1, \"1\": 2, \"a\": 3}", "{\"b\": 1, \"1\": 2, \"a\": 3}"],
  ["{\"a\": 1, \"a\": 2, \"b\": 3}", "{\"a\": 2, \"b\": 3}"],
  ["{\"s\": \"caf\u00e9 \\u00e9\", \"emoji\": \"\ud83d\ude00\", \"esc\": \"\\n\\t\\r\\b\\f\\\"\\\\\\/ \\u0001 \\u007f\"}", "{\"s\": \"caf\\u00e9 \\u00e9\", \"emoji\": \"\\ud83d\\ude00\", \"esc\": \"\\n\\t\\r\\b\\f\\\"\\\\/ \\u0001 \\u007f\"}"],
  ["{\"lone\": \"\\ud800\", \"pair\": \"\\ud83d\\ude00\"}", "{\"lone\": \"\\ud800\", \"pair\": \"\\ud83d\\ude00\"}"],
  ["[NaN, Infinity, -Infinity, 1E400, -1e-400]", "[NaN, Infinity, -Infinity, Infinity, -0.0]"],
  ["  [ 1 , [ ] , { } , null , true , false ]  ", "[1, [], {}, null, true, false]"],
  ["\"just a string\"", "\"just a string\""],
  ["-0", "0"],
  ["{\"nested\": {\"list\": [1, 2.5, {\"deep\": [null]}]}}", "{\"nested\": {\"list\": [1, 2.5, {\"deep\": [null]}]}}"],
];

const ERRORS: [input: string, python: string][] = [
  ["", "Expecting value: line 1 column 1 (char 0)"],
  ["{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
  ["{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"],
  ["{\"a\": 1,}", "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"],
  ["[1,]", "Expecting value: line 1 column 4 (char 3)"],
  ["[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"],
  ["{'a': 1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"],
  ["01", "Extra data: line 1 column 2 (char 1)"],
  ["1.", "Extra data: line 1 column 2 (char 1)"],
  ["\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"],
  ["\"a\\qb\"", "Invalid \\escape: line 1 column 3 (char 2)"],
  ["\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"],
  ["\"tab\there\"", "Invalid control character at: line 1 column 5 (char 4)"],
  ["{\"a\": 1} x", "Extra data: line 1 column 10 (char 9)"],
  ["nul", "Expecting value: line 1 column 1 (char 0)"],
  ["True", "Expecting value: line 1 column 1 (char 0)"],
  ["{\n  \"a\": 1,\n  \"b\": ?\n}", "Expecting value: line 3 column 8 (char 19)"],
  ["[\"\ud83d\ude00\", x]", "Expecting value: line 1 column 7 (char 6)"],
  ["{\"a\":\n\"\ud83d\ude00\" ]", "Expecting ',' delimiter: line 2 column 5 (char 10)"],
  ["\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"],
];

describe('normalizeJson = json.dumps(json.loads(s))', () => {
  it.each(NORMALISED)('%j', (input, python) => {
    expect(normalizeJson(input)).toBe(python);
  });

  it.each(ERRORS)('refuses %j as Python does', (input, python) => {
    let err: unknown;
    try {
      normalizeJson(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PyJsonError);
    expect((err as Error).message).toBe(python);
  });

  it('keeps ints apart from floats, and big ints exact', () => {
    const v = parsePyJson('{"i": 1, "f": 1.0, "big": 123456789012345678901234567890}') as Map<string, unknown>;
    expect(v.get('i')).toBe(1n);
    expect(v.get('f')).toBe(1);
    expect(v.get('big')).toBe(123456789012345678901234567890n);
    expect(dumpPyJson(parsePyJson('[1, 1.0]'))).toBe('[1, 1.0]');
  });

  it('stops at an absurd nesting depth with an error, not a stack overflow', () => {
    expect(() => normalizeJson('['.repeat(100_000))).toThrow(PyJsonError);
  });

  it('writes string lists as the original stored features', () => {
    expect(pyJsonStringList(['instruction', 'intent'])).toBe('["instruction", "intent"]');
    expect(pyJsonStringList([])).toBe('[]');
  });
});

describe('pyFloatRepr = repr(float)', () => {
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [2e-4, '0.0002'],
    [1.5e-7, '1.5e-07'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [123456789012345680, '1.2345678901234568e+17'],
    [-2.5, '-2.5'],
    [-0, '-0.0'],
    [0.8999999761581421, '0.8999999761581421'],
    [Math.fround(0.9), '0.8999999761581421'],
    [5e-324, '5e-324'],
    [1e100, '1e+100'],
  ])('%p → %s', (x, python) => expect(pyFloatRepr(x)).toBe(python));
});

describe('pyEquals compares parsed configs as Python does', () => {
  const eq = (a: string, b: string) => pyEquals(parsePyJson(a), parsePyJson(b));
  it('ignores key order and int/float spelling', () => {
    expect(eq('{"a": 1, "b": [1, 2]}', '{"b": [1, 2.0], "a": 1.0}')).toBe(true);
    expect(eq('{"a": 1}', '{"a": 1, "b": null}')).toBe(false);
    expect(eq('[1, 2]', '[2, 1]')).toBe(false);
  });
  it('compares big ints with floats exactly, and NaN equals nothing', () => {
    expect(eq('9007199254740993', '9007199254740992.0')).toBe(false);
    expect(eq('9007199254740992', '9007199254740992.0')).toBe(true);
    expect(eq('NaN', 'NaN')).toBe(false);
  });
  it('keeps booleans apart from numbers (a deliberate difference from Python)', () => {
    expect(eq('{"fp16": true}', '{"fp16": 1}')).toBe(false);
  });
});
