/**
 * Decoding fixtures: what kubectl makes of small streams, one case per behaviour of its
 * decoding (apimachinery's document cut, sigs.k8s.io/yaml on go-yaml v2, cli-runtime's
 * list flattening). `npm test` checks kubeharden against `expect`; `npm run
 * test:oracles` checks Kubernetes' own code against the same `expect`, so every case is
 * proven both ways. Where kubeharden refuses a document kubectl decodes (a documented
 * refusal, never a different object), `kubeharden` gives kubeharden's result and
 * `expect` stays kubectl's.
 *
 * A document is `{ objects }` (what kubectl creates from it) or `{ error: true }` (it
 * refuses it; `objects` then lists the list items it still creates).
 */
export interface DecodedDoc {
  readonly objects?: unknown[];
  readonly error?: true;
}

export interface DecodeCase {
  readonly name: string;
  /** The stream, as text (encoded as UTF-8) or as bytes. */
  readonly input: string | Buffer;
  readonly expect: DecodedDoc[];
  /** kubeharden's result where it deliberately refuses what kubectl decodes. */
  readonly kubeharden?: DecodedDoc[];
}

const pod = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${extra}`;
const P = (spec: unknown, name = 'p') => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, ...(spec === undefined ? {} : { spec }) });
const sc = (securityContext: unknown) => ({ containers: [{ name: 'c', securityContext }] });
const container = (line: string) => pod(`spec:\n  containers:\n  - name: c\n    securityContext: ${line}\n`);

export const DECODE_CASES: DecodeCase[] = [
  // ---- document cut (YAMLReader) ----
  { name: 'a --- line ends a document', input: `${pod('')}---\n${pod('')}`, expect: [{ objects: [P(undefined)] }, { objects: [P(undefined)] }] },
  { name: '---#comment and --- # comment are separators', input: `${pod('')}---#c\n${pod('')}--- # c\n${pod('')}`, expect: [{ objects: [P(undefined)] }, { objects: [P(undefined)] }, { objects: [P(undefined)] }] },
  { name: 'text after --- is an error that drops the document it ends', input: `${pod('')}--- {kind: Pod}\n${pod('')}`, expect: [{ error: true }, { objects: [P(undefined)] }] },
  { name: '---- is not a separator but an error', input: `a: 1\n----\n${pod('')}`, expect: [{ error: true }, { objects: [P(undefined)] }] },
  { name: 'a --- line inside a block scalar still cuts the document', input: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  k: |\n    x\n---\n    y\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'x\n' } }] }, { error: true }] },
  { name: 'content after ... is ignored until the next ---', input: `${pod('')}...\n${container('{privileged: true}')}`, expect: [{ objects: [P(undefined)] }] },
  { name: 'a ... before any content is refused', input: `...\n${pod('')}`, expect: [{ error: true }] },
  { name: 'a %YAML directive before --- is refused, the document after it decodes', input: `%YAML 1.1\n---\n${pod('')}`, expect: [{ error: true }, { objects: [P(undefined)] }] },
  { name: 'a byte-order mark at the start of the stream', input: `\ufeff${pod('')}`, expect: [{ objects: [P(undefined)] }] },
  { name: 'a byte-order mark at the start of a later document', input: `${pod('')}---\n\ufeff${pod('')}`, expect: [{ objects: [P(undefined)] }, { objects: [P(undefined)] }] },
  { name: 'CRLF line ends', input: container('{privileged: true}').replace(/\n/g, '\r\n'), expect: [{ objects: [P(sc({ privileged: true }))] }] },
  { name: 'a comment-only document is skipped', input: `# nothing\n---\n${pod('')}`, expect: [{ objects: [P(undefined)] }] },
  // ---- JSON streams ----
  { name: 'a stream starting with { is read as JSON values', input: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"q"}}', expect: [{ objects: [P(undefined)] }, { objects: [P(undefined, 'q')] }] },
  { name: 'one JSON value followed by YAML', input: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}\n---\n${pod('')}`, expect: [{ objects: [P(undefined)] }, { objects: [P(undefined)] }] },
  { name: 'a YAML flow mapping at the start is read as YAML', input: '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostNetwork: yes}}\n', expect: [{ objects: [P({ hostNetwork: true })] }] },
  { name: 'after two JSON values, YAML is an error and the stream ends', input: `{"kind":"A","apiVersion":"v1"}{"kind":"B","apiVersion":"v1"}\n${pod('')}`, expect: [{ objects: [{ kind: 'A', apiVersion: 'v1' }] }, { objects: [{ kind: 'B', apiVersion: 'v1' }] }, { error: true }] },
  // ---- YAML 1.1 scalars (go-yaml v2) ----
  { name: 'YAML 1.1 booleans: y, yes, on, True', input: container('{privileged: y, allowPrivilegeEscalation: on, readOnlyRootFilesystem: Off, runAsNonRoot: NO}'), expect: [{ objects: [P(sc({ privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false, runAsNonRoot: false }))] }] },
  { name: 'integers in every base go-yaml reads', input: container('{runAsUser: 0x0, runAsGroup: 0o0, procMount: 010}'), expect: [{ objects: [P(sc({ runAsUser: 0, runAsGroup: 0, procMount: 8 }))] }] },
  { name: 'leading-zero octal, 08 as a float, signs, underscores, binary', input: 'apiVersion: v1\nkind: X\na: 010\nb: 08\nc: +5\nd: -0b11\ne: 1__0\nf: 0b101\ng: _1\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: 8, b: 8, c: 5, d: -3, e: 10, f: 5, g: '_1' }] }] },
  { name: 'floats that denote integers', input: container('{runAsUser: 0e0, runAsGroup: 1.0}'), expect: [{ objects: [P(sc({ runAsUser: 0, runAsGroup: 1 }))] }] },
  { name: 'numbers too large for a float stay strings', input: 'apiVersion: v1\nkind: X\na: 1e400\nb: 0x1FFFFFFFFFFFFFFFF\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: '1e400', b: '0x1FFFFFFFFFFFFFFFF' }] }] },
  { name: '.inf as a value is refused (JSON cannot hold it)', input: 'apiVersion: v1\nkind: X\na: .inf\n', expect: [{ error: true }] },
  { name: 'timestamps stay strings', input: 'apiVersion: v1\nkind: X\na: 2001-12-14\nb: !!timestamp 2001-12-14\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: '2001-12-14', b: '2001-12-14' }] }] },
  // ---- tags ----
  { name: '!!bool, !!int, !!str and the non-specific ! tag', input: container('{privileged: !!bool "true", runAsUser: !!int "0", procMount: !!str 5, seLinuxOptions: {level: ! 5}}'), expect: [{ objects: [P(sc({ privileged: true, runAsUser: 0, procMount: '5', seLinuxOptions: { level: '5' } }))] }] },
  { name: 'a core tag that does not fit its scalar is refused', input: container('{runAsUser: !!int 5.0}'), expect: [{ error: true }] },
  { name: 'an unknown tag leaves the text, and is ignored on a mapping', input: container('!foo {privileged: !bar true}'), expect: [{ objects: [P(sc({ privileged: 'true' }))] }] },
  { name: '!!binary decodes base64', input: 'apiVersion: v1\nkind: X\na: !!binary aGVsbG8=\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: 'hello' }] }] },
  // ---- merge keys (go-yaml v2 order) ----
  { name: 'a merge after an explicit key overwrites it', input: container('{privileged: false, <<: {privileged: true}}'), expect: [{ objects: [P(sc({ privileged: true }))] }] },
  { name: 'an explicit key after a merge wins', input: container('{<<: {privileged: true}, privileged: false}'), expect: [{ objects: [P(sc({ privileged: false }))] }] },
  { name: 'several merge keys apply in order', input: pod('xa: &a {privileged: true}\nxb: &b {privileged: false}\nspec:\n  containers:\n  - name: c\n    securityContext:\n      <<: *b\n      <<: *a\n'), expect: [{ objects: [{ ...P(sc({ privileged: true })), xa: { privileged: true }, xb: { privileged: false } }] }] },
  { name: 'in a sequence of merges the first wins', input: pod('xa: &a {privileged: true}\nxb: &b {privileged: false}\nspec:\n  containers:\n  - name: c\n    securityContext:\n      <<: [*a, *b]\n'), expect: [{ objects: [{ ...P(sc({ privileged: true })), xa: { privileged: true }, xb: { privileged: false } }] }] },
  { name: 'a quoted "<<" is a plain key', input: 'apiVersion: v1\nkind: X\n"<<": {a: 1}\n', expect: [{ objects: [{ 'apiVersion': 'v1', 'kind': 'X', '<<': { a: 1 } }] }] },
  { name: 'merging a scalar is refused', input: 'apiVersion: v1\nkind: X\n<<: 5\n', expect: [{ error: true }] },
  // ---- anchors and aliases ----
  { name: 'aliases copy their anchor', input: pod('x: &sc {privileged: true}\nspec:\n  containers:\n  - name: c\n    securityContext: *sc\n'), expect: [{ objects: [{ ...P(sc({ privileged: true })), x: { privileged: true } }] }] },
  { name: 'an alias of an unknown anchor is refused', input: container('*nope'), expect: [{ error: true }] },
  { name: 'an anchor that contains itself is refused', input: 'apiVersion: v1\nkind: X\na: &a [*a]\n', expect: [{ error: true }] },
  { name: 'anchor names are letters, digits, - and _ only', input: 'apiVersion: v1\nkind: X\na: &a.b 1\n', expect: [{ error: true }] },
  // ---- keys ----
  { name: 'a repeated key keeps its last value', input: container('{privileged: false, privileged: true}'), expect: [{ objects: [P(sc({ privileged: true }))] }] },
  { name: 'non-string keys become JSON keys as sigs.k8s.io/yaml writes them', input: 'apiVersion: v1\nkind: X\nm: {1: a, 0x10: b, 1.5: c, 1e6: d, yes: e, 1.0e1: f}\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', m: { '1': 'a', '16': 'b', '1.5': 'c', '1e+06': 'd', 'true': 'e', '10': 'f' } }] }] },
  { name: 'a null key is refused', input: 'apiVersion: v1\nkind: X\nm: {~: a}\n', expect: [{ error: true }] },
  { name: 'a collection as a key is refused', input: 'apiVersion: v1\nkind: X\n? [a]\n: b\n', expect: [{ error: true }] },
  // ---- lists (cli-runtime) ----
  { name: 'a List is flattened into its items', input: `apiVersion: v1\nkind: List\nitems:\n- ${JSON.stringify(P(sc({ privileged: true })))}\n`, expect: [{ objects: [P(sc({ privileged: true }))] }] },
  { name: 'typed-list items take kind and apiVersion from the list', input: 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p}\n', expect: [{ objects: [{ metadata: { name: 'p' }, kind: 'Pod', apiVersion: 'v1' }] }] },
  { name: 'any object with an items array is a list', input: `apiVersion: v1\nkind: ConfigMap\nitems:\n- ${JSON.stringify(P(undefined))}\n`, expect: [{ objects: [P(undefined)] }] },
  { name: 'items: null is an empty list', input: 'apiVersion: v1\nkind: PodList\nitems: null\n', expect: [{ objects: [] }] },
  { name: 'a list inside a list is refused', input: `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: [${JSON.stringify(P(undefined))}]}\n`, expect: [{ error: true }] },
  { name: 'an item without kind is refused, the others are created', input: `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, metadata: {name: x}}\n- ${JSON.stringify(P(undefined))}\n`, expect: [{ error: true, objects: [P(undefined)] }] },
  { name: 'items that is not a sequence is refused', input: 'apiVersion: v1\nkind: List\nitems: 5\n', expect: [{ error: true }] },
  // ---- type and object metadata ----
  { name: 'metadata.name: y is a boolean, which kubectl refuses', input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: y}\n', expect: [{ error: true }] },
  { name: 'a label value that is not a string is refused', input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: yes}}\n', expect: [{ error: true }] },
  { name: 'a missing kind is refused', input: 'apiVersion: v1\nmetadata: {name: p}\n', expect: [{ error: true }] },
  // apimachinery's ParseGroupVersion takes one "/" at most; otherwise the object has no kind to kubectl
  { name: 'an apiVersion with two slashes is refused', input: 'kind: Pod\napiVersion: "//>]9:"\nmetadata: {name: p}\n', expect: [{ error: true }] },
  { name: 'an apiVersion of one slash is taken', input: 'kind: Pod\napiVersion: /\nmetadata: {name: p}\n', expect: [{ objects: [{ kind: 'Pod', apiVersion: '/', metadata: { name: 'p' } }] }] },
  {
    name: 'a list item whose apiVersion has two slashes is refused, the others kept',
    input: 'kind: List\napiVersion: v1\nitems:\n- {kind: Pod, apiVersion: a/b/c, metadata: {name: p}}\n- {kind: Pod, apiVersion: v1, metadata: {name: q}}\n',
    expect: [{ error: true, objects: [{ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'q' } }] }],
  },
  {
    // an item takes the list's apiVersion as written, and kubectl types each item: "/" has no version
    name: 'list items of a list whose apiVersion is "/" have no version, and are refused',
    input: 'kind: ConfigMap\napiVersion: /\nitems:\n- {}\n- {kind: Pod, apiVersion: group/, metadata: {name: q}}\n- {kind: Pod, apiVersion: v1, metadata: {name: r}}\n',
    expect: [{ error: true, objects: [{ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'r' } }] }],
  },
  // ---- bytes ----
  { name: 'invalid UTF-8 becomes U+FFFD, one per ill-formed part, as kubectl reads files', input: Buffer.concat([Buffer.from('apiVersion: v1\nkind: X\na: "'), Buffer.from([0xe2, 0x82, 0xff]), Buffer.from('"\n')]), expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: '\ufffd\ufffd' }] }] },
  { name: 'UTF-16 with a byte-order mark', input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: v1\nkind: X\na: 1\n', 'utf16le')]), expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: 1 }] }] },
  // ---- documented refusals: YAML 1.1 and 1.2 tokenize these differently ----
  { name: 'a flow scalar with a ? is refused by kubeharden', input: 'apiVersion: v1\nkind: X\na: [b?c]\n', expect: [{ error: true }], kubeharden: [{ error: true }] },
  { name: 'a LINE SEPARATOR is refused by kubeharden', input: 'apiVersion: v1\nkind: X\na: "b\u2028c"\n', expect: [{ objects: [{ apiVersion: 'v1', kind: 'X', a: 'b\u2028c' }] }], kubeharden: [{ error: true }] },
];

/** A decoder's result in the fixtures' terms. */
export function asDecoded(docs: { objects: unknown[]; error: boolean }[]): DecodedDoc[] {
  return docs.map((d) => (d.error ? (d.objects.length > 0 ? { error: true, objects: d.objects } : { error: true }) : { objects: d.objects }));
}
