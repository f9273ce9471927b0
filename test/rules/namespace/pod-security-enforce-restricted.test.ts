import { podSecurityEnforceRestricted } from '../../../src/rules/namespace/pod-security-enforce-restricted';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'pod-security-enforce-restricted';

test('finds a Namespace without the enforce label, where it belongs', () => {
  const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['metadata.labels["pod-security.kubernetes.io/enforce"]', lineOf(yaml, 'metadata:')]]);
  expect(findings[0].message).toContain('has no pod-security.kubernetes.io/enforce label');
});

test('finds a weaker level; warn and audit do not count', () => {
  const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['metadata.labels["pod-security.kubernetes.io/enforce"]', lineOf(yaml, 'enforce: baseline')]]);
  expect(findings[0].message).toContain('"baseline"');
});

test('passes enforce: restricted', () => {
  const ok = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: latest}
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(podSecurityEnforceRestricted, { kind: 'Namespace', metadata: { name: 'a', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
});
