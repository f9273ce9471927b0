import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine, Profile } from '../../src';
import { ManifestStream, RawDocument } from '../../src/engine/input/stream';

const privilegedPod = (name: string) => [
  'apiVersion: v1',
  'kind: Pod',
  `metadata: {name: ${name}}`,
  'spec:',
  '  containers:',
  '  - name: c',
  '    securityContext: {privileged: true}',
].join('\n');

const baseline = () => new Engine({ profile: Profile.BASELINE });

/** The documents a stream cuts (as kubectl's YAMLOrJSONDecoder cuts them). */
function cut(text: string, chunked = false): RawDocument[] {
  const docs: RawDocument[] = [];
  const s = new ManifestStream((d) => docs.push(d));
  if (chunked) for (const ch of text) s.push(ch);
  else s.push(text);
  s.end();
  return docs;
}

describe('document splitting (apimachinery YAMLReader)', () => {
  test('every line that starts with --- ends a document, comments after it allowed; ... is left to the document', () => {
    const docs = cut('a: 1\n---\nb: 2\n...\n---#c\n# only a comment\n--- # c\nc: |\n  --- not a marker\nd: 4\n');
    expect(docs.map((d) => d.kind === 'yaml' && [d.startLine, d.text])).toEqual([
      [1, 'a: 1\n'],
      [3, 'b: 2\n...\n'],
      [6, '# only a comment\n'],
      [8, 'c: |\n  --- not a marker\nd: 4\n'],
    ]);
  });

  test('a --- line inside a block scalar still ends the document, as kubectl cuts lines before parsing', () => {
    const docs = cut('a: |\n  x\n---\n  y\n');
    expect(docs.map((d) => d.kind)).toEqual(['yaml', 'yaml']);
  });

  test('text after --- other than a comment is an error that drops the document being read', () => {
    const docs = cut('a: 1\n--- {b: 2}\nc: 3\n----\nd: 4\n');
    expect(docs.map((d) => d.kind === 'yaml' ? d.text : `error at ${(d as any).line}`)).toEqual(['error at 2', 'error at 4', 'd: 4\n']);
  });

  test('streaming in tiny chunks gives the same documents as one push', () => {
    const text = ['a: 1', '---', 'b: 2', '--- # x', '...', 'd: 4', '---'].join('\n') + '\n';
    expect(cut(text, true)).toEqual(cut(text));
    const json = '  {"a": 1}\n{"b": [1, "}"]}';
    expect(cut(json, true)).toEqual(cut(json));
  });

  test('CRLF line ends become LF, as Go\'s ReadLine gives them', () => {
    const docs = cut('a: 1\r\n---\r\nb: 2\r\n');
    expect(docs.map((d) => d.kind === 'yaml' && d.text)).toEqual(['a: 1\n', 'b: 2\n']);
  });

  test('a stream that starts with { is a JSON stream; a failure after at most one value switches to YAML', () => {
    expect(cut('{"a": 1}{"b": 2}\n{"c": 3}').map((d) => d.kind)).toEqual(['json', 'json', 'json']);
    expect(cut('{"a": 1}\n---\nb: 2\n').map((d) => d.kind)).toEqual(['json', 'yaml']);
    expect(cut('{a: 1}\n').map((d) => d.kind)).toEqual(['yaml']);
    expect(cut('{"a": 1}{"b": 2}\nc: 3\n').map((d) => d.kind)).toEqual(['json', 'json', 'error']);
  });
});

describe('loading', () => {
  test('multi-document YAML keeps every object and its line', () => {
    const text = `${privilegedPod('a')}\n---\n# comment\n${privilegedPod('b')}\n`;
    const report = baseline().checkText(text, 'multi.yaml');
    expect(report.summary.objects).toBe(2);
    expect(report.findings.map((f) => [f.object.name, f.line])).toEqual([['a', 7], ['b', 16]]);
  });

  test('kind: List and *List items are checked with their own paths and lines', () => {
    const text = [
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- apiVersion: v1',
      '  kind: ConfigMap',
      '  metadata: {name: cm}',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: p}',
      '  spec:',
      '    containers:',
      '    - name: c',
      '      securityContext:',
      '        privileged: true',
    ].join('\n');
    const report = baseline().checkText(text, 'list.yaml');
    expect(report.summary.objects).toBe(2);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ path: 'spec.containers[0].securityContext.privileged', line: 14, object: { name: 'p' } });
  });

  test('JSON documents are read with positions', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } }, null, 2);
    const report = baseline().checkText(json, 'pod.json');
    expect(report.errors).toEqual([]);
    expect(report.findings[0].line).toBe(json.split('\n').findIndex((l) => l.includes('"privileged"')) + 1);
  });

  test('YAML 1.1 booleans are read the way Kubernetes reads them', () => {
    const report = baseline().checkText(privilegedPod('web').replace('privileged: true', 'privileged: yes'), 'y.yaml');
    expect(report.findings.map((f) => f.ruleId)).toEqual(['pss-privileged']);
    // `y` is a boolean too: as a name it is not a string, and kubectl refuses the document
    const named = baseline().checkText(privilegedPod('y'), 'y.yaml');
    expect(named.errors.map((e) => [e.line, e.message])).toEqual([[3, 'metadata.name must be a string: kubectl refuses the document']]);
  });

  test('merge keys are expanded', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: m}',
      'x-sc: &sc {privileged: true}',
      'spec:',
      '  containers:',
      '  - name: c',
      '    securityContext:',
      '      <<: *sc',
    ].join('\n');
    const report = baseline().checkText(text, 'm.yaml');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].line).toBe(8);
  });

  test('empty documents and comment-only files are not errors', () => {
    const report = baseline().checkText('---\n# nothing\n---\n\n---\n', 'empty.yaml');
    expect(report.errors).toEqual([]);
    expect(report.summary.objects).toBe(0);
  });

  test('a "..." before any content is refused, as kubectl refuses it ("did not find expected node content")', () => {
    const report = baseline().checkText('a: 1\n---\n\n...\n', 'end.yaml');
    expect(report.errors.map((e) => [e.line, e.message])).toEqual([
      [1, expect.stringMatching(/missing kind/)],
      [4, expect.stringMatching(/"\.\.\." document end before any content/)],
    ]);
  });
});

