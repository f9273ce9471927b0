/**
 * Random manifest streams for the decoding differential test: YAML that exercises what
 * kubectl's decoding does differently from a YAML 1.2 reader — every scalar style and
 * the YAML 1.1 edge scalars, tags, anchors and aliases, merge keys in every position,
 * repeated keys, non-string keys, flow and block collections, document separators with
 * comments, `...` ends, byte-order marks, CRLF, directives, Lists and typed lists, and
 * JSON streams. The text is written by hand here (not by a YAML library) so that the
 * styles are the generator's choice.
 */
import * as fc from 'fast-check';

/** Scalars whose YAML 1.1 resolution is the point. */
export const EDGE_SCALARS = [
  '', '~', 'null', 'Null', 'NULL', 'nULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yES', 'oN',
  '0', '-0', '+0', '+1', '-12', '007', '08', '09', '010', '0o17', '0O17', '0x1F', '0X1f', '0x_1F', '0b101', '0B11', '-0b11', '+0b1', '0b', '0x', '0o',
  '1_000', '1__0', '_1', '1_', '0_1', '-1_0', '1:30', '-190:20:30', '12:30:45',
  '1.5', '.5', '-.5', '+.5', '1.', '0.', '-0.0', '1e3', '1E3', '8e1', '0e0', '1e+3', '1.5e-3', '12e03', '1e', '.e1', '1e400', '-1e400', '1e-400',
  '.inf', '.Inf', '.INF', '-.inf', '+.inf', '.nan', '.NaN', '.NAN', '.5_0', '1_0.5', '0x1p-2', '1_000e1_0',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616',
  '99999999999999999999', '0xFFFFFFFFFFFFFFFF', '0x1FFFFFFFFFFFFFFFF',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-1-1', '2001-12-14 21:59:43.10',
  '=', '<', '<<<', '-', '+', '.', '..', '...x', '-a', '?a', ':a', 'a:b', 'a?b', 'é', 'ñame', '日本', 'a b', 'web-1', 'nginx:1.25',
  '10.0.0.1', 'true-ish', 'privileged', 'root', 'ALL', 'NET_ADMIN', 'RuntimeDefault',
];

const WORDS = ['name', 'image', 'privileged', 'hostNetwork', 'runAsUser', 'spec', 'metadata', 'labels', 'a', 'b', 'c', 'x', 'value', 'items', 'kind', 'apiVersion'];

type Scalar = { t: 's'; text: string; style: 'plain' | 'single' | 'double' | 'literal' | 'folded'; tag?: string; anchor?: string };
type Node =
  | Scalar
  | { t: 'm'; flow: boolean; entries: [Key, Node][]; anchor?: string; tag?: string }
  | { t: 'q'; flow: boolean; items: Node[]; anchor?: string; tag?: string }
  | { t: 'a'; name: string };
type Key = Scalar | { t: 'merge'; style: 'plain' | 'tagged' | 'quoted' };

const ANCHORS = ['a1', 'a2', 'a3'];

/** The value one time in `n`, else null. */
function rarely<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

const scalarText = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EDGE_SCALARS) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', '"', "'", '\\', '#', ':', '-', 'é', '\u00a0'), maxLength: 10 }) },
);

const TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!timestamp', '!', '!foo', '!!binary', '!!merge', '!<tag:yaml.org,2002:int>', '!!map'];

const scalar: fc.Arbitrary<Scalar> = fc.record({
  text: scalarText,
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'literal', 'folded'),
  tag: rarely(fc.constantFrom(...TAGS), 16),
}).map(({ text, style, tag }) => {
  const s: Scalar = { t: 's', text, style: style as Scalar['style'] };
  if (tag !== null) s.tag = tag;
  if (tag === '!!binary') s.text = Buffer.from(text).toString('base64');
  return s;
});

