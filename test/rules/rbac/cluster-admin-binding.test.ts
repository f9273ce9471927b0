import { binding } from './bindings.fixtures';
import { findingsOf } from './rule-test-kit';
import { rbacClusterAdminBinding } from '../../../src/rules/rbac/cluster-admin-binding';
import { expectSetTotal } from '../set-rule-totality';

const ID = 'rbac-cluster-admin-binding';
const SUBJECT = '- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}\n';
const ref = (kind: string, name: string) => `  apiGroup: rbac.authorization.k8s.io\n  kind: ${kind}\n  name: ${name}\n`;
const docs = (...d: string[]) => d.join('---\n');
const clusterRole = (name: string, body: string, labels = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
${labels ? `  labels: ${labels}\n` : ''}${body}`;
const role = (name: string, ns: string, body: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: ${ns}}
${body}`;
const ALL = 'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n';

test('ClusterRoleBinding and RoleBinding to cluster-admin are reported at roleRef.name (line: the binding)', () => {
  for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
    const yaml = binding(kind, ref('ClusterRole', 'cluster-admin'), SUBJECT);
    const f = findingsOf(yaml, ID);
    expect(f).toMatchObject([{ path: 'roleRef.name', line: 1, object: { kind } }]);
    expect(f[0].message).toContain(kind === 'RoleBinding' ? 'the namespace' : 'the whole cluster');
  }
  // an empty roleRef apiGroup is defaulted to rbac.authorization.k8s.io
  expect(findingsOf(binding('ClusterRoleBinding', '  apiGroup: ""\n  kind: ClusterRole\n  name: cluster-admin\n', SUBJECT), ID)).toHaveLength(1);
});

test('other roles and a Role named cluster-admin that the input does not define are not reported', () => {
  const yaml = docs(
    binding('ClusterRoleBinding', ref('ClusterRole', 'view'), SUBJECT),
    binding('RoleBinding', ref('Role', 'cluster-admin'), SUBJECT),
    binding('ClusterRoleBinding', '  apiGroup: example.com\n  kind: ClusterRole\n  name: cluster-admin\n', SUBJECT),
  );
  expect(findingsOf(yaml, ID)).toEqual([]);
});

describe('role references resolve over the input', () => {
  test('a binding to a Role or ClusterRole of the input with "*" verbs on "*" resources is reported like cluster-admin', () => {
    const yaml = docs(clusterRole('superuser', ALL), binding('ClusterRoleBinding', ref('ClusterRole', 'superuser'), SUBJECT));
    const f = findingsOf(yaml, ID);
    expect(f).toMatchObject([{ path: 'roleRef.name', object: { kind: 'ClusterRoleBinding' } }]);
    expect(f[0].message).toBe('binding grants ClusterRole "superuser", whose rules[0] allows every verb on every resource: that is cluster-admin over the whole cluster; bind a least-privilege role instead');
    // a Role in the binding's namespace
    const ns = docs(role('owner', 'app', 'rules:\n- {apiGroups: [apps], resources: [deployments], verbs: [get]}\n- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n'),
      binding('RoleBinding', ref('Role', 'owner'), SUBJECT));
    expect(findingsOf(ns, ID).map((x) => x.message)).toEqual([expect.stringMatching(/^binding grants Role "owner", whose rules\[1\] allows every verb on every resource: that is cluster-admin over the namespace/)]);
    // a RoleBinding to a ClusterRole: over the namespace
    expect(findingsOf(docs(clusterRole('superuser', ALL), binding('RoleBinding', ref('ClusterRole', 'superuser'), SUBJECT)), ID)[0].message).toMatch(/over the namespace/);
  });

  test('roles that do not grant everything, and roles elsewhere, are not reported', () => {
    const partial = [
      'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: [get, list, watch]\n',
      'rules:\n- apiGroups: [""]\n  resources: ["*"]\n  verbs: ["*"]\n',
      'rules:\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["*"]\n  resourceNames: [one]\n',
      'rules:\n- nonResourceURLs: ["*"]\n  verbs: ["*"]\n',
    ];
    for (const body of partial) {
      expect(findingsOf(docs(clusterRole('r', body), binding('ClusterRoleBinding', ref('ClusterRole', 'r'), SUBJECT)), ID)).toEqual([]);
    }
    // a Role of another namespace; a ClusterRole of the same name as a referenced Role; a ClusterRoleBinding to a Role (refused by the API server)
    expect(findingsOf(docs(role('owner', 'other', ALL), binding('RoleBinding', ref('Role', 'owner'), SUBJECT)), ID)).toEqual([]);
    expect(findingsOf(docs(clusterRole('owner', ALL), binding('RoleBinding', ref('Role', 'owner'), SUBJECT)), ID)).toEqual([]);
    expect(findingsOf(docs(role('owner', '', ALL).replace('namespace: ', 'x: '), binding('ClusterRoleBinding', ref('Role', 'owner'), SUBJECT)), ID)).toEqual([]);
  });

  test('several objects of one name: reported when any of them grants everything', () => {
    const yaml = docs(clusterRole('r', 'rules: []\n'), clusterRole('r', ALL), binding('ClusterRoleBinding', ref('ClusterRole', 'r'), SUBJECT));
    expect(findingsOf(yaml, ID)).toHaveLength(1);
  });
});