describe('bad input', () => {
  test('malformed YAML is a located error and the other documents are still checked', () => {
    const text = `${privilegedPod('before')}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n---\n${privilegedPod('after')}\n`;
    const report = baseline().checkText(text, 'bad.yaml');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: 'bad.yaml', line: 11, column: 18 }); // the unclosed "["
    expect(report.errors[0].column).toBeGreaterThan(0);
    expect(report.errors[0].message).toMatch(/invalid YAML/);
    expect(report.findings.map((f) => f.object.name)).toEqual(['before', 'after']);
  });

  test('a document that is not an object, or lacks kind or apiVersion, is a located error', () => {
    const text = '- a\n- b\n---\napiVersion: v1\nmetadata: {name: x}\n---\nkind: Pod\n---\njust a string\n';
    const report = baseline().checkText(text, 'odd.yaml');
    expect(report.errors.map((e) => [e.line, e.message])).toEqual([
      [1, expect.stringMatching(/document is a list/)],
      [4, expect.stringMatching(/missing kind/)],
      [7, expect.stringMatching(/missing apiVersion/)],
      [9, expect.stringMatching(/document is a string/)],
    ]);
  });

  test('a repeated key keeps its last value, as the cluster reads it, and the finding points at it', () => {
    const text = privilegedPod('d').replace('privileged: true', 'privileged: false, privileged: true');
    const report = baseline().checkText(text, 'dup.yaml');
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['pss-privileged']);
    const reverse = baseline().checkText(privilegedPod('d').replace('privileged: true', 'privileged: true, privileged: false'), 'dup.yaml');
    expect(reverse.findings).toEqual([]);
  });

  test('an alias bomb is refused with a located error', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    }
    const started = Date.now();
    const report = baseline().checkText(lines.join('\n') + `\n---\n${privilegedPod('next')}\n`, 'bomb.yaml');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ file: 'bomb.yaml' });
    expect(report.errors[0].line).toBeGreaterThanOrEqual(4);
    expect(report.errors[0].line).toBeLessThanOrEqual(13);
    expect(report.errors[0].message).toMatch(/alias bomb/);
    expect(report.findings.map((f) => f.object.name)).toEqual(['next']);
  });

  test('unreadable paths are errors and the other paths are still checked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kh-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'pod.yml'), privilegedPod('p'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not: checked');
    const report = baseline().checkPaths([path.join(dir, 'missing.yaml'), dir]);
    expect(report.errors).toEqual([{ file: path.join(dir, 'missing.yaml'), line: 0, column: 0, message: 'cannot read: no such file or directory' }]);
    expect(report.summary.files).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].file).toBe(path.join(dir, 'sub', 'pod.yml'));
  });
});

describe('parse errors point at their cause', () => {
  test('an unclosed flow collection is reported at its bracket', () => {
    const report = baseline().checkText('apiVersion: v1\nkind: Pod\nmetadata: {name: x\n---\n' + privilegedPod('next') + '\n', 'u.yaml');
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]).toMatchObject({ line: 3, column: 11 });
    expect(report.errors[0].message).toMatch(/^invalid YAML: "\{" is never closed with "\}"/);
    expect(report.findings.map((f) => f.object.name)).toEqual(['next']);
  });

  test('brackets in quotes, comments and plain scalars do not count', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "x [y"}\n# a [ comment\ndata:\n  k: v[0]\ng: [\n';
    const report = baseline().checkText(text, 'u.yaml');
    expect(report.errors[0]).toMatchObject({ line: 7, column: 4 });
  });

  test('other errors inside a closed flow collection keep the parser\'s own location and words', () => {
    const report = baseline().checkText('apiVersion: v1\nkind: Pod\nmetadata: {name: "a\\q"}\n', 'd.yaml');
    expect(report.errors[0].message).not.toMatch(/never closed/);
    expect(report.errors[0].message).toMatch(/unknown escape sequence/);
  });
});

describe('the value judged is the value that reaches the API server', () => {
  test.each([
    ['privileged: "true"', 'spec.containers[0].securityContext.privileged', 'a boolean (true or false)'],
    ['privileged: !!str yes', 'spec.containers[0].securityContext.privileged', 'a boolean (true or false)'],
    ['runAsUser: "0"', 'spec.containers[0].securityContext.runAsUser', 'a whole number'],
    ['runAsUser: 0.5', 'spec.containers[0].securityContext.runAsUser', 'a whole number'],
    ['capabilities: {add: [1]}', 'spec.containers[0].securityContext.capabilities.add', 'a list of strings'],
  ])('%s is a located error, never read as true or false', (field, p, what) => {
    const report = baseline().checkText(privilegedPod('t').replace('privileged: true', field), 't.yaml');
    expect(report.errors.map((e) => [e.file, e.line, e.column > 20, e.message])).toEqual([['t.yaml', 7, true, `${p} must be ${what}: the API server refuses the object as written`]]);
  });

  test('host namespaces of the wrong type too', () => {
    const report = baseline().checkText(privilegedPod('t').replace('spec:', 'spec:\n  hostNetwork: "yes"'), 't.yaml');
    expect(report.errors.map((e) => e.message)).toEqual(['spec.hostNetwork must be a boolean (true or false): the API server refuses the object as written']);
  });
});
