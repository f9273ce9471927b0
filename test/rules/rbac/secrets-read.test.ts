import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacSecretsRead } from '../../../src/rules/rbac/secrets-read';

const ID = 'rbac-secrets-read';
const role = (rules: string, kind = 'Role') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: r, namespace: app}
rules:
${rules}`;

test('get/list/watch on secrets is reported at the resource entry', () => {
  const yaml = role(`- apiGroups: [""]
  resources: [configmaps, secrets]
  verbs: [list, watch]
`);
  const f = findingsOf(yaml, ID);
  expect(f).toMatchObject([{ path: 'rules[0].resources[1]', line: lineOf(yaml, 'resources:') }]);
  expect(f[0].message).toContain('list, watch');
});

test('wildcards in groups, resources and verbs grant secrets read', () => {
  const yaml = role(`- apiGroups: ["*"]
  resources: ["*"]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  verbs: ["*"]
`, 'ClusterRole');
  expect(findingsOf(yaml, ID).map((f) => f.path)).toEqual(['rules[0].resources[0]', 'rules[1].resources[0]']);
});

test('write-only verbs, other groups, subresource wildcards and resourceNames are not reported', () => {
  const yaml = role(`- apiGroups: [""]
  resources: [secrets]
  verbs: [create, update, delete]
- apiGroups: [apps]
  resources: [secrets]
  verbs: [get]
- apiGroups: [""]
  resources: ["*/status", "secrets/*"]
  verbs: [get]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [app-tls]
  verbs: [get, watch, list]
`);
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacSecretsRead, 'rbac.authorization.k8s.io/v1');
});
