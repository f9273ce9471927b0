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

test('ordinary subjects and a user named like a group are not reported', () => {
  const yaml = binding('RoleBinding', ROLE_REF, '- {kind: Group, name: developers}\n- {kind: User, name: system:masters}\n- {kind: Group, name: constructor}\n');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

describe('Kubernetes\' own bindings: no exemption by name or label', () => {
  // system:public-info-viewer as the bootstrap policy of Kubernetes 1.37 writes it
  const publicInfo = (extraSubject = '') => binding('ClusterRoleBinding', '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: system:public-info-viewer\n',
    `- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:unauthenticated}\n${extraSubject}`,
    '  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}\n').replace('name: b', 'name: system:public-info-viewer');

  test('the built-in name and label alone exempt nothing', () => {
    expect(findingsOf(publicInfo(), ID).map((f) => f.path)).toEqual(['subjects[0]', 'subjects[1]']);
  });

  test('excludeBuiltinRbac skips it only when its content is the built-in one', () => {
    expect(findingsOf(publicInfo(), ID, { excludeBuiltinRbac: true })).toEqual([]);
    // one more subject: not the built-in binding any more, every subject is judged
    const widened = findingsOf(publicInfo('- {kind: Group, name: system:masters}\n'), ID, { excludeBuiltinRbac: true });
    expect(widened.map((f) => f.path)).toEqual(['subjects[0]', 'subjects[1]', 'subjects[2]']);
    // the same binding under another name is not built-in
    const renamed = publicInfo().replace('  name: system:public-info-viewer\n  labels', '  name: public-info\n  labels');
    expect(findingsOf(renamed, ID, { excludeBuiltinRbac: true })).toHaveLength(2);
  });
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacSystemGroupBinding, 'rbac.authorization.k8s.io/v1');
});
