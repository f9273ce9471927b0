import { automountServiceAccountToken } from '../../../src/rules/workload/automount-service-account-token';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'automount-service-account-token';

const pod = (field: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
${field}  containers:
  - {name: a, image: "app:1"}
`;

test('finds an unset field where it belongs, at the pod spec', () => {
  const yaml = pod('');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.automountServiceAccountToken', lineOf(yaml, 'spec:')]]);
  expect(findings[0].message).toContain('inherits its ServiceAccount');
});

test('finds automountServiceAccountToken: true', () => {
  const yaml = pod('  automountServiceAccountToken: true\n');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.automountServiceAccountToken', lineOf(yaml, 'automountServiceAccountToken: true')]]);
});

test('passes automountServiceAccountToken: false, in every workload kind', () => {
  expect(check(pod('  automountServiceAccountToken: false\n'), RULE).findings).toEqual([]);
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers: [{name: a, image: "app:1"}]
`;
  expect(check(deployment, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(automountServiceAccountToken, { kind: 'Pod', spec: { automountServiceAccountToken: false, containers: [] } });
});
