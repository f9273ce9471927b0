import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacPodExec } from '../../../src/rules/rbac/pod-exec';

const ID = 'rbac-pod-exec';

test('exec, attach and portforward grants are reported, once per rule', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debug, namespace: app}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get]
- apiGroups: [""]
  resources: [pods/exec, pods/attach]
  verbs: [create]
- apiGroups: [""]
  resources: ["*/portforward"]
  verbs: [get]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[1].resources[0]', 'rules[2].resources[0]', 'rules[3].resources[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'pods/exec'));
  expect(f[0].message).toContain('pods/exec, pods/attach');
  expect(f[2].message).toContain('pods/exec, pods/attach, pods/portforward');
});

test('a grant narrowed to named pods is still reported, and says so', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: debug-one}
rules:
- apiGroups: [""]
  resources: [pods/exec]
  resourceNames: [toolbox]
  verbs: [create]
`;
  expect(findingsOf(yaml, ID)[0].message).toContain('named toolbox');
});

test('pods/* and pods, other verbs and other groups do not grant exec', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: fine, namespace: app}
rules:
- apiGroups: [""]
  resources: [pods, "pods/*"]
  verbs: ["*"]
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [list, delete]
- apiGroups: [metrics.k8s.io]
  resources: [pods/exec]
  verbs: [create]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacPodExec, 'rbac.authorization.k8s.io/v1');
});
