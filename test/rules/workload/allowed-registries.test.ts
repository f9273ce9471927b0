import { allowedRegistries } from '../../../src/rules/workload/allowed-registries';
import { parseImage } from '../../../src/rules/workload/image-reference';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'allowed-registries';

const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: own
        image: registry.example.com/web/app:1
      - name: team
        image: ghcr.io/acme/tool:2
      - name: lookalike
        image: ghcr.io/acme-evil/tool:2
      - name: hub
        image: nginx:1.27
      - name: hub-explicit
        image: docker.io/library/nginx:1.27
      initContainers:
      - name: mixed-case
        image: Registry.Example.COM/web/init:1
`;

test('reports nothing until the registries option is configured', () => {
  expect(check(yaml, RULE).findings).toEqual([]);
  expect(check(yaml, RULE, { registries: [] }).findings).toEqual([]);
  // a value of the wrong type is refused where the options are given, as in the configuration file
  expect(() => check(yaml, RULE, { registries: 'registry.example.com' })).toThrow(/ruleOptions\.allowed-registries\.registries: expected a list of strings/);
});

test('finds images outside the allowed registries, with path and line', () => {
  const { findings } = check(yaml, RULE, { registries: ['registry.example.com', 'ghcr.io/acme/'] });
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.containers[2].image', lineOf(yaml, 'acme-evil')],
    ['spec.template.spec.containers[3].image', lineOf(yaml, 'image: nginx:1.27')],
    ['spec.template.spec.containers[4].image', lineOf(yaml, 'docker.io/library/nginx')],
  ]);
  expect(findings[0].message).toContain('container "lookalike" image "ghcr.io/acme-evil/tool:2" comes from ghcr.io');
  expect(findings[0].message).toContain('registry.example.com, ghcr.io/acme');
});

test('Docker Hub images match docker.io and its aliases', () => {
  const { findings } = check(yaml, RULE, { registries: ['index.docker.io/library', 'registry.example.com', 'ghcr.io'] });
  expect(findings).toEqual([]);
});

test('parses image references like a container runtime', () => {
  expect(parseImage('nginx')).toEqual({ registry: 'docker.io', repository: 'library/nginx' });
  expect(parseImage('acme/app:1')).toEqual({ registry: 'docker.io', repository: 'acme/app', tag: '1' });
  expect(parseImage('localhost:5000/app')).toEqual({ registry: 'localhost:5000', repository: 'app' });
  expect(parseImage('localhost/app:2')).toEqual({ registry: 'localhost', repository: 'app', tag: '2' });
  expect(parseImage('r.io/a/b:1@sha256:ab')).toEqual({ registry: 'r.io', repository: 'a/b', tag: '1', digest: 'sha256:ab' });
  expect(parseImage('')).toBeUndefined();
  expect(parseImage(42)).toBeUndefined();
});

test('never throws on wrong-typed input or options', () => {
  const base = { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx' }] } };
  expectTotal(allowedRegistries, base, { registries: ['docker.io'] });
  for (const registries of [null, 1, 'x', [null, 1, {}, ''], [['a']], { a: 1 }]) {
    expectTotal(allowedRegistries, base, { registries });
  }
});
