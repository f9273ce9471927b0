/**
 * Hand-written fast paths of the input module, each compared with the plain reference it
 * stands for.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { podTypeProblems, podTypeProblemsReference } from '../../../src/engine/input/pod-types';
import { FOREIGN_BREAK, hasForeignBreak } from '../../../src/engine/input/yaml-document';

const ROOT = path.resolve(__dirname, '../../..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === 'lib' || e.name === 'build' || e.name === 'out') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('hasForeignBreak is FOREIGN_BREAK.test', () => {
  test.each([
    ['', false],
    ['a: b\n', false],
    ['a: b\u0085c\n', true],
    ['a: "\u2028"\n', true],
    ['\u2029', true],
    ['a: é ü\n', false],
    ['emoji: \u{1F600}\n', false],
    ['x\u0084\u0086\u2027\u202a', false],
  ])('%j', (text, expected) => {
    expect(FOREIGN_BREAK.test(text)).toBe(expected);
    expect(hasForeignBreak(text)).toBe(expected);
  });

  test('over random text, mostly ASCII, with the three characters and their neighbours mixed in', () => {
    const char = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('a', ' ', '\n', ':', '-', '"', '#') },
      { weight: 2, arbitrary: fc.constantFrom('\u0084', '\u0085', '\u0086', '\u2027', '\u2028', '\u2029', '\u202a', 'é', '\u{1F600}') },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
    );
    fc.assert(fc.property(fc.array(char, { maxLength: 60 }).map((a) => a.join('')), (text) => {
      expect(hasForeignBreak(text)).toBe(FOREIGN_BREAK.test(text));
    }), { numRuns: 5000 });
  });

  test('over every YAML file of the repository', () => {
    const files = yamlFiles(ROOT);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(hasForeignBreak(text)).toBe(FOREIGN_BREAK.test(text));
    }
  });
});

describe('podTypeProblems is podTypeProblemsReference', () => {
  // values of every JSON type, some of them right for a field and some wrong
  const value = fc.oneof(
    fc.boolean(), fc.integer({ min: -3, max: 70000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom('true', '0', 'RuntimeDefault', ''),
    fc.constant(null), fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 9 })), { maxLength: 3 }), fc.constant({}),
  );
  const fields = (names: string[]) => fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.length });
  const sc = (names: string[]) => fc.record({
    own: fields(names),
    seccompProfile: fc.option(fields(['type', 'localhostProfile']), { nil: undefined }),
    appArmorProfile: fc.option(fields(['type', 'localhostProfile']), { nil: undefined }),
    seLinuxOptions: fc.option(fields(['user', 'role', 'type', 'level']), { nil: undefined }),
    windowsOptions: fc.option(fields(['hostProcess', 'runAsUserName']), { nil: undefined }),
    capabilities: fc.option(fc.oneof(fields(['add', 'drop']), value), { nil: undefined }),
  }).map(({ own, ...rest }) => {
    const out: { [k: string]: unknown } = { ...own };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
    return out;
  });
  const container = fc.record({
    name: fc.constantFrom('app', 'side'),
    securityContext: fc.option(fc.oneof(sc(['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot', 'runAsUser', 'runAsGroup', 'procMount']), value), { nil: undefined }),
    ports: fc.option(fc.array(fc.oneof(fields(['containerPort', 'hostPort', 'hostIP', 'protocol']), value), { maxLength: 3 }), { nil: undefined }),
  }, { requiredKeys: ['name'] });
  const spec = fc.record({
    pod: fields(['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers', 'shareProcessNamespace', 'automountServiceAccountToken', 'serviceAccountName']),
    securityContext: fc.option(fc.oneof(sc(['runAsUser', 'runAsGroup', 'fsGroup', 'runAsNonRoot', 'supplementalGroups', 'fsGroupChangePolicy']), value), { nil: undefined }),
    containers: fc.option(
      fc.oneof(fc.array(fc.oneof({ weight: 5, arbitrary: container }, { weight: 1, arbitrary: value }), { maxLength: 3 }), value),
      { nil: undefined },
    ),
    initContainers: fc.option(fc.array(container, { maxLength: 2 }), { nil: undefined }),
    ephemeralContainers: fc.option(fc.array(container, { maxLength: 1 }), { nil: undefined }),
  }).map(({ pod, ...rest }) => {
    const out: { [k: string]: unknown } = { ...pod };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
    return out;
  });
  const object = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'CronJob', 'ConfigMap'), spec).map(([kind, podSpec]) => {
    if (kind === 'Pod' || kind === 'ConfigMap') return { apiVersion: 'v1', kind, spec: podSpec };
    if (kind === 'CronJob') return { apiVersion: 'batch/v1', kind, spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } };
    return { apiVersion: 'apps/v1', kind, spec: { template: { spec: podSpec } } };
  });

  test('over random pods, with and without problems', () => {
    let withProblems = 0;
    fc.assert(fc.property(object, (o) => {
      const expected = podTypeProblemsReference(o);
      if (expected.length > 0) withProblems++;
      expect(podTypeProblems(o)).toEqual(expected);
    }), { numRuns: 5000 });
    // both kinds of pods were generated
    expect(withProblems).toBeGreaterThan(500);
    expect(withProblems).toBeLessThan(5000);
  });

  test('a pod without problems, and one with a problem in a port of an init container', () => {
    const ok = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', securityContext: { privileged: false }, ports: [{ containerPort: 80 }] }] } };
    expect(podTypeProblems(ok)).toEqual([]);
    const bad = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a' }], initContainers: [{ name: 'b', ports: [{ hostPort: '80' }] }] } };
    expect(podTypeProblems(bad)).toEqual([{ path: 'spec.initContainers[0].ports[0].hostPort', message: 'spec.initContainers[0].ports[0].hostPort must be a whole number: the API server refuses the object as written' }]);
  });
});
