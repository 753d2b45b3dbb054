import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';
import { PyTimestamp, pyFloatRepr, type PyValue } from './py-value.js';

/**
 * `yaml.safe_load` and the original's `dict_to_yaml_string`
 * (`yaml.dump(d, default_flow_style=False)` with None written as empty),
 * so axolotl configs are stored and compared as the original did.
 *
 * Loading uses js-yaml's parser with PyYAML's YAML 1.1 implicit types
 * (`yes`/`on` are booleans, `1e5` is a string, `0o`-less octals, `1_000`,
 * sexagesimal numbers, timestamps, `<<` merges). Dumping is a port of
 * PyYAML's representer, serializer and emitter for the types safe_load
 * produces: block style, keys sorted, quoting and line folding at 80
 * columns as PyYAML does, anchors (`&id001`) for shared nodes.
 *
 * Not supported (refused as invalid YAML): the `!!binary`, `!!set`,
 * `!!omap` and `!!pairs` tags. Mapping keys are always strings here
 * (js-yaml turns `1: a` into the key "1"), so such a key is written quoted.
 */

export class PyYamlError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PyYamlError';
  }
}

// ------------------------------------------------------------------ resolver (PyYAML's, YAML 1.1)

const TAG = (t: string) => `tag:yaml.org,2002:${t}`;
const STR = TAG('str');

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const MERGE_RE = /^(?:<<)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const VALUE_RE = /^(?:=)$/;
const YAML_RE = /^(?:!|&|\*)$/;

/** Implicit resolvers in PyYAML's registration order, each with the first characters it applies to. */
const RESOLVERS: [tag: string, re: RegExp, first: string][] = [
  [TAG('bool'), BOOL_RE, 'yYnNtTfFoO'],
  [TAG('float'), FLOAT_RE, '-+0123456789.'],
  [TAG('int'), INT_RE, '-+0123456789'],
  [TAG('merge'), MERGE_RE, '<'],
  [TAG('null'), NULL_RE, '~nN'],
  [TAG('timestamp'), TIMESTAMP_RE, '0123456789'],
  [TAG('value'), VALUE_RE, '='],
  [TAG('yaml'), YAML_RE, '!&*'],
];

/** The tag PyYAML gives a plain (unquoted) scalar with this text. */
function resolvePlain(value: string): string {
  if (value === '') return TAG('null');
  for (const [tag, re, first] of RESOLVERS) if (first.includes(value[0]) && re.test(value)) return tag;
  return STR;
}

// ------------------------------------------------------------------ constructors (PyYAML's SafeConstructor)

function constructInt(text: string): bigint {
  let v = text.replace(/_/g, '');
  let sign = 1n;
  if (v[0] === '-') sign = -1n;
  if (v[0] === '+' || v[0] === '-') v = v.slice(1);
  if (v === '0') return 0n;
  try {
    if (v.startsWith('0b')) return sign * BigInt(`0b${v.slice(2)}`);
    if (v.startsWith('0x')) return sign * BigInt(`0x${v.slice(2)}`);
    if (v[0] === '0') return sign * BigInt(`0o${v}`);
    if (v.includes(':')) return sign * v.split(':').reduce((acc, part) => acc * 60n + BigInt(part), 0n);
    return sign * BigInt(v);
  } catch {
    throw new PyYamlError(`invalid int literal '${text}'`);
  }
}

function constructFloat(text: string): number {
  let v = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (v[0] === '-') sign = -1;
  if (v[0] === '+' || v[0] === '-') v = v.slice(1);
  if (v === '.inf') return sign * Infinity;
  if (v === '.nan') return NaN;
  if (v.includes(':')) return sign * v.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return sign * Number(v);
}

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

function constructTimestamp(text: string): PyTimestamp {
  const m = TIMESTAMP_PARTS.exec(text);
  if (!m) throw new PyYamlError(`invalid timestamp '${text}'`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const daysIn = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn[month - 1]) {
    throw new PyYamlError(`invalid date '${text}'`);
  }
  if (m[4] === undefined) return new PyTimestamp(year, month, day);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23 || minute > 59 || second > 59) throw new PyYamlError(`invalid time '${text}'`);
  const microsecond = m[7] ? Number(m[7].slice(0, 6).padEnd(6, '0')) : 0;
  let offsetMinutes: number | null = null;
  if (m[9]) {
    offsetMinutes = (Number(m[10]) * 60 + Number(m[11] ?? 0)) * (m[9] === '-' ? -1 : 1);
    if (Math.abs(offsetMinutes) >= 24 * 60) throw new PyYamlError(`invalid UTC offset in '${text}'`);
  } else if (m[8] === 'Z') {
    offsetMinutes = 0;
  }
  return new PyTimestamp(year, month, day, { hour, minute, second, microsecond, offsetMinutes });
}

