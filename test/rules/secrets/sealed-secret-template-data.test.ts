import { sealedSecretTemplateData } from '../../../src/rules/secrets/sealed-secret-template-data';
import { check, expectTotal, lineOf } from '../hardened-check';

const RULE = 'sealed-secret-plaintext-template-data';

const yaml = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA==
    api-token: AgCC4/FvhZAgBy3i4OJSWK==
  template:
    metadata: {name: db, namespace: shop}
    type: Opaque
    data:
      password: fixture-template-literal-9f1e
      api-token: '{{ index . "api-token" }}'
      config.json: |
        {"user": "shop", "password": "{{ index . "password" }}"}
      pin: 4711
      omitted: null
      blank: ""
`;

test('finds each literal template value, with its path and line', () => {
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line])).toEqual([
    ['spec.template.data.password', lineOf(yaml, 'password: fixture-template-literal')],
    ['spec.template.data.pin', lineOf(yaml, 'pin: 4711')],
  ]);
  expect(findings[0].severity).toBe('high');
  expect(findings[0].message).toContain('"password"');
  expect(findings[0].message).toContain('replacing the sealed value');
  expect(findings[1].message).not.toContain('replacing the sealed value');
});

test('messages name the key, never the value', () => {
  const { report, findings } = check(yaml, RULE);
  expect(findings.length).toBeGreaterThan(0);
  const everything = JSON.stringify(report);
  expect(everything).not.toContain('fixture-template-literal-9f1e');
  expect(everything).not.toContain('4711');
});

test('quotes keys that are not plain identifiers', () => {
  const dotted = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    data:
      .dockerconfigjson: fixture-template-dockercfg-1c2d
`;
  expect(check(dotted, RULE).findings.map((f) => f.path)).toEqual(['spec.template.data[".dockerconfigjson"]']);
});

test('passes templated values, null and blank values, and templates without data', () => {
  const templated = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    data:
      url: 'postgres://shop:{{ index . "password" }}@db:5432/shop'
      dsn: "{{ .password | b64enc }}"
      password: null
      empty: ""
`;
  expect(check(templated, RULE).findings).toEqual([]);
  const noData = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    metadata: {name: db}
    data: null
`;
  expect(check(noData, RULE).findings).toEqual([]);
  expect(check('apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n  encryptedData: {a: AgBy}\n', RULE).findings).toEqual([]);
  expect(check('apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n  template: {}\n', RULE).findings).toEqual([]);
});

test('a template whose actions never read the sealed data is a literal: constants and comments', () => {
  const manifest = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    data:
      constant: '{{ "fixture-constant-7c1d" }}'
      commented: 'fixture-commented-2b9a{{/* .password */}}'
      number: '{{ 3.14 }}'
      reads: 'fixture-prefix {{ .password }}'
`;
  const { report, findings } = check(manifest, RULE);
  expect(findings.map((f) => f.path)).toEqual(['spec.template.data.constant', 'spec.template.data.commented', 'spec.template.data.number']);
  expect(JSON.stringify(report)).not.toMatch(/fixture-constant|fixture-commented/);
});

test('ignores stringData (the controller ignores it), plain Secrets and other SealedSecret kinds', () => {
  const stringData = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: db, namespace: shop}
spec:
  encryptedData: {password: AgBy3i4OJSWK+PiTySYZZA==}
  template:
    stringData: {password: x}
`;
  expect(check(stringData, RULE).findings).toEqual([]);
  expect(check(yaml.replace('bitnami.com/v1alpha1', 'example.com/v1'), RULE).findings).toEqual([]);
  expect(check('apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nspec:\n  template:\n    data: {password: x}\n', RULE).findings).toEqual([]);
});

test('checks plain objects directly, and lists and mappings as values are not reported', () => {
  const context = { profile: 'hardened', pssVersion: '1.35', pssMinor: 35, options: {}, knownRuleIds: [RULE] } as any;
  const findings = sealedSecretTemplateData.check({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    spec: { template: { data: { 'list': ['a'], 'map': { a: 'b' }, 'yes': true, 'a b': 'fixture-template-spaced-77e0' } } },
  }, context);
  expect(findings.map((f) => f.path)).toEqual(['spec.template.data.yes', 'spec.template.data["a b"]']);
  for (const f of findings) expect(f.message).not.toContain('fixture-template-spaced-77e0');
});

test('never throws on wrong-typed input', () => {
  expectTotal(sealedSecretTemplateData, {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    spec: {
      encryptedData: { password: 'AgBy' },
      template: { metadata: { name: 'db' }, data: { password: 'x', token: '{{ index . "password" }}', gone: null } },
    },
  });
});
