import { PyYamlError, dumpPyYaml, loadPyYaml } from './py-yaml.js';
import { PyTimestamp, pyEquals } from './py-value.js';

/**
 * Every expectation is what PyYAML 6.0 prints for the original's
 * `dict_to_yaml_string(yaml.safe_load(input))` (yaml.dump with
 * default_flow_style=False and None written as empty), checked with
 * /usr/bin/python3.
 */
const DUMPS: [input: string, python: string][] = [
  ["base_model: tinyllama\nflash_attention:\n", "base_model: tinyllama\nflash_attention:\n"],
  ["base_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0\nload_in_8bit: false\nload_in_4bit: true\nadapter: qlora\nlora_r: 32\nlora_alpha: 16\nlora_dropout: 0.05\nlearning_rate: 0.0002\nlora_target_modules:\n  - q_proj\n  - v_proj\ndatasets:\n  - path: mhenrichsen/alpaca_2k_test\n    type: alpaca\nwandb_project:\nspecial_tokens: {}\n", "adapter: qlora\nbase_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0\ndatasets:\n- path: mhenrichsen/alpaca_2k_test\n  type: alpaca\nlearning_rate: 0.0002\nload_in_4bit: true\nload_in_8bit: false\nlora_alpha: 16\nlora_dropout: 0.05\nlora_r: 32\nlora_target_modules:\n- q_proj\n- v_proj\nspecial_tokens: {}\nwandb_project:\n"],
  ["a: 1\nb: 1.0\nc: 1e5\nd: 1.0e+5\ne: yes\nf: on\ng: 'yes'\nh: 0x1F\ni: 017\nj: 1_000\nk: 1:30\nl: .5\nm: -.inf\nn: .nan\no: ~\np: null\nq: ''\nr: '123'\nlr: 2.0e-05\n", "a: 1\nb: 1.0\nc: 1e5\nd: 100000.0\ne: true\nf: true\ng: 'yes'\nh: 31\ni: 15\nj: 1000\nk: 90\nl: 0.5\nlr: 2.0e-05\nm: -.inf\nn: .nan\no:\np:\nq: ''\nr: '123'\n"],
  ["base: &b\n  lr: 0.0002\n  list: [1,2]\nrun:\n  <<: *b\n  lr: 0.001\nother: *b\n", "base: &id001\n  list: &id002\n  - 1\n  - 2\n  lr: 0.0002\nother: *id001\nrun:\n  list: *id002\n  lr: 0.001\n"],
  ["s1: 'a: b'\ns2: '- x'\ns3: '#c'\ns4: 'x #y'\ns5: ' lead'\ns6: 'trail '\ns7: \"multi\\nline\"\ns8: \"tab\\there\"\ns9: caf\u00e9\ns11: \"it's\"\ns12: '---'\ns13: '='\ns15: '!'\ns17: '2024-01-01'\ns18: '1.5'\ns19: 'True'\ns20: 'a,b'\ns21: '[x]'\n", "s1: 'a: b'\ns11: it's\ns12: '---'\ns13: '='\ns15: '!'\ns17: '2024-01-01'\ns18: '1.5'\ns19: 'True'\ns2: '- x'\ns20: a,b\ns21: '[x]'\ns3: '#c'\ns4: 'x #y'\ns5: ' lead'\ns6: 'trail '\ns7: 'multi\n\n  line'\ns8: \"tab\\there\"\ns9: \"caf\\xE9\"\n"],
  ["long: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24 word25 word26 word27 word28 word29\n", "long: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29\n"],
  ["longq: 'it''s0 it''s1 it''s2 it''s3 it''s4 it''s5 it''s6 it''s7 it''s8 it''s9 it''s10 it''s11 it''s12 it''s13 it''s14 it''s15 it''s16 it''s17 it''s18 it''s19'\n", "longq: it's0 it's1 it's2 it's3 it's4 it's5 it's6 it's7 it's8 it's9 it's10 it's11 it's12\n  it's13 it's14 it's15 it's16 it's17 it's18 it's19\n"],
  ["d1: 2024-01-01\nd2: 2001-12-14t21:59:43.10-05:00\nd3: 2001-12-14 21:59:43.10\nd4: 2002-12-14T00:00:00Z\n", "d1: 2024-01-01\nd2: 2001-12-14 21:59:43.100000-05:00\nd3: 2001-12-14 21:59:43.100000\nd4: 2002-12-14 00:00:00+00:00\n"],
  ["list_of_lists:\n- - 1\n  - 2\n- []\nlist_of_maps:\n- a: 1\n  b: null\n- {}\n", "list_of_lists:\n- - 1\n  - 2\n- []\nlist_of_maps:\n- a: 1\n  b:\n- {}\n"],
  ["kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: v\n", "? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: v\n"],
  ["Z: 2\na: 3\n_: 4\n'10': 5\n'9': 6\n", "'10': 5\n'9': 6\nZ: 2\n_: 4\na: 3\n"],
];

describe('PyYAML-style load + dump (axolotl configs)', () => {
  it.each(DUMPS)('%j', (input, python) => {
    expect(dumpPyYaml(loadPyYaml(input))).toBe(python);
  });

  it('reads YAML 1.1 scalars as PyYAML does', () => {
    const v = loadPyYaml('a: yes\nb: off\nc: 1e5\nd: 0o17\ne: 017\nf: 1_000\ng: 1:30\nh: 1.0\ni: ~\nj: 2024-02-29') as Map<string, unknown>;
    expect(v.get('a')).toBe(true);
    expect(v.get('b')).toBe(false);
    expect(v.get('c')).toBe('1e5');
    expect(v.get('d')).toBe('0o17');
    expect(v.get('e')).toBe(15n);
    expect(v.get('f')).toBe(1000n);
    expect(v.get('g')).toBe(90n);
    expect(v.get('h')).toBe(1);
    expect(v.get('i')).toBeNull();
    expect(v.get('j')).toBeInstanceOf(PyTimestamp);
  });

  it('compares loaded configs by content, not by text', () => {
    expect(pyEquals(loadPyYaml('a: 1\nb: [x, y]\n'), loadPyYaml('b:\n- x\n- y\na: 1.0\n'))).toBe(true);
    expect(pyEquals(loadPyYaml('a: yes'), loadPyYaml("a: 'yes'"))).toBe(false);
  });

  it('turns parse failures into PyYamlError', () => {
    expect(() => loadPyYaml('a: [1, 2')).toThrow(PyYamlError);
    expect(() => loadPyYaml('a: 1\n---\nb: 2\n')).toThrow(PyYamlError);
    expect(() => loadPyYaml('a: !!binary aGVsbG8=')).toThrow(PyYamlError);
    expect(() => loadPyYaml('d: 2024-02-30')).toThrow(PyYamlError);
  });

  it('accepts duplicate keys, the last one winning, as safe_load does', () => {
    expect(dumpPyYaml(loadPyYaml('a: 1\na: 2\n'))).toBe('a: 2\n');
  });
});