const scalar = (tag: string, re: RegExp, construct: (s: string) => unknown) =>
  new Type(TAG(tag), { kind: 'scalar', resolve: (d: unknown) => typeof d === 'string' && re.test(d), construct });

/** PyYAML's implicit types on top of js-yaml's failsafe schema (str, seq, map). */
const PY_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type(TAG('null'), { kind: 'scalar', resolve: (d: unknown) => d === null || (typeof d === 'string' && NULL_RE.test(d)), construct: () => null }),
    scalar('bool', BOOL_RE, (s) => ['yes', 'true', 'on'].includes(s.toLowerCase())),
    scalar('int', INT_RE, constructInt),
    scalar('float', FLOAT_RE, constructFloat),
    scalar('timestamp', TIMESTAMP_RE, constructTimestamp),
    // js-yaml merges a key whose tag is tag:yaml.org,2002:merge, as PyYAML does.
    scalar('merge', MERGE_RE, (s) => s),
  ],
});

/** `yaml.safe_load(text)`. Mappings become Maps; a node reached through an alias is the same object (so it dumps as an anchor). */
export function loadPyYaml(text: string): PyValue {
  let raw: unknown;
  try {
    raw = load(text, { schema: PY_SCHEMA, json: true });
  } catch (e) {
    if (e instanceof PyYamlError) throw e;
    throw new PyYamlError(firstLine(e));
  }
  return toPy(raw, new Map());
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();

function toPy(v: unknown, seen: Map<object, PyValue>): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string' || typeof v === 'bigint' || typeof v === 'number') return v;
  if (v instanceof PyTimestamp) return v;
  const known = seen.get(v as object);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    const out: PyValue[] = [];
    seen.set(v, out);
    for (const x of v) out.push(toPy(x, seen));
    return out;
  }
  if (typeof v === 'object') {
    const out = new Map<string, PyValue>();
    seen.set(v as object, out);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out.set(k, toPy(x, seen));
    return out;
  }
  throw new PyYamlError(`unsupported YAML value of type ${typeof v}`);
}

// ------------------------------------------------------------------ representer + serializer

type ScalarEvent = { kind: 'scalar'; anchor: string | null; tag: string; implicit: [boolean, boolean]; value: string };
type Ev =
  | { kind: 'stream-start' | 'stream-end' | 'document-start' | 'document-end' | 'sequence-end' | 'mapping-end' }
  | ScalarEvent
  | { kind: 'sequence-start' | 'mapping-start'; anchor: string | null }
  | { kind: 'alias'; anchor: string };

type Node =
  | { kind: 'scalar'; tag: string; value: string }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'mapping'; pairs: [Node, Node][] };

/** Code-point order, as Python sorts strings. */
const byCodePoint = (a: string, b: string) => {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
};

function represent(v: PyValue, nodes: Map<object, Node>): Node {
  if (v === null) return { kind: 'scalar', tag: TAG('null'), value: '' }; // the original's represent_none
  if (typeof v === 'boolean') return { kind: 'scalar', tag: TAG('bool'), value: v ? 'true' : 'false' };
  if (typeof v === 'bigint') return { kind: 'scalar', tag: TAG('int'), value: v.toString() };
  if (typeof v === 'number') return { kind: 'scalar', tag: TAG('float'), value: yamlFloat(v) };
  if (typeof v === 'string') return { kind: 'scalar', tag: STR, value: v };
  const known = nodes.get(v);
  if (known) return known;
  if (v instanceof PyTimestamp) {
    const node: Node = { kind: 'scalar', tag: TAG('timestamp'), value: v.isoformat() };
    nodes.set(v, node);
    return node;
  }
  if (Array.isArray(v)) {
    const node: Node = { kind: 'sequence', items: [] };
    nodes.set(v, node);
    for (const x of v) node.items.push(represent(x, nodes));
    return node;
  }
  const node: Node = { kind: 'mapping', pairs: [] };
  nodes.set(v, node);
  const keys = [...v.keys()].sort(byCodePoint);
  for (const k of keys) node.pairs.push([represent(k, nodes), represent(v.get(k) as PyValue, nodes)]);
  return node;
}

