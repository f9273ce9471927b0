import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { parseEvents } from 'js-yaml';
import { CheckSession, DocumentBatcher } from '../../src/engine/check-session';
import { Engine } from '../../src/engine/engine';
import { decodeGoYaml, Decoder, GoMap } from '../../src/engine/input/go-yaml';
import { ManifestStream, RawDocument } from '../../src/engine/input/stream';
import { Utf8Reader } from '../../src/engine/input/utf8';
import { EventIndex, LineIndex, Locator, parseDocuments } from '../../src/engine/input/yaml-document';
import { PodScope } from '../../src/engine/pod-spec';
import { keptShapes } from '../../src/engine/shapes';
import { Profile } from '../../src/engine/types';
import { roleFactsOf, RoleIndex } from '../../src/rules/rbac/role-resolution';

// V8's own test of whether two objects share a hidden class (see src/engine/shapes.ts)
v8.setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

function kept<T extends object>(type: abstract new (...args: any[]) => T): T {
  const found = keptShapes().filter((o) => o instanceof type);
  expect(found).toHaveLength(1);
  return found[0] as T;
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings}
    data: {password: hunter2hunter2}
---
a: &x {b: 1}
c: *x
`;

describe('the instances kept for their hidden classes', () => {
  test('the check itself works with the sanity check on', () => {
    expect(sameMap({ a: 1 }, { a: 2 })).toBe(true);
    expect(sameMap({ a: 1 }, { b: 1 })).toBe(false);
  });

  test('an engine and its sessions keep the kept ones\' hidden classes through a whole check, streamed or not', () => {
    const engine = new Engine();
    expect(sameMap(engine, kept(Engine))).toBe(true);
    const configured = new Engine({ profile: Profile.RESTRICTED, pssVersion: 'v1.24', excludeBuiltinRbac: true, excludeNamespaces: ['kube-system'] });
    expect(sameMap(configured, kept(Engine))).toBe(true);
    const session = engine.newSession();
    session.addText(MANIFEST, 'a.yaml');
    session.addObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const report = session.report();
    expect(report.findings.length).toBeGreaterThan(0);
    const ofText = engine.checkText(MANIFEST, 'a.yaml');
    expect(sameMap(session, kept(CheckSession))).toBe(true);
    expect(sameMap((session as any).scope, kept(PodScope))).toBe(true);

    const streaming = engine.newSession();
    const streamed: unknown[] = [];
    streaming._streamFindings((f) => streamed.push(f));
    streaming.addText(MANIFEST, 'a.yaml');
    streaming.report();
    expect(streamed.length).toBe(ofText.findings.length);
    expect(sameMap(streaming, kept(CheckSession))).toBe(true);
  });

  test('streams, batchers and UTF-8 readers keep theirs', () => {
    const docs: RawDocument[] = [];
    const yaml = new ManifestStream((d) => docs.push(d));
    yaml.push(MANIFEST.slice(0, 40));
    yaml.push(MANIFEST.slice(40));
    yaml.end();
    const json = new ManifestStream((d) => docs.push(d));
    json.push('{"apiVersion": "v1", "kind": "ConfigMap"}\n{"apiVersion"');
    json.push(': "v1", "kind": "Secret"}');
    json.end();
    expect(docs.length).toBe(5);
    expect(sameMap(yaml, kept(ManifestStream))).toBe(true);
    expect(sameMap(json, kept(ManifestStream))).toBe(true);

    const batches: unknown[] = [];
    const batcher = new DocumentBatcher((b) => batches.push(b));
    for (const d of docs) if (d.kind === 'yaml') batcher.add(d as RawDocument & { kind: 'yaml' });
    batcher.flush();
    expect(batches).toHaveLength(1);
    expect(sameMap(batcher, kept(DocumentBatcher))).toBe(true);

    for (const bytes of [Buffer.from(MANIFEST), Buffer.from('\ufeffa: b\n', 'utf16le'), Buffer.from([0xe2, 0x82])]) {
      const reader = new Utf8Reader();
      reader.push(bytes.subarray(0, 1));
      reader.push(bytes.subarray(1));
      reader.end();
      expect(sameMap(reader, kept(Utf8Reader))).toBe(true);
    }
  });

  test('event indexes, locators and line indexes keep theirs, filled or not', () => {
    // the plain constructor records the ends; a document with an alias leaves them to be computed
    const parsed = parseDocuments(['a:\n  b: [1, 2]\n', 'c: &x 1\nd: *x\n']);
    // the plain constructor's way: the ends recorded while it builds the documents
    const recorded = new EventIndex(parseEvents('a: [1]\n'));
    recorded.setEnds(new Int32Array(recorded.events.length));
    expect(recorded.builtPlain).toBe(true);
    expect(sameMap(recorded, kept(EventIndex))).toBe(true);
    expect(parsed.map((p) => p.locate('a.b[1]'))).toEqual([12, 0]);
    const source = 'a:\n  b: [1, 2]\nc: &x 1\nd: *x\n';
    const events = parseEvents(source);
    const index = new EventIndex(events);
    const locator = new Locator(index, source, 0, events.length, 0);
    expect(locator.locate('a.b[1]')).toBe(12);
    expect(locator.locate('a.b[0]')).toBe(9);
    expect(sameMap(index, kept(EventIndex))).toBe(true);
    expect(sameMap(locator, kept(Locator))).toBe(true);
    const lines = new LineIndex(source);
    expect(lines.lineOf(12)).toBe(2);
    expect(lines.lineOf(locator.locate('d'))).toBe(4);
    expect(lines.position(26)).toEqual({ line: 4, column: 4 });
    expect(sameMap(lines, kept(LineIndex))).toBe(true);
  });

  test('go-yaml\'s decoder and its mappings keep theirs, merge keys, NaN keys and aliases included', () => {
    const decoders: Decoder[] = [];
    const maps: GoMap[] = [];
    const document = Decoder.prototype.document;
    const set = GoMap.prototype.set;
    const spies = [
      jest.spyOn(Decoder.prototype, 'document').mockImplementation(function (this: Decoder, root) {
        decoders.push(this);
        return document.call(this, root);
      }),
      jest.spyOn(GoMap.prototype, 'set').mockImplementation(function (this: GoMap, key, value) {
        maps.push(this);
        return set.call(this, key, value);
      }),
    ];
    try {
      const source = 'a: &x {b: 1, .nan: 2}\nc:\n  <<: *x\n  d: [*x]\n---\n!!map {e: !!str 1}\n';
      expect(decodeGoYaml(parseEvents(source), source)).toEqual([{ a: { 'b': 1, '.nan': 2 }, c: { 'b': 1, '.nan': 2, 'd': [{ 'b': 1, '.nan': 2 }] } }, { e: '1' }]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(decoders).toHaveLength(2);
    expect(maps.length).toBeGreaterThan(3);
    for (const d of decoders) expect(sameMap(d, kept(Decoder))).toBe(true);
    for (const m of maps) expect(sameMap(m, kept(GoMap))).toBe(true);
  });

  test('a role index keeps its hidden class once it has resolved bindings', () => {
    const role = roleFactsOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] })!;
    const index = new RoleIndex([role], 30);
    expect(index.everyPermission('ClusterRole', '', 'all')).toBeDefined();
    expect(index.everyPermission('ClusterRole', '', 'cluster-admin')).toBeDefined();
    expect(sameMap(index, kept(RoleIndex))).toBe(true);
  });

  test('every class of the engine and the rules has a kept instance, or is not made per check', () => {
    // classes whose instances outlive a check (or are never made in one), with the reason
    const NOT_PER_CHECK: { [name: string]: string } = {
      Config: 'a configuration file, read once per run by the CLI and the adapters',
      FunctionRule: 'the catalog\'s rules, made once at module load',
      FunctionSetRule: 'the catalog\'s set-level rules, made once at module load',
      Reports: 'static methods only',
      Rules: 'static methods only',
      GoYamlError: 'an error: thrown only for a document kubectl refuses',
      ResolveError: 'an error: thrown only for a document kubectl refuses',
      Undecodable: 'an error: thrown only for a policy that cannot be read',
      Unreadable: 'an error: thrown only for an RBAC object that cannot be read',
    };
    const classes: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/^(?:export )?(?:abstract )?class (\w+)/gm)) classes.push(m[1]);
      }
    };
    const src = path.join(__dirname, '..', '..', 'src');
    walk(path.join(src, 'engine'));
    walk(path.join(src, 'rules'));
    expect(classes.length).toBeGreaterThan(15);
    const keptNames = new Set(keptShapes().map((o) => o.constructor.name));
    const missing = classes.filter((c) => !keptNames.has(c) && NOT_PER_CHECK[c] === undefined);
    expect(missing).toEqual([]);
    // and the list of exceptions names only classes that exist and are not kept
    expect(Object.keys(NOT_PER_CHECK).filter((c) => !classes.includes(c) || keptNames.has(c))).toEqual([]);
  });
});
