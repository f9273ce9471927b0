import { rootGroup } from '../../../src/rules/workload/root-group';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'root-group';

const yaml = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: r}
spec:
  template:
    spec:
      securityContext:
        runAsGroup: 0
        fsGroup: 0
        supplementalGroups: [1000, 0]
      containers:
      - name: app
        image: app:1
        securityContext:
          runAsGroup: 0
      - name: fine
        image: app:1
        securityContext: {runAsGroup: 3000}
`;

test('finds each root group at pod and container level, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.spec.securityContext.runAsGroup', lineOf(yaml, 'runAsGroup: 0')],
    ['spec.template.spec.securityContext.fsGroup', lineOf(yaml, 'fsGroup: 0')],
    ['spec.template.spec.securityContext.supplementalGroups[1]', lineOf(yaml, 'supplementalGroups')],
    ['spec.template.spec.containers[0].securityContext.runAsGroup', lineOf(yaml, 'runAsGroup: 0', 2)],
  ]);
  expect(findings[3].message).toBe('container "app" must set securityContext.runAsGroup to a non-zero group ID');
});

test('passes non-zero and unset groups', () => {
  const ok = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext: {runAsGroup: 10001, fsGroup: 10001, supplementalGroups: [10002]}
  containers:
  - {name: a, image: "app:1"}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(rootGroup, {
    kind: 'Pod',
    spec: { securityContext: { runAsGroup: 1, fsGroup: 0, supplementalGroups: [0] }, containers: [{ name: 'a', securityContext: { runAsGroup: 0 } }] },
  });
});
