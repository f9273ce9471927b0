import { binding } from './bindings.fixtures';
import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacDefaultServiceAccountBinding } from '../../../src/rules/rbac/default-service-account-binding';

const ID = 'rbac-default-service-account-binding';
const ROLE_REF = '  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n';

test('the default ServiceAccount and all-service-account groups are reported', () => {
  const yaml = binding('RoleBinding', ROLE_REF, [
    '- kind: ServiceAccount',
    '  name: api',
    '  namespace: app',
    '- kind: ServiceAccount',
    '  name: default',
    '  namespace: app',
    '- {kind: Group, name: "system:serviceaccounts:app"}',
    '- {kind: Group, name: system:serviceaccounts}',
    '',
  ].join('\n'));
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual(['subjects[1]', 'subjects[2]', 'subjects[3]']);
  expect(f[0].line).toBe(lineOf(yaml, 'kind: ServiceAccount', 'name: api'));
  expect(f[0].message).toContain('namespace "app"');
  expect(f[1].message).toContain('namespace "app"');
});

test('dedicated service accounts and a user named default are not reported', () => {
  const yaml = binding('RoleBinding', ROLE_REF, '- {kind: ServiceAccount, name: api, namespace: app}\n- {kind: User, name: default}\n');
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacDefaultServiceAccountBinding, 'rbac.authorization.k8s.io/v1');
});
