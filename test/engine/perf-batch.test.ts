import * as fc from 'fast-check';
import { Engine, Profile } from '../../src';
import { splitManifestStream } from '../../src/engine/input/stream';
import { parseDocument, parseDocuments } from '../../src/engine/input/yaml-document';

const splitYamlDocuments = (text: string) => splitManifestStream(text).flatMap((d) => (d.kind === 'yaml' ? [d] : []));

/** What a parsed document says, in a comparable form. */
function summary(text: string, parsed: ReturnType<typeof parseDocument>, paths: string[]) {
  return {
    value: parsed.value,
    error: parsed.error,
    at: paths.map((p) => parsed.locate(p)),
    text: text.length,
  };
}

const PATHS = ['', 'kind', 'metadata', 'metadata.name', 'spec.template.spec.containers[1].securityContext.privileged',
  'spec.template.spec.containers[0]', 'spec.template.spec.containers[9].image', 'items[1].spec', 'a', 'b', 'c', 'd', '*', '?',
  'metadata.annotations["ignore.kubeharden.io/pss-privileged"]', 'not a path[', 'data["k: v"]'];

const STREAM = [
  '# leading comment',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web, namespace: shop, annotations: {"ignore.kubeharden.io/pss-privileged": "a good reason here"}}',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: a',
  '        image: a:1',
  '      - name: b',
  '        securityContext:',
  '          privileged: true',
  '---',
  'a: [1, 2',
  '---',
  'apiVersion: v1',
  'kind: List',
  'items:',
  '- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, securityContext: {privileged: yes}}]}}',
  '- apiVersion: v1',
  '  kind: Pod',
  '  spec: {}',
  '--- &anchor',
  'a: &x [1, 2]',
  'b: *x',
  '"c": \'quoted\'',
  '? [complex]',
  ': key',
  '...',
  '---',
  'a: 1',
  'a: 2',
  '---',
  '- just',
  '- a list',
  '--- !!str',
  'scalar',
  '---',
  'data:',
  '  "k: v": 1',
  '  plain key: |',
  '    block',
  '    text',
  '',
].join('\n');

describe('batched parsing (perf)', () => {
  test('parseDocuments gives what parseDocument gives on each document', () => {
    const docs = splitYamlDocuments(STREAM).map((d) => d.text);
    expect(docs.length).toBeGreaterThan(5);
    const batch = parseDocuments(docs);
    expect(batch).toHaveLength(docs.length);
    for (let i = 0; i < docs.length; i++) {
      expect(summary(docs[i], batch[i], PATHS)).toEqual(summary(docs[i], parseDocument(docs[i]), PATHS));
    }
  });

  test('a batch of well-formed documents locates paths relative to each document', () => {
    const docs = ['a: 1\nb:\n  c: [x, z]\n', '---\nb:\n  c:\n  - x\n  - "z"\n'];
    const [one, two] = parseDocuments(docs);
    expect(one.value).toEqual({ a: 1, b: { c: ['x', 'z'] } });
    expect(one.locate('b.c[1]')).toBe(docs[0].indexOf('z'));
    expect(two.locate('b.c[1]')).toBe(docs[1].indexOf('"z"') + 1);
    expect(two.locate('b.c[7]')).toBe(docs[1].indexOf('c:'));
    expect(two.locate('')).toBe(docs[1].indexOf('b:'));
  });

  test('paths are read exactly as splitPath reads them', () => {
    const text = 'a: 1\nb:\n  c:\n  - x\n  - z\n  "d e": {f: 2}\n';
    const doc = parseDocument(text);
    const at = (s: string, from = 0) => text.indexOf(s, from);
    expect(doc.locate('b.c[1]')).toBe(at('z'));
    expect(doc.locate('b["c"][1]')).toBe(at('z'));
    expect(doc.locate('b.c[01]')).toBe(at('z'));
    expect(doc.locate('b.c[]')).toBe(at('x')); // Number('') is 0
    expect(doc.locate('b["d e"].f')).toBe(at('f:'));
    expect(doc.locate('a..b')).toBe(at('a:')); // empty segments are skipped
    expect(doc.locate('b.c[9].x')).toBe(at('c:')); // nearest existing ancestor
    expect(doc.locate('a.x.y')).toBe(at('a:'));
    expect(doc.locate('.a')).toBe(0); // not a path: the root
    expect(doc.locate('b.c[x]')).toBe(0);
    expect(doc.locate('b["c')).toBe(0);
    expect(doc.locate('b.missing[')).toBe(0);
  });

  test('a lookup gives the same offset whatever was looked up before it', () => {
    const text = [
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: a, annotations: {"x.y/z": "1"}}', 'spec:',
      '  containers:', '  - name: a', '    securityContext: {privileged: true, runAsUser: 0}', '    ports: [{containerPort: 1}]',
      '  - name: b', '    securityContext:', '      capabilities: {add: [NET_ADMIN]}', '  containersX: [1]', '',
    ].join('\n');
    const paths = ['', 'spec', 'spec.containers', 'spec.containers[0]', 'spec.containers[0].securityContext.privileged',
      'spec.containers[0].securityContext.runAsUser', 'spec.containers[1].securityContext.capabilities.add[0]',
      'spec.containers[1].securityContext.capabilities.add[3]', 'spec.containersX[0]', 'spec.containers[0]name',
      'spec.containers[2].x', 'metadata.annotations["x.y/z"]', 'metadata.annotations["x.y/z"].q', 'metadata["annotations"]',
      'spec.containers[0].ports[0].containerPort', 'spec.containers[', '.spec', 'kind.x'];
    const fresh = new Map(paths.map((p) => [p, parseDocument(text).locate(p)]));
    fc.assert(fc.property(fc.array(fc.constantFrom(...paths), { maxLength: 30 }), (order) => {
      const doc = parseDocument(text);
      for (const p of order) expect(doc.locate(p)).toBe(fresh.get(p));
    }), { numRuns: 300 });
  });

  test('the same findings, lines and errors whatever the documents are batched with', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 }), (picks) => {
      const parts = [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    securityContext: {privileged: true}\n',
        'apiVersion: v1\nkind: Pod\nspec: {hostNetwork: true, containers: [{name: x}]}\n',
        'a: [1\n',
        'kind: Pod\n',
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec: {hostPID: true}\n',
        '# only a comment\n',
        'x: &a [1]\ny: *a\n',
      ];
      const text = picks.map((p) => `---\n${parts[p]}`).join('');
      const engine = new Engine({ profile: Profile.BASELINE });
      const batched = engine.checkText(text, 'x.yaml');
      // one document at a time, through a stream fed line by line
      const session = engine.newSession();
      const stream = session.openStream('x.yaml');
      for (const line of text.split(/(?<=\n)/)) stream.push(line);
      stream.end();
      const single = session.report();
      expect(batched.findings.map((f) => [f.ruleId, f.line, f.path])).toEqual(single.findings.map((f) => [f.ruleId, f.line, f.path]));
      expect(batched.errors).toEqual(single.errors);
      expect(batched.summary).toEqual(single.summary);
    }), { numRuns: 200 });
  });
});
