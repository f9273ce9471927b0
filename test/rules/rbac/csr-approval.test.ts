import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacCsrApproval } from '../../../src/rules/rbac/csr-approval';

const ID = 'rbac-csr-approval';

test('approval update and approve on kubernetes.io signers are reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr-approver}
rules:
- apiGroups: [certificates.k8s.io]
  resources: [certificatesigningrequests, certificatesigningrequests/approval]
  verbs: [get, update]
- apiGroups: [certificates.k8s.io]
  resources: [signers]
  resourceNames: [example.com/mine, kubernetes.io/kube-apiserver-client]
  verbs: [approve]
- apiGroups: [certificates.k8s.io]
  resources: [signers]
  verbs: [approve]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['rules[0].resources[1]', 'rules[1].resourceNames[1]', 'rules[2].verbs[0]']);
  expect(f[0].line).toBe(lineOf(yaml, 'certificatesigningrequests/approval'));
  expect(f[1].line).toBe(lineOf(yaml, 'resourceNames'));
  expect(f[2].message).toContain('every signer');
});

test('approve limited to a custom signer, CSR creation and Roles are not reported', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: my-signer}
rules:
- apiGroups: [certificates.k8s.io]
  resources: [signers]
  resourceNames: [example.com/*]
  verbs: [approve, sign]
- apiGroups: [certificates.k8s.io]
  resources: [certificatesigningrequests]
  verbs: [create, get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: [certificates.k8s.io]
  resources: [certificatesigningrequests/approval]
  verbs: [update]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacCsrApproval, 'rbac.authorization.k8s.io/v1');
});
