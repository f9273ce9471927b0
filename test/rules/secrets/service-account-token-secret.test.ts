import { serviceAccountTokenSecret } from '../../../src/rules/secrets/service-account-token-secret';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'service-account-token-secret';

test('finds a legacy ServiceAccount token Secret, with path and line', () => {
  const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: ci-token
  annotations: {kubernetes.io/service-account.name: ci}
type: kubernetes.io/service-account-token
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['type', lineOf(yaml, 'type: kubernetes.io/service-account-token')]]);
  expect(findings[0].severity).toBe('medium');
});

test('passes other Secret types', () => {
  const ok = `apiVersion: v1
kind: Secret
metadata: {name: tls}
type: kubernetes.io/tls
`;
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(serviceAccountTokenSecret, { kind: 'Secret', type: 'kubernetes.io/service-account-token' });
});