const scalarKey: fc.Arbitrary<Key> = fc.record({
  text: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.constantFrom('yes', 'on', '1', '01', '0x1', '1.5', '1e6', '1.0', 'true', 'null', '~', '-1', '.inf', '.nan', 'y', '<<') }),
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double'),
}).map(({ text, style }) => ({ t: 's', text, style } as Scalar));

const mergeKey: fc.Arbitrary<Key> = fc.constantFrom('plain', 'plain', 'plain', 'tagged', 'quoted').map((style) => ({ t: 'merge', style } as Key));

/**
 * What a merge key takes: what go-yaml accepts (an alias of a mapping, a list of them, a
 * mapping of `key` and `node` entries), and, when `invalid`, sometimes any node.
 */
function mergeValue(node: fc.Arbitrary<Node>, key: fc.Arbitrary<Key>, alias: fc.Arbitrary<Node>, invalid: boolean): fc.Arbitrary<Node> {
  return fc.oneof(
    { weight: 4, arbitrary: alias },
    { weight: 2, arbitrary: fc.constantFrom<Node>({ t: 'q', flow: true, items: [{ t: 'a', name: 'a1' }, { t: 'a', name: 'a2' }] }, { t: 'q', flow: false, items: [{ t: 'a', name: 'a2' }, { t: 'a', name: 'a1' }] }) },
    { weight: 2, arbitrary: fc.array(fc.tuple(key, node), { maxLength: 3 }).map((es) => ({ t: 'm', flow: es.length % 2 === 0, entries: es } as Node)) },
    { weight: invalid ? 1 : 0, arbitrary: node },
  );
}

function entries(tie: (k: 'node') => fc.Arbitrary<Node>, maxLength: number): fc.Arbitrary<[Key, Node][]> {
  return fc.array(fc.oneof(
    { weight: 9, arbitrary: fc.tuple(scalarKey, tie('node')) },
    { weight: 1, arbitrary: fc.tuple(mergeKey, mergeValue(tie('node'), scalarKey, fc.constant<Node>({ t: 'a', name: 'a1' }), true)) },
  ), { maxLength });
}

/** Nodes; `aliases` says whether they may hold aliases (not inside the anchors' own definitions). */
function nodes(aliases: boolean): fc.Arbitrary<Node> {
  return fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 10, arbitrary: scalar },
      { weight: 2, arbitrary: fc.record({ flow: fc.boolean(), entries: entries(tie, 5), anchor: rarely(fc.constantFrom('b1', 'b2'), 6), tag: rarely(fc.constantFrom('!!map', '!foo', '!!seq'), 10) }).map((m) => ({ t: 'm', ...clean(m) } as Node)) },
      { weight: 2, arbitrary: fc.record({ flow: fc.boolean(), items: fc.array(tie('node'), { maxLength: 4 }), anchor: rarely(fc.constantFrom('b1', 'b2'), 6), tag: rarely(fc.constantFrom('!!seq', '!bar'), 10) }).map((q) => ({ t: 'q', ...clean(q) } as Node)) },
      { weight: aliases ? 1 : 0, arbitrary: fc.constantFrom(...ANCHORS, ...ANCHORS, ...ANCHORS, ...ANCHORS, 'b1', 'a4').map((name) => ({ t: 'a', name } as Node)) },
    ),
  })).node;
}

const node = nodes(true);
const plainNode = nodes(false);

function clean<T extends object>(o: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(o)) if (v !== null) out[k] = v;
  return out;
}

// ---- rendering ----

function single(s: string): string {
  return `'${s.replace(/'/g, "''").replace(/\n/g, '\n\n')}'`;
}

