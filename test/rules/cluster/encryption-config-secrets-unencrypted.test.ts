import { encryptionConfigSecretsUnencrypted } from '../../../src/rules/cluster/encryption-config-secrets-unencrypted';
import { expectTotal, findingsOf, lineOf } from '../rbac/rule-test-kit';

const ID = 'encryption-config-secrets-unencrypted';

test('identity first for secrets is reported at the provider', () => {
  const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [configmaps]
  providers:
  - aescbc: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
- resources: [secrets]
  providers:
  - identity: {}
  - aescbc: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'resources[1].providers[0]', line: lineOf(yaml, 'identity') }]);
});

test('secrets not named by any entry are reported at resources', () => {
  const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [configmaps, "*.apps"]
  providers:
  - secretbox: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'resources', line: 3 }]);
});

test('secrets, "*." and "*.*" with an encrypting first provider are fine; identity last is fine', () => {
  for (const name of ['secrets', '"*."', '"*.*"']) {
    const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [${name}]
  providers:
  - kms: {apiVersion: v2, name: vault, endpoint: "unix:///run/kms.sock"}
  - identity: {}
`;
    expect(findingsOf(yaml, ID)).toEqual([]);
  }
});

test('the first entry naming secrets decides', () => {
  const yaml = `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - identity: {}
- resources: ["*.*"]
  providers:
  - aesgcm: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'resources[0].providers[0]' }]);
});

test('wrong-typed input never throws', () => {
  expectTotal(encryptionConfigSecretsUnencrypted, 'apiserver.config.k8s.io/v1');
});
