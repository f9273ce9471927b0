import { EVENT_ID, Event, getScalarValue, SCALAR_STYLE } from 'js-yaml';
import { MERGE_TAG, Resolved, resolveScalar, ResolveError, YAML_TAG_PREFIX } from './resolve';
import { keepShape } from '../shapes';

/**
 * Builds documents from parser events with the semantics of go-yaml v2 decoding into
 * `interface{}` followed by sigs.k8s.io/yaml's conversion to JSON, which is what kubectl
 * sends to the API server:
 *
 * - scalars resolve as go-yaml v2's `resolve` does ({@link resolvePlain},
 *   {@link resolveTagged}); a tag on a mapping or a sequence is ignored;
 * - a key repeated in a mapping keeps its last value;
 * - a merge key (`<<`, plain or tagged `!!merge`) copies the keys of the merged mapping
 *   into the mapping *at the point where it stands*, overwriting the keys set before it;
 *   a sequence of merged mappings is applied from its last to its first, so the first
 *   wins; several merge keys apply in order;
 * - an alias decodes its anchored node again; an anchor that contains its own alias is
 *   an error, and so is excessive aliasing, by go-yaml's own rule (more than 100 alias
 *   decodes among more than 1,000, beyond a ratio of 99 % that falls to 10 % between
 *   400,000 and 4,000,000 decodes);
 * - keys become JSON keys as sigs.k8s.io/yaml converts them: strings as they are,
 *   integers in decimal, booleans as `true`/`false`, floats as Go's
 *   `FormatFloat(f, 'g', -1, 32)` (`.inf`, `-.inf`, `.nan` for the special values); a
 *   null, unsigned 64-bit, mapping or sequence key is an error, and so are two keys of one
 *   mapping that are different YAML values but the same JSON key (`1` and `"1"`: Go's map
 *   iteration order would decide between them);
 * - a value that JSON cannot hold (an infinity or NaN) is an error;
 * - anchor and alias names are letters, digits, `-` and `_` only (libyaml's rule).
 *
 * Error messages say what is wrong, never the text of a scalar, tag, anchor or alias.
 * @internal
 */
export class GoYamlError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

type Node =
  | { kind: 'scalar'; offset: number; tag: string; implicit: boolean; text: string }
  | { kind: 'mapping'; offset: number; children: Node[] }
  | { kind: 'sequence'; offset: number; children: Node[] }
  | { kind: 'alias'; offset: number; target: Node };

const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

/** The full name of a tag written `text` in a document with the given %TAG directives. */
function expandTag(text: string, handles: Map<string, string>, offset: number): string {
  if (text === '!') return '!';
  if (text.startsWith('!<')) return decodeUriEscapes(text.slice(2, -1), offset);
  const second = text.indexOf('!', 1);
  const handle = second < 0 ? '!' : text.slice(0, second + 1);
  const suffix = second < 0 ? text.slice(1) : text.slice(second + 1);
  const prefix = handles.get(handle) ?? (handle === '!!' ? YAML_TAG_PREFIX : handle === '!' ? '!' : undefined);
  if (prefix === undefined) throw new GoYamlError(offset, 'a tag uses a handle that no %TAG directive declares');
  return prefix + decodeUriEscapes(suffix, offset);
}

function decodeUriEscapes(s: string, offset: number): string {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw new GoYamlError(offset, 'a tag has a malformed %-escape');
  }
}

/**
 * The nodes of the documents in `events[from..to)` (go-yaml's parser step: anchors are
 * registered when their node starts, so an alias inside its own anchor finds it).
 */
function buildNodes(events: Event[], source: string, from: number, to: number): (Node | null)[] {
  const docs: (Node | null)[] = [];
  let anchors = new Map<string, Node>();
  let handles = new Map<string, string>();
  const stack: Node[] = [];
  let root: Node | null = null;
  const attach = (n: Node) => {
    if (stack.length === 0) root = n;
    else (stack[stack.length - 1] as { children: Node[] }).children.push(n);
  };
  const anchorOf = (ev: { anchorStart: number; anchorEnd: number }, n: Node) => {
    if (ev.anchorStart < 0) return;
    const name = source.slice(ev.anchorStart, ev.anchorEnd);
    if (!ANCHOR_NAME.test(name)) throw new GoYamlError(ev.anchorStart, 'an anchor name may hold only letters, digits, "-" and "_"');
    anchors.set(name, n);
  };
  const tagOf = (ev: { tagStart: number; tagEnd: number }) =>
    ev.tagStart < 0 ? '' : expandTag(source.slice(ev.tagStart, ev.tagEnd), handles, ev.tagStart);
  for (let i = from; i < to; i++) {
    const ev = events[i];
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        anchors = new Map();
        handles = new Map();
        for (const d of ev.directives) if (d.kind === 'tag') handles.set(d.handle, d.prefix);
        root = null;
        break;
      case EVENT_ID.SCALAR: {
        const tag = tagOf(ev);
        const offset = ev.valueStart >= 0 ? ev.valueStart : Math.max(0, ev.tagStart, ev.anchorStart);
        const text = ev.valueStart < 0 ? '' : ev.fast ? source.slice(ev.valueStart, ev.valueEnd) : getScalarValue(source, ev);
        const plain = ev.style === SCALAR_STYLE.PLAIN;
        const n: Node = { kind: 'scalar', offset, tag: tag === '!' ? '!' : tag, implicit: (tag === '' && plain) || tag === '!', text };
        anchorOf(ev, n);
        attach(n);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        tagOf(ev); // a tag on a collection is ignored, but must still be a valid one
        const n: Node = ev.type === EVENT_ID.MAPPING ? { kind: 'mapping', offset: ev.start, children: [] } : { kind: 'sequence', offset: ev.start, children: [] };
        anchorOf(ev, n);
        attach(n);
        stack.push(n);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = source.slice(ev.anchorStart, ev.anchorEnd);
        const offset = Math.max(0, ev.anchorStart - 1);
        if (!ANCHOR_NAME.test(name)) throw new GoYamlError(offset, 'an alias name may hold only letters, digits, "-" and "_"');
        const target = anchors.get(name);
        if (target === undefined) throw new GoYamlError(offset, 'an alias refers to an anchor that is not defined before it');
        attach({ kind: 'alias', offset, target });
        break;
      }
      case EVENT_ID.POP:
        if (stack.length > 0) stack.pop();
        else docs.push(root);
        break;
    }
  }
  return docs;
}