function double(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c > 0x7e && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function tagPrefix(tag: string | undefined): string {
  return tag === undefined ? '' : `${tag} `;
}

function anchorPrefix(anchor: string | undefined): string {
  return anchor === undefined ? '' : `&${anchor} `;
}

/** A scalar written inline (flow context or after a key). */
function inlineScalar(s: Scalar, inFlow: boolean): string {
  const style = s.style === 'literal' || s.style === 'folded' ? 'double' : s.style;
  let body: string;
  if (style === 'plain') {
    // a plain scalar only where it stays one token: otherwise quote it
    const unsafe = s.text === '' || /[\n\t#"'`&*!|>%@{}[\],]|: |:$|^[-?:](\s|$)|^\s|\s$/.test(s.text) || (inFlow && /[?:]/.test(s.text));
    body = unsafe ? double(s.text) : s.text;
  } else if (style === 'single' && !s.text.includes('\n')) {
    // (a multi-line single-quoted scalar would put its next line at column 0, which
    // libyaml accepts and js-yaml refuses: a known refusal, see the README)
    body = single(s.text);
  } else {
    body = double(s.text);
  }
  return anchorPrefix(s.anchor) + tagPrefix(s.tag) + body;
}

function renderKey(k: Key, inFlow: boolean): string {
  if (k.t === 'merge') return k.style === 'tagged' ? '!!merge <<' : k.style === 'quoted' ? '"<<"' : '<<';
  return inlineScalar(k, inFlow);
}

function props(n: { anchor?: string; tag?: string }): string {
  return (n.anchor ? `&${n.anchor} ` : '') + (n.tag ? `${n.tag} ` : '');
}

function flow(n: Node): string {
  switch (n.t) {
    case 's': return inlineScalar(n, true);
    case 'a': return `*${n.name}`;
    case 'm': return `${props(n)}{${n.entries.map(([k, v]) => `${renderKey(k, true)}: ${flow(v)}`).join(', ')}}`;
    case 'q': return `${props(n)}[${n.items.map((i) => flow(i)).join(', ')}]`;
  }
}

function blockScalar(s: Scalar, indent: number): string {
  const pad = ' '.repeat(indent);
  const chomp = s.text.endsWith('\n') ? '+' : '-';
  const lines = s.text.replace(/\n$/, '').split('\n');
  if (lines.some((l) => /^\s/.test(l) || /\s$/.test(l) || /[^\x20-\x7e\u00a0-\uffff]/.test(l))) return ` ${inlineScalar({ ...s, style: 'double' }, false)}\n`;
  return ` ${anchorPrefix(s.anchor)}${tagPrefix(s.tag)}${s.style === 'literal' ? '|' : '>'}${chomp}\n${lines.map((l) => (l === '' ? '' : pad + l)).join('\n')}\n`;
}

/** A node as the value after `key:` or `-` (the text starts with what follows the indicator). */
function blockValue(n: Node, indent: number): string {
  if (n.t === 's') {
    if ((n.style === 'literal' || n.style === 'folded') && n.text !== '') return blockScalar(n, indent);
    return ` ${inlineScalar(n, false)}\n`;
  }
  if (n.t === 'a') return ` *${n.name}\n`;
  const empty = n.t === 'm' ? n.entries.length === 0 : n.items.length === 0;
  if (n.flow || empty) return ` ${flow(n)}\n`;
  const p = props(n).trimEnd();
  return `${p ? ' ' + p : ''}\n${block(n, indent)}`;
}

function block(n: Node & { t: 'm' | 'q' }, indent: number): string {
  const pad = ' '.repeat(indent);
  if (n.t === 'm') return n.entries.map(([k, v]) => `${pad}${renderKey(k, false)}:${blockValue(v, indent + 2)}`).join('');
  return n.items.map((i) => `${pad}-${blockValue(i, indent + 2)}`).join('');
}

/** A document's root: a manifest-like mapping most of the time. */
const KINDS = ['Pod', 'ConfigMap', 'Deployment', 'List', 'PodList', 'Secret', 'Pod', 'ConfigMap', 'Deployment', ''];

const documentText: fc.Arbitrary<string> = fc.record({
  kind: fc.constantFrom(...KINDS, 'Pod', 'ConfigMap', 'Deployment'),
  withVersion: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  anchors: fc.tuple(fc.array(fc.tuple(scalarKey, plainNode), { maxLength: 3 }), fc.array(plainNode, { maxLength: 3 }), plainNode),
  body: entries(() => node, 6),
  items: rarely(fc.array(fc.oneof(node, fc.record({ kind: fc.constantFrom('Pod', 'ConfigMap', 'List'), name: fc.constantFrom(...WORDS) }).map((i) => ({ kind: i.kind, name: i.name }))), { maxLength: 3 }), 3),
  root: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: node }),
  flowRoot: fc.integer({ min: 0, max: 9 }),
}).map(({ kind, withVersion, anchors, body, items, root, flowRoot }) => {
  if (root !== null) return (root.t === 'm' || root.t === 'q') && !root.flow && (root.t === 'm' ? root.entries.length : root.items.length) > 0 ? block(root, 0) : flow(root) + '\n';
  const fields: [Key, Node][] = [];
  if (kind !== '') fields.push([{ t: 's', text: 'kind', style: 'plain' }, { t: 's', text: kind, style: 'plain' }]);
  if (withVersion) fields.push([{ t: 's', text: 'apiVersion', style: 'plain' }, { t: 's', text: 'v1', style: 'plain' }]);
  // three anchors first: a1 and a2 mappings, a3 anything (a merge of a3 may fail, as it should)
  const [a1, a2, a3] = anchors;
  fields.push([{ t: 's', text: 'x-a1', style: 'plain' }, { t: 'm', flow: a1.length % 2 === 1, entries: a1, anchor: 'a1' }]);
  fields.push([{ t: 's', text: 'x-a2', style: 'plain' }, { t: 'm', flow: false, entries: a2.map((v, i) => [{ t: 's', text: WORDS[i], style: 'plain' }, v] as [Key, Node]), anchor: 'a2' }]);
  fields.push([{ t: 's', text: 'x-a3', style: 'plain' }, a3.t === 'm' || a3.t === 'q' ? { ...a3, anchor: 'a3' } : { t: 'q', flow: true, items: [a3], anchor: 'a3' }]);
  fields.push(...body);
  if (items !== null) {
    const list: Node[] = items.map((i) => ('kind' in i ? { t: 'm', flow: false, entries: [[{ t: 's', text: 'kind', style: 'plain' }, { t: 's', text: i.kind, style: 'plain' }], [{ t: 's', text: 'metadata', style: 'plain' }, { t: 'm', flow: true, entries: [[{ t: 's', text: 'name', style: 'plain' }, { t: 's', text: i.name, style: 'plain' }]] }]] } as Node : i as Node));
    fields.push([{ t: 's', text: 'items', style: 'plain' }, { t: 'q', flow: false, items: list }]);
  }
  const doc: Node = { t: 'm', flow: flowRoot === 0, entries: fields };
  return fields.length === 0 ? '{}\n' : flowRoot === 0 ? flow(doc) + '\n' : block(doc as Node & { t: 'm' }, 0);
});

