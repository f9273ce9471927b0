import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacWildcard } from '../../../src/rules/rbac/wildcard';

const ID = 'rbac-wildcard';

test('reports each wildcard entry with its path and line', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: too-much}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
- apiGroups: ["*"]
  resources:
  - pods
  - "*"
  verbs: ["*"]
- apiGroups: [""]
  resources: ["*/exec"]
  verbs: [create]
- nonResourceURLs: ["*"]
  verbs: [get]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual([
    'rules[1].apiGroups[0]', 'rules[1].resources[1]', 'rules[1].verbs[0]', 'rules[2].resources[0]', 'rules[3].nonResourceURLs[0]',
  ]);
  expect(f[0].line).toBe(lineOf(yaml, 'apiGroups: ["*"]'));
  expect(f[1].line).toBe(lineOf(yaml, '- "*"'));
  expect(f[2].line).toBe(lineOf(yaml, 'verbs: ["*"]'));
  expect(f[3].message).toContain('pods/exec');
});

test('Role wildcards are reported too', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[0].verbs[0]', line: 7 }]);
});

test('explicit lists, the core group, pods/* literals and path-prefix URLs are not wildcards', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fine}
rules:
- apiGroups: ["", apps]
  resources: [pods, "pods/*", deployments]
  verbs: [get, list, watch]
- nonResourceURLs: ["/healthz", "/healthz/*"]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('aggregated ClusterRoles, default roles and other API groups are skipped', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: example.com/v1
kind: Role
metadata: {name: not-rbac}
rules:
- verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('the rbac-defaults label does not exempt a role with a custom name', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: my-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
rules:
- apiGroups: ["*"]
  resources: [pods]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[0].apiGroups[0]' }]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacWildcard, 'rbac.authorization.k8s.io/v1');
});
