import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacServiceAccountTokenCreate } from '../../../src/rules/rbac/serviceaccount-token-create';

const ID = 'rbac-serviceaccount-token-create';

test('create on serviceaccounts/token is reported, narrowed or not', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: app}
rules:
- apiGroups: [""]
  resources: [serviceaccounts, serviceaccounts/token]
  verbs: [create]
- apiGroups: [""]
  resources: ["*/token"]
  resourceNames: [builder]
  verbs: ["*"]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0].resources[1]', 'rules[1].resources[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'serviceaccounts/token'));
  expect(f[1].message).toContain('named builder');
});

test('serviceaccounts without the token subresource, and get on token, are fine', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fine}
rules:
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [create, get]
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacServiceAccountTokenCreate, 'rbac.authorization.k8s.io/v1');
});
