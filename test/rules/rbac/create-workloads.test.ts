import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacCreateWorkloads } from '../../../src/rules/rbac/create-workloads';

const ID = 'rbac-create-workloads';

test('create on pods and controllers is reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: app}
rules:
- apiGroups: [""]
  resources: [configmaps, pods]
  verbs: [create]
- apiGroups: [apps, batch]
  resources: [deployments, cronjobs]
  verbs: [get, create]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0].resources[1]', 'rules[1].resources[0]', 'rules[2].resources[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'configmaps, pods'));
  expect(f[1].message).toContain('deployments.apps, cronjobs.batch');
  expect(f[2].message).toContain('pods, replicationcontrollers, deployments.apps');
});

test('resourceNames never grant create; updates, other groups and other resources are fine', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: fine, namespace: app}
rules:
- apiGroups: [""]
  resources: [pods]
  resourceNames: [one]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments, deployments/scale]
  verbs: [get, patch, update]
- apiGroups: [batch]
  resources: [deployments]
  verbs: [create]
- apiGroups: [""]
  resources: [pods/eviction, configmaps]
  verbs: [create]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacCreateWorkloads, 'rbac.authorization.k8s.io/v1');
});