/** A key as Go holds it in a `map[interface{}]interface{}`: its resolved scalar, and where it was written. */
interface GoKey {
  readonly scalar: Resolved;
  readonly offset: number;
}

/**
 * A mapping as go-yaml v2 decodes it into `interface{}`: a Go map, keyed by the key's
 * dynamic type and value (so `1` and `"1"` are two keys, `1` and `0x1` one). It becomes
 * a JSON object only when the whole document is converted, as sigs.k8s.io/yaml does.
 * @internal
 */
export class GoMap {
  readonly entries = new Map<string, { key: GoKey; value: unknown }>();
  private nans = 0;

  set(key: GoKey, value: unknown): void {
    const r = key.scalar;
    const id = r.kind === 'float' && Number.isNaN(r.value) ? `nan:${this.nans++}` : `${r.kind}:${r.exact !== undefined ? r.exact.toString() : String(r.value)}`;
    this.entries.set(id, { key, value });
  }
}

const ALIAS_RATIO_LOW = 400_000;
const ALIAS_RATIO_HIGH = 4_000_000;

function allowedAliasRatio(decodes: number): number {
  if (decodes <= ALIAS_RATIO_LOW) return 0.99;
  if (decodes >= ALIAS_RATIO_HIGH) return 0.10;
  return 0.99 - 0.89 * ((decodes - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW));
}

/** Decodes one document's nodes as go-yaml v2 does. @internal */
export class Decoder {
  private decodes = 0;
  private aliasDecodes = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<Node>();

  document(root: Node | null): unknown {
    this.count(root?.offset ?? 0); // the document node
    if (root === null) return null;
    return toJson(this.decode(root), root.offset);
  }

  private count(offset: number): void {
    this.decodes++;
    if (this.aliasDepth > 0) this.aliasDecodes++;
    if (this.aliasDecodes > 100 && this.decodes > 1000 && this.aliasDecodes / this.decodes > allowedAliasRatio(this.decodes)) {
      throw new GoYamlError(offset, 'the document uses its aliases excessively (an alias bomb); refusing it, as Kubernetes does');
    }
  }

  private decode(n: Node): unknown {
    this.count(n.offset);
    switch (n.kind) {
      case 'scalar':
        return scalar(n).value;
      case 'sequence': {
        const out: unknown[] = new Array(n.children.length);
        for (let i = 0; i < n.children.length; i++) out[i] = this.decode(n.children[i]);
        return out;
      }
      case 'mapping': {
        const target = new GoMap();
        this.into(n, target);
        return target;
      }
      case 'alias':
        return this.alias(n, () => this.decode(n.target));
    }
  }

  /** An alias: its anchored node decoded again (`run`), refusing an anchor that contains itself. */
  private alias<T>(n: Node, run: () => T): T {
    if (this.expanding.has(n)) throw new GoYamlError(n.offset, 'an anchor contains an alias of itself');
    this.expanding.add(n);
    this.aliasDepth++;
    try {
      return run();
    } finally {
      this.aliasDepth--;
      this.expanding.delete(n);
    }
  }

  /** Decodes the pairs of a mapping node into a target (go-yaml's `mapping` into an existing map). */
  private into(n: { readonly children: Node[] }, target: GoMap): void {
    const c = n.children;
    for (let i = 0; i + 1 < c.length; i += 2) {
      const k = c[i];
      if (k.kind === 'scalar' && k.text === '<<' && (k.implicit || k.tag === MERGE_TAG)) {
        this.merge(c[i + 1], target);
        continue;
      }
      const key = this.key(k);
      target.set(key, this.decode(c[i + 1]));
    }
  }

