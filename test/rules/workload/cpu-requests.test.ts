import { cpuRequests } from '../../../src/rules/workload/cpu-requests';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'cpu-requests';

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
          requests: {cpu: "1"}
      - name: empty
        image: app:1
        resources:
          requests:
            cpu: ""
      - name: other-only
        image: app:1
        resources:
          requests: {memory: "1"}
          limits: {cpu: "1"}
      - name: numeric
        image: app:1
        resources: {requests: {cpu: 2}}
      ephemeralContainers:
      - name: debug
        image: busybox:1.36
`;

test('one finding per container (and init container) without resources.requests.cpu', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.initContainers[0].resources.requests.cpu', lineOf(yaml, '- name: migrate')],
    ['spec.template.spec.containers[1].resources.requests.cpu', lineOf(yaml, 'cpu: ""')],
    ['spec.template.spec.containers[2].resources.requests.cpu', lineOf(yaml, 'requests: {memory: "1"}')],
  ]);
  expect(findings[0].message).toBe('initContainer "migrate" must set resources.requests.cpu (a cpu request)');
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
    resources: {requests: {cpu: 100m}}
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(cpuRequests, {
    kind: 'Deployment',
    spec: { template: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }], initContainers: [{ name: 'b' }] } } },
  });
});
