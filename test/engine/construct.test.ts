/**
 * The engine builds documents from js-yaml's events with its own loop for plain
 * manifests (constructPlain) and hands everything else to the general decoder with
 * go-yaml v2's semantics (constructGeneral).
 * Both must give exactly the same documents: compared here over every YAML file of the
 * repository, the upstream PSA fixtures, a generated corpus, edge cases of YAML 1.1
 * scalar resolution and random documents.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { dump, parseEvents } from 'js-yaml';
import { construct, constructGeneral, constructPlain, EventIndex } from '../../src/engine/input/yaml-document';
import { PSA_FIXTURE_COUNT, PSA_FIXTURES, psaFixtureFiles } from '../fixtures/psa';

const ROOT = path.resolve(__dirname, '../..');

type Outcome = { value: unknown[] } | { error: string };

function reference(text: string): Outcome | undefined {
  let events;
  try {
    events = parseEvents(text, { maxDepth: 1000 });
  } catch {
    return undefined; // not YAML: the constructor is never reached
  }
  try {
    return { value: constructGeneral(events, text) };
  } catch (e) {
    return { error: String((e as Error).message) };
  }
}

function ours(text: string): Outcome {
  const events = parseEvents(text, { maxDepth: 1000 });
  try {
    return { value: construct(events, text) };
  } catch (e) {
    return { error: String((e as Error).message) };
  }
}

/** Whether the plain loop built the documents itself (instead of handing them over). */
function plainBuilds(text: string): boolean {
  return constructPlain(parseEvents(text, { maxDepth: 1000 }), text) !== undefined;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (p === PSA_FIXTURES) continue; // the upstream fixtures have their own test below
    const stat = fs.statSync(p);
    if (stat.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Asserts both constructors agree on a text; returns whether the plain loop built it. */
function agree(text: string): boolean {
  const expected = reference(text);
  if (expected === undefined) return false;
  const got = ours(text);
  expect(got).toStrictEqual(expected);
  if ('value' in expected) {
    const events = parseEvents(text, { maxDepth: 1000 });
    const filled = new EventIndex(events);
    const plain = constructPlain(events, text, filled);
    if (plain !== undefined) {
      expect(plain).toStrictEqual(expected.value);
      // where each node ends, as the loop recorded it and as a pass of its own computes it
      const computed = new EventIndex(events);
      for (let i = 0; i < events.length; i++) expect(filled.end(i)).toBe(computed.end(i));
    }
    return plain !== undefined;
  }
  return false;
}

describe('the plain constructor builds what js-yaml builds', () => {
  test('every YAML file of the repository (fixtures and examples)', () => {
    const files = [...yamlFiles(path.join(ROOT, 'test')), ...yamlFiles(path.join(ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(0);
    let plain = 0;
    for (const f of files) if (agree(fs.readFileSync(f, 'utf8'))) plain++;
    // most fixtures are plain manifests: the loop must really be the one building them
    expect(plain).toBeGreaterThan(files.length / 2);
  });

  test('the upstream pod-security-admission fixtures', () => {
    const files = psaFixtureFiles(); // throws if the fixture folder is missing
    expect(files.length).toBe(PSA_FIXTURE_COUNT);
    let plain = 0;
    for (const f of files) if (agree(fs.readFileSync(f, 'utf8'))) plain++;
    expect(plain).toBe(files.length);
  });

  test('a generated benchmark corpus (every workload kind, RBAC, Services, NetworkPolicies, ConfigMaps)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-construct-'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { generate } = require(path.join(ROOT, 'bench/generate.js'));
      generate(dir, 1000);
      const files = yamlFiles(dir);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(agree(fs.readFileSync(f, 'utf8'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('YAML 1.1 scalars, as values and as keys', () => {
    const scalars = [
      '', '~', 'null', 'Null', 'NULL', 'nULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'NO', 'on', 'On', 'ON', 'off', 'Off',
      'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', '0', '-0', '+1', '-12', '0b101', '-0b11', '0x1F', '0x_1f', '017', '08', '0o17',
      '1_000', '1:30', '-190:20:30', '1.5', '.5', '1.', '-1.5e+3', '1e3', '1.0e+3', '12e03', '.inf', '-.Inf', '+.INF', '.NaN', '.nan',
      '0.', '+.5', '1:30.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '=', '<', '<<<', '-', '+', '.', '..', 'é', 'ñame',
      '日本', 'a b', 'web-1', 'image:tag', '10.0.0.1', '1e400', '0x' + 'f'.repeat(20), '9'.repeat(30), '1__2', '_1',
    ];
    let plain = 0;
    for (const s of scalars) {
      for (const text of [`v: ${s}`, `${s}: v`, `- ${s}`, `k: "${s}"`, `k: '${s}'`, `"${s}": v`, `k: [${s}, x]`, `{${s}: 1}`]) {
        if (agree(text)) plain++;
      }
    }
    expect(plain).toBeGreaterThan(scalars.length * 6);
  });

  test('what the plain loop hands over gives the same result or the same error', () => {
    const cases = [
      'a: 1\na: 2', // duplicate key
      '1: a\n"1": b', // keys equal once made strings
      'constructor: x', 'toString: 1', '__proto__: {a: 1}', 'hasOwnProperty: 1', 'valueOf: {}', '__proto__: 1\n__proto__: 2',
      'base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2', // merge key
      '<<: {a: 1}\na: 2', 'a: <<', '- <<', '<<: [{a: 1}, {b: 2}]',
      'a: &x [1, 2]\nb: *x', 'a: *missing',
      'a: !!str 1', 'a: !!int "12"', 'a: !!binary aGVsbG8=', 'a: !custom x', 'a: !!map {}', '!!seq [1]', 'a: !!float 1',
      '%YAML 1.1\n---\na: 1', '%TAG !e! tag:example.com,2000:\n---\na: !e!x 1',
      '? [complex]\n: key', '? {a: 1}\n: v', '[a, b]: c',
      'a: 1\n---\n---\nb: 2\n...\n', '--- |\n  literal\n', '--- >\n  folded\n  text\n', '# only a comment', '---\n',
      'a: "\\u00e9\\t\\n"\nb: \'it\'\'s\'\nc: |-\n  x\n  y\nd: >+\n  z\n\n',
      'key with spaces: 1\n"quoted key": 2\n\'single\': 3', 'a:\n  b:\n    c:\n      - d\n      - e: f\n        g: ~',
      // keys alike in length and in the characters a key cache might look at
      'aXbYc: 1\naZbWc: 2\naXbYc2: 3\n', '- {aXbYc: 1}\n- {aZbWc: 2}\n- {aXbYc: 3, aZbWc: 4}\n', 'yes: 1\nyeS: 2\nnull: 3\nnulL: 4\n~: 5',
    ];
    for (const text of cases) agree(text);
    // and these are indeed handed over (a tag, an anchor, a merge key, a complex or repeated key)
    for (const text of ['a: !!str 1', 'a: &x 1', 'a: *x', '<<: {a: 1}', '? [a]\n: b', 'a: 1\na: 2', 'constructor: 1', '%YAML 1.1\n---\na: 1']) {
      if (reference(text) !== undefined) expect(plainBuilds(text)).toBe(false);
    }
    expect(plainBuilds('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: "nginx:1"')).toBe(true);
  });

  test('random documents, dumped in block and flow styles', () => {
    const scalar = fc.oneof(
      fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
      fc.constantFrom('yes', 'off', '~', '0x10', '1:20', '.inf', '<<', 'constructor', '__proto__', '017', '1_000'),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('toString', '1', 'true', 'null')), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), fc.integer({ min: -1, max: 2 }), (docs, flowLevel) => {
      let text: string;
      try {
        text = docs.map((d) => dump(d, { flowLevel })).join('---\n');
      } catch {
        return; // not representable
      }
      agree(text);
    }), { numRuns: 300 });
  });
});
