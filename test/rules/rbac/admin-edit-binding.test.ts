import { binding } from './bindings.fixtures';
import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacAdminEditBinding } from '../../../src/rules/rbac/admin-edit-binding';

const ID = 'rbac-admin-edit-binding';
const SUBJECT = '- {kind: ServiceAccount, name: ci, namespace: app}\n';

test('bindings to admin and edit are reported at roleRef.name', () => {
  for (const role of ['admin', 'edit']) {
    const yaml = binding('RoleBinding', `  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ${role}\n`, SUBJECT);
    expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'roleRef.name', line: lineOf(yaml, `name: ${role}`) }]);
  }
  const crb = binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: edit\n', SUBJECT);
  expect(findingsOf(crb, ID)[0].message).toContain('in every namespace');
});

test('view, Roles named admin and cluster-admin (own rule) are not reported', () => {
  const yaml = [
    binding('RoleBinding', '  kind: ClusterRole\n  name: view\n', SUBJECT),
    binding('RoleBinding', '  kind: Role\n  name: admin\n', SUBJECT),
    binding('RoleBinding', '  kind: ClusterRole\n  name: cluster-admin\n', SUBJECT),
  ].join('---\n');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacAdminEditBinding, 'rbac.authorization.k8s.io/v1');
});