const SEPARATORS = ['---\n', '---\n', '---\n', '---\n', '---\n', '---\n', '---\n', '---\n', '--- # next\n', '---#c\n', '---   \n', '---\t# t\n', '--- x\n', '----\n'];

/** One stream: documents joined by separators, with the stream-level variations. */
export const manifestStream: fc.Arbitrary<Buffer> = fc.record({
  docs: fc.array(fc.record({
    text: documentText,
    sep: fc.constantFrom(...SEPARATORS),
    end: fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('...\n', '... # end\n', '...\nkind: After\n') }),
    before: fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('# a comment\n', '\n', '%YAML 1.1\n', '\ufeff', '...\n') }),
  }), { minLength: 1, maxLength: 4 }),
  leadingSeparator: fc.boolean(),
  crlf: fc.integer({ min: 0, max: 9 }),
  json: fc.integer({ min: 0, max: 14 }),
  jsonValues: fc.array(fc.dictionary(fc.constantFrom('kind', 'apiVersion', 'a', 'b', 'items', 'privileged'), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]))), { minLength: 1, maxLength: 3 }),
  jsonTail: fc.constantFrom('', '\n---\nkind: Tail\napiVersion: v1\n', '\nkind: Tail\n', '\n  a: 1\n  b: 2\n', ' {bad'),
}).map(({ docs, leadingSeparator, crlf, json, jsonValues, jsonTail }) => {
  let text: string;
  if (json === 0) {
    text = jsonValues.map((v) => JSON.stringify(v, null, json % 2 ? 2 : undefined)).join('\n') + jsonTail;
  } else {
    text = (leadingSeparator ? '---\n' : '') + docs.map((d, i) => (i > 0 ? d.sep : '') + d.before + d.text + d.end).join('');
  }
  if (crlf === 0) text = text.replace(/\n/g, '\r\n');
  return Buffer.from(text, 'utf8');
});

