import { memoryLimits } from '../../../src/rules/workload/memory-limits';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'memory-limits';

const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: app:1
      containers:
      - name: set
        image: app:1
        resources:
          limits: {memory: "1"}
      - name: empty
        image: app:1
        resources:
          limits:
            memory: ""
      - name: other-only
        image: app:1
        resources:
          limits: {cpu: "1"}
          requests: {memory: "1"}
      - name: numeric
        image: app:1
        resources: {limits: {memory: 2}}
      ephemeralContainers:
      - name: debug
        image: busybox:1.36
`;

test('one finding per container (and init container) without resources.limits.memory', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.initContainers[0].resources.limits.memory', lineOf(yaml, '- name: migrate')],
    ['spec.template.spec.containers[1].resources.limits.memory', lineOf(yaml, 'memory: ""')],
    ['spec.template.spec.containers[2].resources.limits.memory', lineOf(yaml, 'limits: {cpu: "1"}')],
  ]);
  expect(findings[0].message).toBe('initContainer "migrate" must set resources.limits.memory (a memory limit)');
  expect(findings[1].message).toContain('container "empty"');
});

test('passes when every container sets it; ephemeral containers are exempt', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: app:1
    resources: {limits: {memory: 100m}}
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(memoryLimits, {
    kind: 'Deployment',
    spec: { template: { spec: { containers: [{ name: 'a', resources: { limits: { memory: '1' } } }], initContainers: [{ name: 'b' }] } } },
  });
});