  /** A key, decoded like any node (an alias key decodes its anchor); a collection key is refused at once, as go-yaml does. */
  private key(k: Node): GoKey {
    this.decode(k);
    let s: Node = k;
    while (s.kind === 'alias') s = s.target;
    if (s.kind !== 'scalar') throw new GoYamlError(k.offset, 'a mapping key is a mapping or a sequence, which Kubernetes refuses');
    return { scalar: scalar(s), offset: k.offset };
  }

  private merge(v: Node, target: GoMap): void {
    const wantMap = () => new GoYamlError(v.offset, 'a merge key (<<) needs a mapping, an alias of one, or a sequence of them as its value');
    switch (v.kind) {
      case 'mapping':
        this.count(v.offset);
        this.into(v, target);
        return;
      case 'alias':
        if (v.target.kind !== 'mapping') throw wantMap();
        this.count(v.offset);
        this.alias(v, () => {
          this.count(v.target.offset);
          this.into(v.target as { children: Node[] }, target);
        });
        return;
      case 'sequence':
        // from the last to the first: the first mapping's keys win
        for (let i = v.children.length - 1; i >= 0; i--) {
          const item = v.children[i];
          if (item.kind === 'mapping') {
            this.count(item.offset);
            this.into(item, target);
          } else if (item.kind === 'alias' && item.target.kind === 'mapping') {
            this.count(item.offset);
            this.alias(item, () => {
              this.count(item.target.offset);
              this.into(item.target as { children: Node[] }, target);
            });
          } else {
            throw wantMap();
          }
        }
        return;
      default:
        throw wantMap();
    }
  }
}

function scalar(n: Node & { kind: 'scalar' }): Resolved {
  try {
    return resolveScalar(n.text, n.tag, n.implicit);
  } catch (e) {
    if (e instanceof ResolveError) throw new GoYamlError(n.offset, e.message);
    throw e;
  }
}

/**
 * sigs.k8s.io/yaml's conversion of the decoded document to JSON: keys become strings
 * (a null or unsigned 64-bit key is an error, and so are two keys that become the same
 * string: Go's random map order would decide), and a value JSON cannot hold (an
 * infinity, NaN) makes json.Marshal fail.
 */
function toJson(v: unknown, offset: number): unknown {
  if (v instanceof GoMap) {
    const out: { [key: string]: unknown } = {};
    // the keys first: with two keys for one JSON key, Go's map order decides what follows
    const keys = new Map<string, string>();
    for (const [id, { key }] of v.entries) {
      const json = jsonKey(key);
      if (keys.has(json)) {
        throw new GoYamlError(key.offset, 'two keys of this mapping are different YAML values that become the same JSON key: which one Kubernetes keeps depends on Go\'s map order, so kubeharden refuses the document');
      }
      keys.set(json, id);
    }
    for (const [json, id] of keys) {
      const { key, value } = v.entries.get(id)!;
      const converted = toJson(value, key.offset);
      if (json === '__proto__') Object.defineProperty(out, json, { value: converted, writable: true, enumerable: true, configurable: true });
      else out[json] = converted;
    }
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => toJson(x, offset));
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new GoYamlError(offset, 'the document holds an infinite or NaN number (.inf, .nan), which JSON cannot represent: Kubernetes refuses it');
  }
  return v;
}

function jsonKey(key: GoKey): string {
  const r = key.scalar;
  switch (r.kind) {
    case 'str': return r.value as string;
    case 'bool': return r.value ? 'true' : 'false';
    case 'int': return r.exact!.toString();
    case 'float': return formatFloat32(r.value as number);
    case 'uint': throw new GoYamlError(key.offset, 'a mapping key is an unsigned 64-bit integer, which Kubernetes cannot convert to a JSON key');
    default: throw new GoYamlError(key.offset, 'a mapping key is null, which Kubernetes cannot convert to a JSON key');
  }
}

/** Go's strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes float keys. */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  if (Number.isNaN(f)) return '.nan';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // the shortest digits that read back as the same float32
  let exp = 0;
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(f)) {
      const [mant, e] = s.split('e');
      digits = mant.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(e);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * The documents of `events[from..to)`, decoded as kubectl decodes them. Throws a
 * {@link GoYamlError} (with the offset of the offending node) where kubectl fails.
 * @internal
 */
export function decodeGoYaml(events: Event[], source: string, from = 0, to = events.length): unknown[] {
  return buildNodes(events, source, from, to).map((root) => new Decoder().document(root));
}

/** For the fast path: whether a plain scalar inside a flow collection is read alike by YAML 1.1 and js-yaml. @internal */
export function flowPlainDiverges(text: string, source: string, valueEnd: number): boolean {
  if (text.indexOf('?') >= 0 || text.charCodeAt(0) === 0x3a /* : */) return true;
  if (source.charCodeAt(valueEnd) !== 0x3a) return false;
  const next = source.charCodeAt(valueEnd + 1);
  return !(next !== next /* end */ || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d);
}

// a decoder and its mappings die with their document; their hidden classes must not (see shapes.ts)
keepShape(new Decoder());
keepShape(new GoMap());