// ---- realistic workloads: the fields a security verdict depends on, written every way ----

/** A small deterministic generator of choices (rendering choices come from a seed). */
function chooser(seed: number) {
  // Park-Miller: exact in doubles (16807 * 2^31 < 2^53)
  let x = (Math.abs(Math.trunc(seed)) % 2147483646) + 1;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return (x - 1) / 2147483646;
  };
  return { pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)], chance: (p: number) => next() < p };
}

const TRUE_WORDS = ['true', 'True', 'TRUE', 'yes', 'Yes', 'y', 'Y', 'on', 'ON', '"true"', "'yes'", '!!bool "true"', '!!bool yes'];
const FALSE_WORDS = ['false', 'False', 'no', 'NO', 'n', 'off', 'Off', '"false"', '!!bool off'];

function intText(n: number, c: ReturnType<typeof chooser>): string {
  const forms = [String(n), `0x${n.toString(16)}`, `0o${n.toString(8)}`, `0${n.toString(8)}`, `${n}.0`, `${n}e0`, `"${n}"`, `!!int "${n}"`, `+${n}`];
  if (n >= 1000) forms.push(String(n).replace(/(\d)(?=(\d{3})+$)/g, '$1_'));
  return c.pick(forms);
}

function render(v: unknown, indent: number, c: ReturnType<typeof chooser>, flowCtx: boolean): string {
  const pad = ' '.repeat(indent);
  if (typeof v === 'boolean') return c.pick(v ? TRUE_WORDS : FALSE_WORDS);
  if (typeof v === 'number') return intText(v, c);
  if (typeof v === 'string') return c.pick([v, `"${v}"`, `'${v}'`]);
  if (typeof v === 'object' && v !== null && '__raw' in v) return (v as { __raw: string }).__raw;
  if (Array.isArray(v)) {
    if (v.length === 0 || flowCtx || c.chance(0.3)) return `[${v.map((x) => render(x, 0, c, true)).join(', ')}]`;
    return '\n' + v.map((x) => `${pad}-${prefixBlock(render(x, indent + 2, c, false), indent + 2)}`).join('\n');
  }
  const o = v as { [k: string]: unknown };
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (keys.length === 0 || flowCtx || c.chance(0.25)) return `{${keys.map((k) => `${k}: ${render(o[k], 0, c, true)}`).join(', ')}}`;
  return '\n' + keys.map((k) => `${pad}${k}:${prefixBlock(render(o[k], indent + 2, c, false), indent + 2)}`).join('\n');
}

/** A rendered value after `key:` or `-`: a block on the next lines, else after a space. */
function prefixBlock(text: string, _indent: number): string {
  return text.startsWith('\n') ? text : ` ${text}`;
}

const securityContext = fc.record({
  privileged: fc.boolean(),
  allowPrivilegeEscalation: fc.boolean(),
  runAsNonRoot: fc.boolean(),
  runAsUser: fc.constantFrom(0, 1, 1000, 65534, 10001),
  readOnlyRootFilesystem: fc.boolean(),
  capabilities: fc.record({ add: fc.subarray(['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW']), drop: fc.subarray(['ALL', 'NET_RAW']) }),
}, { requiredKeys: [] });

