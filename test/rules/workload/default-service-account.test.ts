import { defaultServiceAccount } from '../../../src/rules/workload/default-service-account';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'default-service-account';

const deployment = (field: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
${field}      containers: [{name: a, image: "app:1"}]
`;

test('finds a pod that names no ServiceAccount', () => {
  const yaml = deployment('');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.template.spec.serviceAccountName', lineOf(yaml, '    spec:')]]);
  expect(findings[0].message).toContain('names no ServiceAccount');
});

test('finds serviceAccountName: default, and the deprecated serviceAccount field', () => {
  let yaml = deployment('      serviceAccountName: default\n');
  expect(check(yaml, RULE).findings.map((f) => [f.path, f.line])).toEqual([['spec.template.spec.serviceAccountName', lineOf(yaml, 'serviceAccountName: default')]]);
  yaml = deployment('      serviceAccount: default\n');
  expect(check(yaml, RULE).findings.map((f) => [f.path, f.line])).toEqual([['spec.template.spec.serviceAccount', lineOf(yaml, 'serviceAccount: default')]]);
  yaml = deployment('      serviceAccountName: ""\n');
  expect(check(yaml, RULE).findings.map((f) => f.path)).toEqual(['spec.template.spec.serviceAccountName']);
});

test('passes a dedicated ServiceAccount', () => {
  expect(check(deployment('      serviceAccountName: web\n'), RULE).findings).toEqual([]);
  expect(check(deployment('      serviceAccount: web\n'), RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(defaultServiceAccount, { kind: 'Pod', spec: { serviceAccountName: 'web', serviceAccount: 'web', containers: [] } });
});
