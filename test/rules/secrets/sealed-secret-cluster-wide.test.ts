import { sealedSecretClusterWide } from '../../../src/rules/secrets/sealed-secret-cluster-wide';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'sealed-secret-cluster-wide';

const yaml = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db
  annotations:
    sealedsecrets.bitnami.com/cluster-wide: "true"
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    metadata:
      annotations:
        sealedsecrets.bitnami.com/cluster-wide: "TRUE"
`;

test('finds cluster-wide annotations on the SealedSecret and its template, with path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]', lineOf(yaml, 'cluster-wide: "true"')],
    ['spec.template.metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"]', lineOf(yaml, 'cluster-wide: "TRUE"')],
  ]);
  expect(findings[0].severity).toBe('medium');
});

test('passes strict-scope SealedSecrets', () => {
  const ok = yaml.replace('"true"', '"false"').replace('"TRUE"', 'x');
  expect(check(ok, RULE).findings).toEqual([]);
});

test('never throws on wrong-typed input', () => {
  expectTotal(sealedSecretClusterWide, {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } },
    spec: { template: { metadata: { annotations: { 'sealedsecrets.bitnami.com/cluster-wide': true } } } },
  });
});
