import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacNodesProxy } from '../../../src/rules/rbac/nodes-proxy';

const ID = 'rbac-nodes-proxy';

test('get on nodes/proxy in a ClusterRole is reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: scraper}
rules:
- apiGroups: [""]
  resources: [nodes, nodes/metrics]
  verbs: [get, list]
- apiGroups: [""]
  resources: [nodes/proxy]
  verbs: [get]
- apiGroups: [""]
  resources: ["*/proxy"]
  verbs: ["*"]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[1].resources[0]', 'rules[2].resources[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'nodes/proxy'));
});

test('Roles cannot grant cluster-scoped nodes and are not reported; nodes/metrics is fine', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: [""]
  resources: [nodes/proxy]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
- apiGroups: [""]
  resources: [nodes/metrics, nodes/stats, services/proxy]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacNodesProxy, 'rbac.authorization.k8s.io/v1');
});