const workload = fc.record({
  kind: fc.constantFrom('Pod', 'Deployment', 'DaemonSet', 'Job'),
  name: fc.constantFrom('web', 'api', 'db-0', 'agent'),
  hostNetwork: fc.option(fc.boolean(), { nil: undefined }),
  hostPID: fc.option(fc.boolean(), { nil: undefined }),
  containers: fc.array(fc.record({ name: fc.constantFrom('app', 'sidecar'), image: fc.constantFrom('nginx:1.25', 'registry.example.com/app@sha256:' + 'a'.repeat(64)), securityContext: fc.option(securityContext, { nil: undefined }) }, { requiredKeys: ['name', 'image'] }), { minLength: 1, maxLength: 2 }),
  merge: fc.option(fc.tuple(securityContext, fc.constantFrom('before', 'after', 'list', 'alias-only')), { freq: 3, nil: undefined }),
  seed: fc.integer(),
});

export const workloadStream: fc.Arbitrary<Buffer> = fc.array(workload, { minLength: 1, maxLength: 3 }).map((ws) => {
  const docs = ws.map((w) => {
    const c = chooser(w.seed);
    const podSpec: { [k: string]: unknown } = { containers: w.containers.map((x) => clean({ ...x })) };
    if (w.hostNetwork !== undefined) podSpec.hostNetwork = w.hostNetwork;
    if (w.hostPID !== undefined) podSpec.hostPID = w.hostPID;
    const body = w.kind === 'Pod' ? podSpec : { selector: { matchLabels: { app: w.name } }, template: { metadata: { labels: { app: w.name } }, spec: podSpec } };
    let text = `apiVersion: ${w.kind === 'Pod' ? 'v1' : w.kind === 'Job' ? 'batch/v1' : 'apps/v1'}\nkind: ${w.kind}\nmetadata:\n  name: ${w.name}\n`;
    if (w.merge !== undefined) {
      const [base, where] = w.merge;
      text += `x-base: &base ${render(base, 0, c, true)}\n`;
      const own = clean({ ...(w.containers[0].securityContext ?? {}) });
      const ownText = Object.keys(own).map((k) => `${k}: ${render((own as any)[k], 0, c, true)}`);
      const merged = where === 'alias-only' ? '*base' : `{${(where === 'before' ? ['<<: *base', ...ownText] : where === 'after' ? [...ownText, '<<: *base'] : ['<<: [*base, {}]', ...ownText]).join(', ')}}`;
      (podSpec.containers as any[])[0].securityContext = { __raw: merged };
    }
    return text + `spec:${prefixBlock(render(body, 2, c, false), 2)}\n`;
  });
  return Buffer.from(docs.join('---\n'), 'utf8');
});

// ---- decodable streams: the value comparison where the stream above mostly compares refusals ----
//
// The stream above puts an error-prone construct (an undefined alias, a wrong tag, an
// infinite number, a separator with text after it...) in most documents, so most are
// refused by both decoders and only their refusals are compared. These streams keep the
// constructs whose values are the point (the YAML 1.1 edge scalars in every style,
// multi-line block scalars with both chompings, escapes, the tags that keep a value,
// anchors on collections and scalars, redefined anchors, aliases, merge keys at the root
// and nested, repeated keys, flow and block styles, Lists and typed lists, comments, BOMs
// and CRLF) and leave out what makes kubectl refuse a document, so that most documents
// decode and their values are compared.

/** The edge scalars that decode to a JSON value (no infinity, no NaN). */
const FINITE_SCALARS = EDGE_SCALARS.filter((s) => !/^[-+]?\.(inf|nan)$/i.test(s) && !/^-?1e400$/.test(s));
/** Keys free for the body: those kubectl gives a meaning (kind, apiVersion, metadata, items) are written apart. */
const BODY_WORDS = WORDS.filter((w) => !['kind', 'apiVersion', 'metadata', 'items'].includes(w));