/** PyYAML's represent_float. */
function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const value = pyFloatRepr(x).toLowerCase();
  return !value.includes('.') && value.includes('e') ? value.replace('e', '.0e') : value;
}

function serialize(root: Node): Ev[] {
  const anchors = new Map<Node, string | null>();
  let lastId = 0;
  const anchorNode = (n: Node) => {
    if (anchors.has(n)) {
      if (anchors.get(n) === null) anchors.set(n, `id${String(++lastId).padStart(3, '0')}`);
      return;
    }
    anchors.set(n, null);
    if (n.kind === 'sequence') n.items.forEach(anchorNode);
    if (n.kind === 'mapping') for (const [k, v] of n.pairs) (anchorNode(k), anchorNode(v));
  };
  anchorNode(root);

  const events: Ev[] = [{ kind: 'stream-start' }, { kind: 'document-start' }];
  const done = new Set<Node>();
  const emit = (n: Node) => {
    const anchor = anchors.get(n) ?? null;
    if (done.has(n)) {
      events.push({ kind: 'alias', anchor: anchor! });
      return;
    }
    done.add(n);
    if (n.kind === 'scalar') {
      events.push({ kind: 'scalar', anchor, tag: n.tag, implicit: [n.tag === resolvePlain(n.value), n.tag === STR], value: n.value });
    } else if (n.kind === 'sequence') {
      events.push({ kind: 'sequence-start', anchor });
      n.items.forEach(emit);
      events.push({ kind: 'sequence-end' });
    } else {
      events.push({ kind: 'mapping-start', anchor });
      for (const [k, v] of n.pairs) (emit(k), emit(v));
      events.push({ kind: 'mapping-end' });
    }
  };
  emit(root);
  events.push({ kind: 'document-end' }, { kind: 'stream-end' });
  return events;
}

// ------------------------------------------------------------------ emitter (PyYAML's, block style, no unicode)