describe('aggregated ClusterRoles take the rules of the ClusterRoles they select', () => {
  const aggregated = (name: string, selectors: string) => clusterRole(name, `aggregationRule:\n  clusterRoleSelectors:\n${selectors}rules: []\n`);
  const bindTo = (name: string) => binding('ClusterRoleBinding', ref('ClusterRole', name), SUBJECT);

  test('matchLabels and every matchExpressions operator select a ClusterRole of the input that grants everything', () => {
    const source = clusterRole('all', ALL, '{team: ops, tier: admin}');
    const selectors = [
      '  - matchLabels: {team: ops}\n',
      '  - matchExpressions: [{key: team, operator: In, values: [dev, ops]}]\n',
      '  - matchExpressions: [{key: team, operator: NotIn, values: [dev]}]\n',
      '  - matchExpressions: [{key: tier, operator: Exists}]\n',
      '  - matchExpressions: [{key: absent, operator: DoesNotExist}, {key: team, operator: Exists}]\n',
      '  - matchLabels: {nothing: here}\n  - matchLabels: {tier: admin}\n',
    ];
    for (const s of selectors) {
      const f = findingsOf(docs(source, aggregated('agg', s), bindTo('agg')), ID);
      expect([s, f.map((x) => x.message)]).toEqual([s, [expect.stringMatching(/^binding grants ClusterRole "agg", whose aggregationRule\.clusterRoleSelectors\[\d\] takes in ClusterRole "all" \(its rules\[0\] allows every verb on every resource\)/)]]);
    }
  });

  test('selectors that do not match, or are refused by the API server, select nothing', () => {
    const source = clusterRole('all', ALL, '{team: ops}');
    const selectors = [
      '  - matchLabels: {team: dev}\n',
      '  - matchLabels: {team: ops, other: x}\n',
      '  - matchExpressions: [{key: team, operator: In, values: [dev]}]\n',
      '  - matchExpressions: [{key: team, operator: Exists}, {key: team, operator: NotIn, values: [ops]}]\n',
      '  - matchExpressions: [{key: team, operator: Exists}, {key: team, operator: DoesNotExist}]\n',
      '  - matchExpressions: [{key: team, operator: In, values: []}]\n',
      '  - matchExpressions: [{key: team, operator: Exists, values: [ops]}]\n',
      '  - matchExpressions: [{key: team, operator: Equals, values: [ops]}]\n',
      // built-in ClusterRoles do carry the labels of this selector, and none of them grants everything
      '  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}\n',
    ];
    for (const s of selectors) expect([s, findingsOf(docs(source, aggregated('agg', s), bindTo('agg')), ID)]).toEqual([s, []]);
    // the aggregated role is not counted as selecting itself
    expect(findingsOf(docs(clusterRole('self', `aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {a: b}\n${ALL}`, '{a: b}'), bindTo('self')), ID)).toEqual([]);
  });

  test('an empty selector selects every ClusterRole, cluster-admin included, and is reported as such', () => {
    for (const s of ['  - {}\n', '  - matchLabels: {}\n    matchExpressions: []\n', '  - null\n']) {
      const f = findingsOf(docs(aggregated('everything', s), bindTo('everything')), ID);
      expect([s, f.map((x) => x.message)]).toEqual([s, ['binding grants ClusterRole "everything", whose aggregationRule.clusterRoleSelectors[0] is empty and so selects every ClusterRole, cluster-admin included: that is cluster-admin over the whole cluster; bind a least-privilege role instead']]);
    }
  });

  test('a selector that selects the built-in cluster-admin by its labels is reported, though the input does not hold it', () => {
    const selectors = [
      '  - matchLabels: {kubernetes.io/bootstrapping: rbac-defaults}\n',
      '  - matchExpressions: [{key: rbac.authorization.k8s.io/aggregate-to-view, operator: DoesNotExist}]\n',
      // cluster-admin has no label team: NotIn selects it
      '  - matchExpressions: [{key: team, operator: NotIn, values: [ops]}]\n',
    ];
    for (const s of selectors) {
      const f = findingsOf(docs(aggregated('defaults', s), bindTo('defaults')), ID);
      expect([s, f.map((x) => x.message)]).toEqual([s, [expect.stringMatching(/whose aggregationRule\.clusterRoleSelectors\[0\] takes in the built-in ClusterRole "cluster-admin": that is cluster-admin over the whole cluster/)]]);
    }
    // a ClusterRole of the input named cluster-admin takes the built-in one's place (here without its label)
    expect(findingsOf(docs(clusterRole('cluster-admin', ALL), aggregated('defaults', '  - matchLabels: {kubernetes.io/bootstrapping: rbac-defaults}\n'), bindTo('defaults')), ID)).toEqual([]);
  });

  test('aggregation chains through aggregated ClusterRoles, built-in ones included', () => {
    const chain = docs(
      clusterRole('all', ALL, '{level: "2"}'),
      clusterRole('middle', 'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {level: "2"}\nrules: []\n', '{level: "1"}'),
      aggregated('top', '  - matchLabels: {level: "1"}\n'),
      bindTo('top'),
    );
    expect(findingsOf(chain, ID)[0].message).toMatch(/takes in ClusterRole "middle", which aggregates ClusterRole "all" \(its rules\[0\]/);
    // the built-in admin aggregates every ClusterRole labelled aggregate-to-admin: one that grants everything makes admin cluster-admin
    const intoAdmin = docs(clusterRole('sneaky', ALL, '{rbac.authorization.k8s.io/aggregate-to-admin: "true"}'), binding('RoleBinding', ref('ClusterRole', 'admin'), SUBJECT));
    expect(findingsOf(intoAdmin, ID)[0].message).toMatch(/^binding grants the built-in ClusterRole "admin", whose aggregationRule\.clusterRoleSelectors\[0\] takes in ClusterRole "sneaky" .*over the namespace/);
    // ... and through edit, which admin aggregates
    const intoEdit = docs(clusterRole('sneaky', ALL, '{rbac.authorization.k8s.io/aggregate-to-edit: "true"}'), binding('RoleBinding', ref('ClusterRole', 'admin'), SUBJECT));
    expect(findingsOf(intoEdit, ID)[0].message).toMatch(/takes in the built-in ClusterRole "edit", which aggregates ClusterRole "sneaky"/);
  });

  test('written rules of an aggregated ClusterRole count only in an aggregation cycle', () => {
    const written = docs(clusterRole('a', `aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {x: y}\n${ALL}`), bindTo('a'));
    expect(findingsOf(written, ID)).toEqual([]);
    const cycle = docs(
      clusterRole('a', `aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {ring: b}\n${ALL}`, '{ring: a}'),
      clusterRole('b', 'aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {ring: a}\nrules: []\n', '{ring: b}'),
      bindTo('b'),
    );
    expect(findingsOf(cycle, ID)[0].message).toMatch(/takes in ClusterRole "a" \(its rules\[0\]/);
  });
});

describe('Kubernetes\' own cluster-admin binding: no exemption by name or label', () => {
  const builtin = (subjects = '- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}\n') =>
    binding('ClusterRoleBinding', ref('ClusterRole', 'cluster-admin'), subjects, '  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n').replace('name: b', 'name: cluster-admin');

  test('reported by default; skipped with excludeBuiltinRbac when its content is the built-in one', () => {
    expect(findingsOf(builtin(), ID)).toHaveLength(1);
    expect(findingsOf(builtin(), ID, { excludeBuiltinRbac: true })).toEqual([]);
    // at every version whose bootstrap policy is known; not before
    expect(findingsOf(builtin(), ID, { excludeBuiltinRbac: true, pssVersion: 'v1.17' })).toEqual([]);
    expect(findingsOf(builtin(), ID, { excludeBuiltinRbac: true, pssVersion: 'v1.16' })).toHaveLength(1);
  });

  test('with another subject it is not the built-in binding and is reported', () => {
    const widened = builtin('- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:masters}\n- {kind: User, name: mallory}\n');
    expect(findingsOf(widened, ID, { excludeBuiltinRbac: true })).toHaveLength(1);
  });
});

test('the rule is set-level; wrong-typed input never throws', () => {
  expect(rbacClusterAdminBinding.metadata.setLevel).toBe(true);
  expectSetTotal(rbacClusterAdminBinding, [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', labels: { a: 'b' } }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }, {}] },
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: [] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agg' }, subjects: [] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'n' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [] },
  ]);
});