const decodableScalar: fc.Arbitrary<Scalar> = fc.record({
  text: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...FINITE_SCALARS) },
    { weight: 2, arbitrary: fc.constantFrom(...BODY_WORDS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    // several lines, tabs, quotes, backslashes, a no-break space: folding, chomping and escapes
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\n', '\t', '"', "'", '\\', '#', ':', '-', 'é', '\u00a0'), maxLength: 14 }) },
  ),
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'literal', 'folded'),
  // the tags that keep any scalar's value: a string
  tag: rarely(fc.constantFrom('!!str', '!', '!<tag:yaml.org,2002:str>'), 10),
}).map(({ text, style, tag }) => {
  const s: Scalar = { t: 's', text, style: style as Scalar['style'] };
  if (tag !== null) s.tag = tag;
  return s;
});

const decodableKey: fc.Arbitrary<Key> = fc.record({
  // YAML 1.1 spellings that become string keys (yes → "true", 0x1 → "1", 1.0 → "1"), and a few repeats
  text: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...BODY_WORDS) }, { weight: 1, arbitrary: fc.constantFrom('yes', 'on', '1', '01', '0x1', '1.5', '1e6', '1.0', 'true', '-1', 'y', '日本') }),
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double'),
}).map(({ text, style }) => ({ t: 's', text, style } as Scalar));

/**
 * Nodes of a decodable document, and mapping entries (merge keys included). Where the
 * anchors a1, a2 and a3 are defined (`aliases` false), nodes may carry the anchors b1
 * and b2 (collections and scalars; a later one redefines the name). In the body, aliases
 * name a1, a2 and a3 (always defined by then), and now and then b1 or b2 (defined only
 * when an anchor's definition drew them: otherwise both decoders refuse the document).
 */
function decodableNodes(aliases: boolean): { node: fc.Arbitrary<Node>; entry: fc.Arbitrary<[Key, Node]> } {
  const anchor: fc.Arbitrary<string | null> = aliases ? fc.constant(null) : rarely(fc.constantFrom('b1', 'b2'), 5);
  return fc.letrec<{ node: Node; entry: [Key, Node] }>((tie) => {
    const merge = mergeValue(tie('node'), decodableKey, fc.constantFrom<Node>({ t: 'a', name: 'a1' }, { t: 'a', name: 'a2' }), false);
    return {
      entry: fc.oneof(
        { weight: 9, arbitrary: fc.tuple(decodableKey, tie('node')) },
        { weight: aliases ? 2 : 0, arbitrary: fc.tuple(fc.constantFrom<Key>({ t: 'merge', style: 'plain' }, { t: 'merge', style: 'plain' }, { t: 'merge', style: 'tagged' }), merge) },
      ),
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        { weight: 10, arbitrary: fc.tuple(decodableScalar, anchor).map(([sc, a]) => (a === null ? sc : { ...sc, anchor: a })) },
        { weight: 2, arbitrary: fc.record({ flow: fc.boolean(), entries: fc.array(tie('entry'), { maxLength: 5 }), tag: rarely(fc.constant('!!map'), 10), anchor }).map((m) => ({ t: 'm', ...clean(m) } as Node)) },
        { weight: 2, arbitrary: fc.record({ flow: fc.boolean(), items: fc.array(tie('node'), { maxLength: 4 }), tag: rarely(fc.constant('!!seq'), 10), anchor }).map((q) => ({ t: 'q', ...clean(q) } as Node)) },
        { weight: aliases ? 1 : 0, arbitrary: fc.constantFrom<Node>({ t: 'a', name: 'a1' }, { t: 'a', name: 'a2' }, { t: 'a', name: 'a3' }, { t: 'a', name: 'a1' }, { t: 'a', name: 'b1' }) },
      ),
    };
  });
}

const { entry: decodableEntry } = decodableNodes(true);
const { node: decodablePlainNode } = decodableNodes(false);

