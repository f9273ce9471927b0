import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacEscalateBindImpersonate } from '../../../src/rules/rbac/escalate-bind-impersonate';

const ID = 'rbac-escalate-bind-impersonate';

test('escalate, bind and impersonate are reported at the verb entry', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: risky}
rules:
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs: [get, escalate, bind]
- apiGroups: [""]
  resources: [users, groups]
  verbs: [impersonate]
- apiGroups: [authentication.k8s.io]
  resources: [userextras/scopes, uids]
  verbs: [impersonate]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles]
  resourceNames: [view]
  verbs: [bind]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0].verbs[1]', 'rules[1].verbs[0]', 'rules[2].verbs[0]', 'rules[3].verbs[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'escalate, bind'));
  expect(f[0].message).toContain('escalate on clusterroles.rbac.authorization.k8s.io; bind on clusterroles.rbac.authorization.k8s.io:');
  expect(f[2].message).toContain('userextras/<key>');
  expect(f[3].message).toContain('named view');
});

test('a "*" verb on roles grants escalate and bind', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rbac-manager, namespace: a}
rules:
- apiGroups: ["*"]
  resources: [roles, rolebindings]
  verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[0].verbs[0]', line: 7 }]);
});

test('these verbs on unrelated resources, and ordinary RBAC reads, are not reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fine}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [escalate, bind, impersonate]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles, clusterroles, rolebindings]
  verbs: [get, list, watch, create]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('in a Role only namespaced service accounts can be impersonated', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: [""]
  resources: [users, groups]
  verbs: [impersonate]
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [impersonate]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[1].verbs[0]', line: 10 }]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacEscalateBindImpersonate, 'rbac.authorization.k8s.io/v1');
});
