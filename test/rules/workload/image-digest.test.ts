import { imageDigest } from '../../../src/rules/workload/image-digest';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'image-digest';
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const yaml = `apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec:
  template:
    spec:
      containers:
      - name: tagged
        image: registry.example.com/app:1.4.2
      - name: pinned
        image: registry.example.com/app:1.4.2@${DIGEST}
      - name: digest-only
        image: registry.example.com/app@${DIGEST}
      - name: bare
        image: app
`;

test('finds every image without a digest, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.containers[0].image', lineOf(yaml, 'app:1.4.2')],
    ['spec.template.spec.containers[3].image', lineOf(yaml, 'image: app')],
  ]);
  expect(findings[0].message).toContain('container "tagged" image "registry.example.com/app:1.4.2" is not pinned by digest');
  expect(findings[0].severity).toBe('low');
});

test('passes digest-pinned images', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: "app@${DIGEST}"}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(imageDigest, { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx:1' }] } });
});