function plain(text: string): Scalar {
  return { t: 's', text, style: 'plain' };
}

const decodableDocument: fc.Arbitrary<string> = fc.record({
  kind: fc.constantFrom('Pod', 'ConfigMap', 'Deployment', 'Secret', 'List', 'PodList', 'Pod', 'Deployment'),
  name: fc.constantFrom('web', 'api', 'db-0', 'a.b'),
  anchors: fc.tuple(
    fc.array(fc.tuple(decodableKey, decodablePlainNode), { maxLength: 3 }), fc.array(decodablePlainNode, { maxLength: 3 }), decodablePlainNode,
  ),
  body: fc.array(decodableEntry, { maxLength: 6 }),
  items: fc.array(fc.tuple(
    fc.constantFrom('Pod', 'ConfigMap', ''), fc.constantFrom('x', 'y'), fc.array(decodableEntry, { maxLength: 3 }),
  ), { maxLength: 3 }),
  flowRoot: fc.integer({ min: 0, max: 9 }),
  comment: fc.constantFrom('', '', '', '# a comment\n', '  # indented\n'),
}).map(({ kind, name, anchors, body, items, flowRoot, comment }) => {
  const list = kind === 'List' || kind === 'PodList';
  const [a1, a2, a3] = anchors;
  const fields: [Key, Node][] = [
    [plain('kind'), plain(kind)],
    [plain('apiVersion'), plain('v1')],
    [plain('metadata'), { t: 'm', flow: flowRoot % 3 === 0, entries: [[plain('name'), plain(name)]] }],
    [plain('x-a1'), { t: 'm', flow: a1.length % 2 === 1, entries: a1, anchor: 'a1' }],
    [plain('x-a2'), { t: 'm', flow: false, entries: a2.map((v, i) => [plain(BODY_WORDS[i]), v] as [Key, Node]), anchor: 'a2' }],
    [plain('x-a3'), a3.t === 'm' || a3.t === 'q' ? { ...a3, anchor: 'a3' } : { t: 'q', flow: true, items: [a3], anchor: 'a3' }],
    ...body,
  ];
  if (list) {
    // items of a typed list may leave out kind and apiVersion (kubectl takes both from the list)
    const bare = (k: string) => k === '' && kind === 'PodList';
    const listItems: Node[] = items.map(([k, n, rest]) => ({
      t: 'm',
      flow: false,
      entries: [
        ...(bare(k) ? [] : [[plain('kind'), plain(k === '' ? 'ConfigMap' : k)], [plain('apiVersion'), plain('v1')]] as [Key, Node][]),
        [plain('metadata'), { t: 'm', flow: true, entries: [[plain('name'), plain(n)]] }] as [Key, Node],
        ...rest,
      ],
    }));
    fields.push([plain('items'), { t: 'q', flow: false, items: listItems }]);
  }
  const doc: Node = { t: 'm', flow: flowRoot === 0, entries: fields };
  return comment + (flowRoot === 0 ? flow(doc) + '\n' : block(doc as Node & { t: 'm' }, 0));
});

/** A stream of documents that kubectl mostly decodes (see above). */
export const decodableStream: fc.Arbitrary<Buffer> = fc.record({
  docs: fc.array(fc.record({ text: decodableDocument, sep: fc.constantFrom('---\n', '---\n', '---\n', '--- # next\n', '---#c\n', '---   \n') }), { minLength: 1, maxLength: 4 }),
  leadingSeparator: fc.boolean(),
  crlf: fc.integer({ min: 0, max: 9 }),
  bom: fc.integer({ min: 0, max: 19 }),
}).map(({ docs, leadingSeparator, crlf, bom }) => {
  let text = (bom === 0 ? '\ufeff' : '') + (leadingSeparator ? '---\n' : '') + docs.map((d, i) => (i > 0 ? d.sep : '') + d.text).join('');
  if (crlf === 0) text = text.replace(/\n/g, '\r\n');
  return Buffer.from(text, 'utf8');
});
