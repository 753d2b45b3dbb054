import { PyFloat, pyJsonFloat as pyFloatRepr, pyJsonString as pyString, pythonJsonDumps } from './py-json.js';

// Expected strings were printed by CPython 3.11 (`repr`, `json.dumps`).
describe('Python-compatible JSON', () => {
  it('writes floats as repr() does', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.9, '0.9'],
      [0.8999999761581421, '0.8999999761581421'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [2e-5, '2e-05'],
      [1.5e-7, '1.5e-07'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.2345e20, '1.2345e+20'],
      [1e100, '1e+100'],
      [-0, '-0.0'],
      [0, '0.0'],
      [-2.5, '-2.5'],
      [5e-324, '5e-324'],
      [123.456, '123.456'],
    ];
    for (const [n, s] of cases) expect(pyFloatRepr(n)).toBe(s);
  });

  it('escapes like ensure_ascii, UTF-16 units in lowercase hex', () => {
    expect(pyString('a"b\\c\n\t\r\b\f')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f"');
    expect(pyString('\x00\x1f\x7f')).toBe('"\\u0000\\u001f\\u007f"');
    expect(pyString('café \u2028 😀')).toBe('"caf\\u00e9 \\u2028 \\ud83d\\ude00"');
    expect(pyString('<tag> & /')).toBe('"<tag> & /"');
  });

  it('lays out indent=2 with ", "-free item separators and empty containers inline', () => {
    const doc = { t: { schema: 'x', data: [] }, u: { data: [{ a: null, b: 1, c: new PyFloat(2), d: true }], e: {} } };
    expect(pythonJsonDumps(doc, 2)).toBe(
      [
        '{',
        '  "t": {',
        '    "schema": "x",',
        '    "data": []',
        '  },',
        '  "u": {',
        '    "data": [',
        '      {',
        '        "a": null,',
        '        "b": 1,',
        '        "c": 2.0,',
        '        "d": true',
        '      }',
        '    ],',
        '    "e": {}',
        '  }',
        '}',
      ].join('\n'),
    );
    expect(pythonJsonDumps({ k: [1, 'v', 0.5] })).toBe('{"k": [1, "v", 0.5]}');
  });
});
