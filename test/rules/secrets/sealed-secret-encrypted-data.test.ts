import { sealedSecretEncryptedData } from '../../../src/rules/secrets/sealed-secret-encrypted-data';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'sealed-secret-encrypted-data';

test('finds a SealedSecret without encryptedData, where it belongs', () => {
  const yaml = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {name: db}
`;
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([['spec.encryptedData', lineOf(yaml, 'spec:')]]);
  expect(findings[0].message).toContain('has no spec.encryptedData');
});

test('finds an empty encryptedData and the deprecated spec.data format', () => {
  const empty = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db}
spec:
  encryptedData: {}
`;
  expect(check(empty, RULE).findings.map((f) => [f.path, f.line])).toEqual([['spec.encryptedData', lineOf(empty, 'encryptedData')]]);
  const legacy = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db}
spec:
  data: AgBy3i4OJSWK+PiTySYZZA==
`;
  expect(check(legacy, RULE).findings[0].message).toContain('deprecated spec.data');
});

test('finds an encryptedData of null values only (the API server drops them), not one with a value', () => {
  const nulls = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db}
spec:
  encryptedData:
    password:
  data: null
`;
  const findings = check(nulls, RULE).findings;
  expect(findings.map((f) => f.path)).toEqual(['spec.encryptedData']);
  expect(findings[0].message).toContain('has no spec.encryptedData');
  expect(check(nulls.replace('    password:\n', '    password:\n    token: AgBy\n'), RULE).findings).toEqual([]);
});

test('passes sealed values, and ignores other SealedSecret kinds', () => {
  const ok = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA==
`;
  expect(check(ok, RULE).findings).toEqual([]);
  expect(check('apiVersion: example.com/v1\nkind: SealedSecret\nmetadata: {name: x}\n', RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(sealedSecretEncryptedData, { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', spec: { encryptedData: { a: 'b' }, data: 'x' } });
});
