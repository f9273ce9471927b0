import { expectTotal, findingsOf, lineOf } from './rule-test-kit';
import { rbacWildcard } from '../../../src/rules/rbac/wildcard';

const ID = 'rbac-wildcard';

test('reports each wildcard entry with its path and line', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: too-much}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
- apiGroups: ["*"]
  resources:
  - pods
  - "*"
  verbs: ["*"]
- apiGroups: [""]
  resources: ["*/exec"]
  verbs: [create]
- nonResourceURLs: ["*"]
  verbs: [get]
`;
  const f = findingsOf(yaml, ID);
  expect(f.map((x) => x.path)).toEqual([
    'rules[1].apiGroups[0]', 'rules[1].resources[1]', 'rules[1].verbs[0]', 'rules[2].resources[0]', 'rules[3].nonResourceURLs[0]',
  ]);
  expect(f[0].line).toBe(lineOf(yaml, 'apiGroups: ["*"]'));
  expect(f[1].line).toBe(lineOf(yaml, '- "*"'));
  expect(f[2].line).toBe(lineOf(yaml, 'verbs: ["*"]'));
  expect(f[3].message).toContain('pods/exec');
});

test('Role wildcards are reported too', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: a}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[0].verbs[0]', line: 7 }]);
});

test('nonResourceURLs "/*" and "**" are every path (RBAC strips trailing stars and matches the rest as a prefix)', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: every-path}
rules:
- nonResourceURLs: ["/*", "/healthz/*", "**", "/**"]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID).map((f) => f.path)).toEqual(['rules[0].nonResourceURLs[0]', 'rules[0].nonResourceURLs[2]', 'rules[0].nonResourceURLs[3]']);
});

test('explicit lists, the core group, pods/* literals and path-prefix URLs are not wildcards', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fine}
rules:
- apiGroups: ["", apps]
  resources: [pods, "pods/*", deployments]
  verbs: [get, list, watch]
- nonResourceURLs: ["/healthz", "/healthz/*"]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

test('the written rules of aggregated ClusterRoles and other API groups are not read', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: example.com/v1
kind: Role
metadata: {name: not-rbac}
rules:
- verbs: ["*"]
`;
  expect(findingsOf(yaml, ID)).toEqual([]);
});

describe('Kubernetes\' own cluster-admin ClusterRole: no exemption by name or label', () => {
  // as the bootstrap policy writes it
  const clusterAdmin = (extra = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: ["*"]
  verbs: ["*"]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
${extra}`;

  test('its wildcards are reported by default', () => {
    expect(findingsOf(clusterAdmin(), ID)).toHaveLength(5);
  });

  test('excludeBuiltinRbac skips it only while its content is the built-in one', () => {
    expect(findingsOf(clusterAdmin(), ID, { excludeBuiltinRbac: true })).toEqual([]);
    // order does not matter; another label does
    expect(findingsOf(clusterAdmin().replace('labels: {kubernetes.io/bootstrapping: rbac-defaults}', 'labels: {kubernetes.io/bootstrapping: rbac-defaults, team: x}'), ID, { excludeBuiltinRbac: true })).toHaveLength(5);
    // one more rule: not the built-in role any more
    const more = clusterAdmin('- apiGroups: [""]\n  resources: ["*/exec"]\n  verbs: [create]\n');
    expect(findingsOf(more, ID, { excludeBuiltinRbac: true }).map((f) => f.path)).toEqual([
      'rules[0].nonResourceURLs[0]', 'rules[0].verbs[0]', 'rules[1].apiGroups[0]', 'rules[1].resources[0]', 'rules[1].verbs[0]', 'rules[2].resources[0]',
    ]);
  });
});

describe('aggregation selectors that take in every permission', () => {
  const aggregated = (selectors: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors:
${selectors}rules: []
`;

  test('an empty selector is a wildcard over every ClusterRole, cluster-admin included', () => {
    for (const s of ['  - {}\n', '  - null\n', '  - matchLabels: {}\n']) {
      const f = findingsOf(aggregated(`  - matchLabels: {a: b}\n${s}`), ID);
      expect([s, f.map((x) => [x.path, x.line])]).toEqual([s, [['aggregationRule.clusterRoleSelectors[1]', 7]]]);
      expect(f[0].message).toMatch(/selects every ClusterRole, cluster-admin included/);
    }
  });

  test('a selector that selects the built-in cluster-admin by its labels is reported', () => {
    for (const s of ['  - matchLabels: {kubernetes.io/bootstrapping: rbac-defaults}\n', '  - matchExpressions: [{key: team, operator: DoesNotExist}]\n']) {
      expect([s, findingsOf(aggregated(s), ID).map((x) => x.message)]).toEqual([s, [expect.stringMatching(/selects the built-in ClusterRole "cluster-admin" by its labels/)]]);
    }
  });

  test('the selectors of admin, edit and view and of ordinary aggregated roles are fine', () => {
    for (const s of ['  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}\n', '  - matchExpressions: [{key: team, operator: In, values: [ops]}]\n']) {
      expect(findingsOf(aggregated(s), ID)).toEqual([]);
    }
  });
});

test('the rbac-defaults label does not exempt a role with a custom name', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: my-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
rules:
- apiGroups: ["*"]
  resources: [pods]
  verbs: [get]
`;
  expect(findingsOf(yaml, ID)).toMatchObject([{ path: 'rules[0].apiGroups[0]' }]);
});

test('wrong-typed input never throws', () => {
  expectTotal(rbacWildcard, 'rbac.authorization.k8s.io/v1');
});
