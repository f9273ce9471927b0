import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacWebhookConfigurationChanges } from '../../../src/rules/rbac/webhook-configuration-changes';

const ID = 'rbac-webhook-configuration-changes';

test('write verbs on webhook configurations are reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: webhook-admin}
rules:
- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations, mutatingwebhookconfigurations]
  verbs: [get, list, patch]
- apiGroups: [admissionregistration.k8s.io]
  resources: [mutatingwebhookconfigurations]
  resourceNames: [my-webhook]
  verbs: [update, create]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0].resources[0]', 'rules[1].resources[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'validatingwebhookconfigurations'));
  expect(f[0].message).toContain('patch on validatingwebhookconfigurations.admissionregistration.k8s.io, mutatingwebhookconfigurations');
  expect(f[1].message).toMatch(/grants update on .*named my-webhook/);
});

test('read access, create narrowed by name and Roles are not reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fine}
rules:
- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations, mutatingwebhookconfigurations]
  verbs: [get, list, watch]
- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations]
  resourceNames: [x]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacWebhookConfigurationChanges, 'rbac.authorization.k8s.io/v1');
});
