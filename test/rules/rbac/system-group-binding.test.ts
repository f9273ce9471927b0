import { binding } from './bindings.fixtures';
import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacSystemGroupBinding } from '../../../src/rules/rbac/system-group-binding';

const ID = 'rbac-system-group-binding';
const ROLE_REF = '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: reader\n';

test('system groups and the anonymous user are reported at their subject', () => {
  const yaml = binding('ClusterRoleBinding', ROLE_REF, [
    '- {kind: User, name: alice}',
    '- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}',
    '- {kind: Group, name: system:unauthenticated}',
    '- {kind: User, name: system:anonymous}',
    '- {kind: Group, name: system:masters}',
    '- {kind: Group, name: system:anonymous}',
    '',
  ].join('\n'));
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['subjects[1]', 'subjects[2]', 'subjects[3]', 'subjects[4]', 'subjects[5]']);
  expect(f[0].line).toBe(lineOf(yaml, 'system:authenticated'));
  expect(f[0].message).toContain('every service account');
});

test('ordinary subjects, a user named like a group and default bindings are not reported', () => {
  const yaml = [
    binding('RoleBinding', ROLE_REF, '- {kind: Group, name: developers}\n- {kind: User, name: system:masters}\n- {kind: Group, name: constructor}\n'),
    binding('ClusterRoleBinding', '  kind: ClusterRole\n  name: system:public-info-viewer\n',
      '- {kind: Group, name: system:authenticated}\n- {kind: Group, name: system:unauthenticated}\n',
      '  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n').replace('name: b', 'name: system:public-info-viewer'),
  ].join('---\n');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacSystemGroupBinding, 'rbac.authorization.k8s.io/v1');
});
