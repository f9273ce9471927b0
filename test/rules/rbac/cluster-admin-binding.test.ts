import { binding } from './bindings.fixtures';
import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacClusterAdminBinding } from '../../../src/rules/rbac/cluster-admin-binding';

const ID = 'rbac-cluster-admin-binding';
const SUBJECT = '- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}\n';

test('ClusterRoleBinding and RoleBinding to cluster-admin are reported at roleRef.name', () => {
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    const yaml = binding(kind, '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n', SUBJECT);
    const f = findingsOf(yaml, ID);
    expect(f).toMatchObject([{ path: 'roleRef.name', line: lineOf(yaml, 'name: cluster-admin') }]);
    expect(f[0].message).toContain(kind === 'RoleBinding' ? 'the namespace' : 'the whole cluster');
  }
});

test('other roles, a Role named cluster-admin and the default binding are not reported', () => {
  const yaml = [
    binding('ClusterRoleBinding', '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n', SUBJECT),
    binding('RoleBinding', '  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: cluster-admin\n', SUBJECT),
    binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: cluster-admin\n', '- {kind: Group, name: system:masters}\n',
      '  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n').replace('name: b', 'name: cluster-admin'),
  ].join('---\n');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacClusterAdminBinding, 'rbac.authorization.k8s.io/v1');
});
