import { imageLatestTag } from '../../../src/rules/workload/image-latest-tag';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'image-latest-tag';

const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: untagged
    image: nginx
  containers:
  - name: latest
    image: registry.example.com:5000/team/app:latest
  - name: upper
    image: app:LATEST
  - name: tagged
    image: registry.example.com:5000/team/app:1.4.2
  - name: digest
    image: app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  - name: latest-with-digest
    image: app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  - name: port-no-tag
    image: localhost:5000/app
`;

test('finds untagged and latest images, with path and line; a digest pins any tag', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.initContainers[0].image', lineOf(yaml, 'image: nginx')],
    ['spec.containers[0].image', lineOf(yaml, 'app:latest')],
    ['spec.containers[1].image', lineOf(yaml, 'app:LATEST')],
    ['spec.containers[5].image', lineOf(yaml, 'localhost:5000/app')],
  ]);
  expect(findings[0].message).toContain('init container "untagged" image "nginx" has no tag');
  expect(findings[1].message).toContain('mutable "latest" tag');
  expect(findings[0].severity).toBe('high');
});

test('passes versioned and digest-pinned images', () => {
  const ok = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - {name: a, image: "ghcr.io/acme/agent:v2"}
      - {name: b, image: "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(imageLatestTag, { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'x:1' }] } });
});