interface Analysis {
  scalar: string[];
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const WS_OR_END = '\0 \t\r\n\x85\u2028\u2029';
const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0A': 'n',
  '\x0B': 'v',
  '\x0C': 'f',
  '\x0D': 'r',
  '\x1B': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xA0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

const isPrintableAscii = (ch: string) => ch >= '\x20' && ch <= '\x7E';

function analyzeScalar(value: string): Analysis {
  const scalar = [...value];
  if (scalar.length === 0) {
    return { scalar, empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = flowIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = scalar.length === 1 || WS_OR_END.includes(scalar[1]);
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < scalar.length; ) {
    const ch = scalar[index];
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if ('?:'.includes(ch)) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    // allow_unicode is off: anything outside printable ASCII (and '\n') needs double quotes.
    if (!(ch === '\n' || isPrintableAscii(ch))) specialCharacters = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === scalar.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === scalar.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    index++;
    precededByWhitespace = WS_OR_END.includes(ch);
    followedByWhitespace = index + 1 >= scalar.length || WS_OR_END.includes(scalar[index + 1]);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || specialCharacters) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { scalar, empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}

class Emitter {
  private out = '';
  private readonly states: (() => void)[] = [];
  private state: () => void = () => this.expectStreamStart();
  private i = 0;
  private event!: Ev;
  private readonly indents: (number | null)[] = [];
  private indent: number | null = null;
  private flowLevel = 0;
  private rootContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private readonly bestIndent = 2;
  private readonly bestWidth = 80;
  private analysis: Analysis | null = null;
  private style: '' | "'" | '"' | null = null;

  constructor(private readonly events: Ev[]) {}

  run(): string {
    for (this.i = 0; this.i < this.events.length; this.i++) {
      this.event = this.events[this.i];
      this.state();
    }
    return this.out;
  }

  private next(): Ev | undefined {
    return this.events[this.i + 1];
  }

  private increaseIndent(flow = false, indentless = false) {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popState() {
    this.state = this.states.pop()!;
  }

  private expectStreamStart() {
    this.state = () => this.expectDocumentStart(true);
  }

  private expectDocumentStart(first: boolean) {
    if (this.event.kind === 'document-start') {
      // The first document starts implicitly (PyYAML's check_empty_document never holds: events always carry a tag).
      if (!first) {
        this.writeIndent();
        this.writeIndicator('---', true);
      }
      this.state = () => this.expectDocumentRoot();
    } else {
      if (this.openEnded) {
        this.writeIndicator('...', true);
        this.writeIndent();
      }
      this.state = () => {
        throw new Error('expected nothing');
      };
    }
  }

  private expectDocumentEnd() {
    this.writeIndent();
    this.state = () => this.expectDocumentStart(false);
  }

  private expectDocumentRoot() {
    this.states.push(() => this.expectDocumentEnd());
    this.expectNode({ root: true });
  }

  private expectNode(ctx: { root?: boolean; sequence?: boolean; mapping?: boolean; simpleKey?: boolean }) {
    this.rootContext = !!ctx.root;
    this.mappingContext = !!ctx.mapping;
    this.simpleKeyContext = !!ctx.simpleKey;
    const e = this.event;
    if (e.kind === 'alias') {
      this.writeIndicator(`*${e.anchor}`, true);
      this.popState();
      return;
    }
    if (e.kind === 'scalar' || e.kind === 'sequence-start' || e.kind === 'mapping-start') {
      if (e.anchor) this.writeIndicator(`&${e.anchor}`, true);
      if (e.kind === 'scalar') {
        this.processTag(e);
        this.increaseIndent(true);
        this.processScalar(e);
        this.indent = this.indents.pop()!;
        this.popState();
      } else if (e.kind === 'sequence-start') {
        if (this.flowLevel || this.next()?.kind === 'sequence-end') this.expectFlowCollection('[', ']', 'sequence-end');
        else this.expectBlockSequence();
      } else if (this.flowLevel || this.next()?.kind === 'mapping-end') {
        this.expectFlowCollection('{', '}', 'mapping-end');
      } else {
        this.expectBlockMapping();
      }
      return;
    }
    throw new Error(`expected a node, got ${e.kind}`);
  }

  /** Only empty collections are written in flow style (`[]`, `{}`). */
  private expectFlowCollection(open: string, close: string, end: Ev['kind']) {
    this.writeIndicator(open, true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    this.state = () => {
      if (this.event.kind !== end) throw new Error('only empty flow collections are emitted');
      this.indent = this.indents.pop()!;
      this.flowLevel--;
      this.writeIndicator(close, false);
      this.popState();
    };
  }

  private expectBlockSequence() {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    this.state = () => this.expectBlockSequenceItem(true);
  }

  private expectBlockSequenceItem(first: boolean) {
    if (!first && this.event.kind === 'sequence-end') {
      this.indent = this.indents.pop()!;
      this.popState();
      return;
    }
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push(() => this.expectBlockSequenceItem(false));
    this.expectNode({ sequence: true });
  }

  private expectBlockMapping() {
    this.increaseIndent(false);
    this.state = () => this.expectBlockMappingKey(true);
  }

  private expectBlockMappingKey(first: boolean) {
    if (!first && this.event.kind === 'mapping-end') {
      this.indent = this.indents.pop()!;
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push(() => this.expectBlockMappingSimpleValue());
      this.expectNode({ mapping: true, simpleKey: true });
    } else {
      this.writeIndicator('?', true, false, true);
      this.states.push(() => this.expectBlockMappingValue());
      this.expectNode({ mapping: true });
    }
  }

  private expectBlockMappingSimpleValue() {
    this.writeIndicator(':', false);
    this.states.push(() => this.expectBlockMappingKey(false));
    this.expectNode({ mapping: true });
  }

  private expectBlockMappingValue() {
    this.writeIndent();
    this.writeIndicator(':', true, false, true);
    this.states.push(() => this.expectBlockMappingKey(false));
    this.expectNode({ mapping: true });
  }

  private checkSimpleKey(): boolean {
    const e = this.event;
    let length = 0;
    if ((e.kind === 'scalar' || e.kind === 'sequence-start' || e.kind === 'mapping-start' || e.kind === 'alias') && e.anchor) {
      length += e.anchor.length;
    }
    if (e.kind === 'scalar') {
      length += prepareTag(e.tag).length;
      this.analysis ??= analyzeScalar(e.value);
      length += this.analysis.scalar.length;
    }
    return (
      length < 128 &&
      (e.kind === 'alias' ||
        (e.kind === 'scalar' && !this.analysis!.empty && !this.analysis!.multiline) ||
        (e.kind === 'sequence-start' && this.next()?.kind === 'sequence-end') ||
        (e.kind === 'mapping-start' && this.next()?.kind === 'mapping-end'))
    );
  }

  private processTag(e: ScalarEvent) {
    this.style ??= this.chooseScalarStyle(e);
    if ((this.style === '' && e.implicit[0]) || (this.style !== '' && e.implicit[1])) return;
    this.writeIndicator(prepareTag(e.tag), true);
  }

  private chooseScalarStyle(e: ScalarEvent): '' | "'" | '"' {
    const a = (this.analysis ??= analyzeScalar(e.value));
    if (e.implicit[0]) {
      if (
        !(this.simpleKeyContext && (a.empty || a.multiline)) &&
        ((this.flowLevel && a.allowFlowPlain) || (!this.flowLevel && a.allowBlockPlain))
      ) {
        return '';
      }
    }
    if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) return "'";
    return '"';
  }

  private processScalar(e: ScalarEvent) {
    const a = (this.analysis ??= analyzeScalar(e.value));
    this.style ??= this.chooseScalarStyle(e);
    const split = !this.simpleKeyContext;
    if (this.style === '"') this.writeDoubleQuoted(a.scalar, split);
    else if (this.style === "'") this.writeSingleQuoted(a.scalar, split);
    else this.writePlain(a.scalar, split);
    this.analysis = null;
    this.style = null;
  }

  // ---------------------------------------------------------------- writers

  private write(data: string) {
    this.out += data;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false) {
    const data = this.whitespace || !needWhitespace ? indicator : ` ${indicator}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += [...data].length;
    this.openEnded = false;
    this.write(data);
  }

  private writeIndent() {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
      this.column = indent;
    }
  }

  private writeLineBreak(data = '\n') {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  private writeChunk(text: string[], start: number, end: number) {
    this.column += end - start;
    this.write(text.slice(start, end).join(''));
  }

  private writeSingleQuoted(text: string[], split: boolean) {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null;
      if (spaces) {
        if (ch === null || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== text.length) {
            this.writeIndent();
          } else {
            this.writeChunk(text, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === null || (' ' + BREAKS).includes(ch) || ch === "'") {
        if (start < end) {
          this.writeChunk(text, start, end);
          start = end;
        }
      }
      if (ch === "'") {
        this.column += 2;
        this.write("''");
        start = end + 1;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: string[], split: boolean) {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null;
      if (ch === null || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !isPrintableAscii(ch)) {
        if (start < end) {
          this.writeChunk(text, start, end);
          start = end;
        }
        if (ch !== null) {
          const cp = ch.codePointAt(0)!;
          let data: string;
          if (ESCAPES[ch] !== undefined) data = `\\${ESCAPES[ch]}`;
          else if (cp <= 0xff) data = `\\x${hex(cp, 2)}`;
          else if (cp <= 0xffff) data = `\\u${hex(cp, 4)}`;
          else data = `\\U${hex(cp, 8)}`;
          this.column += data.length;
          this.write(data);
          start = end + 1;
        }
      }
      if (0 < end && end < text.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = `${text.slice(start, end).join('')}\\`;
        if (start < end) start = end;
        this.column += [...data].length;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === ' ') {
          this.column += 1;
          this.write('\\');
        }
      }
    }
    this.writeIndicator('"', false);
  }

  private writePlain(text: string[], split: boolean) {
    if (this.rootContext) this.openEnded = true;
    if (text.length === 0) return;
    if (!this.whitespace) {
      this.column += 1;
      this.write(' ');
    }
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : null;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.writeChunk(text, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === null || (' ' + BREAKS).includes(ch)) {
        this.writeChunk(text, start, end);
        start = end;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }
}

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** `tag:yaml.org,2002:x` → `!!x` (PyYAML's prepare_tag for the default prefixes). */
function prepareTag(tag: string): string {
  if (tag === '!') return tag;
  const prefix = 'tag:yaml.org,2002:';
  return tag.startsWith(prefix) && tag.length > prefix.length ? `!!${tag.slice(prefix.length)}` : `!<${tag}>`;
}

/** `yaml.dump(value, default_flow_style=False)` with None written as an empty value (the original's dict_to_yaml_string). */
export function dumpPyYaml(value: PyValue): string {
  return new Emitter(serialize(represent(value, new Map()))).run();
}
