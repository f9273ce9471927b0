import { Chart, Testing } from 'cdk8s';
import { check, IMAGE, one, testChart, unsuppressed } from './util';
import { HardenedDeployment, LeastPrivilegeRole, SubjectKind } from '../../src/constructs';

const readFlags = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['feature-flags'] };

describe('LeastPrivilegeRole', () => {
  test('a Role bound to a workload ServiceAccount, zero findings', () => {
    const chart = testChart();
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE });
    const role = new LeastPrivilegeRole(chart, 'flags', { permissions: [readFlags] });
    role.bindWorkload(api);
    const objects = Testing.synth(chart);
    const r = one(objects, 'Role');
    const b = one(objects, 'RoleBinding');
    expect(r.metadata.namespace).toBe('shop');
    expect(r.rules).toEqual([readFlags]);
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r.metadata.name });
    expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: api.serviceAccountName, namespace: 'shop' }]);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test('a ClusterRole on request, cluster-scoped even in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new LeastPrivilegeRole(chart, 'nodes', {
      clusterWide: true,
      name: 'node-reader',
      permissions: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
      subjects: [{ kind: SubjectKind.GROUP, name: 'sre' }, { kind: SubjectKind.SERVICE_ACCOUNT, name: 'monitor', namespace: 'monitoring' }],
    });
    const objects = Testing.synth(chart);
    const r = one(objects, 'ClusterRole');
    const b = one(objects, 'ClusterRoleBinding');
    expect(r.metadata).toEqual({ name: 'node-reader' });
    expect(b.metadata).toEqual({ name: 'node-reader' });
    expect(b.roleRef.kind).toBe('ClusterRole');
    expect(b.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre' },
      { kind: 'ServiceAccount', name: 'monitor', namespace: 'monitoring' },
    ]);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each([
    ['rbac-wildcard', { apiGroups: ['*'], resources: ['configmaps'], verbs: ['get'] }],
    ['rbac-wildcard', { apiGroups: [''], resources: ['*'], verbs: ['get'] }],
    ['rbac-wildcard', { apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }],
    ['rbac-escalate-bind-impersonate', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }],
    ['rbac-escalate-bind-impersonate', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }],
    ['rbac-escalate-bind-impersonate', { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }],
    ['rbac-secrets-read', { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
    ['rbac-secrets-read', { apiGroups: [''], resources: ['secrets'], verbs: ['watch'] }],
    ['rbac-pod-exec', { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    ['rbac-nodes-proxy', { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }],
  ])('refuses what %s reports, and accepts it with a reason', (ruleId, permission) => {
    const clusterWide = ruleId === 'rbac-nodes-proxy' || permission.verbs.includes('impersonate');
    let message = '';
    try {
      new LeastPrivilegeRole(testChart(), 'r', { permissions: [permission], clusterWide });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`refused by kubeharden rules:\\n(  .*\\n)*  ${ruleId} `));
    // acknowledge every rule the error names (a wildcard trips several)
    const named = [...message.matchAll(/ruleId: '([a-z0-9-]+)'/g)].map((m) => m[1]);
    expect(named).toContain(ruleId);
    const chart = testChart();
    const reason = 'accepted by the platform team in SEC-77';
    new LeastPrivilegeRole(chart, 'r', {
      permissions: [permission],
      clusterWide,
      subjects: [{ kind: SubjectKind.USER, name: 'alice@example.com' }],
      acknowledgements: named.map((id) => ({ ruleId: id, reason })),
    });
    const objects = Testing.synth(chart);
    const role = objects.find((o) => o.kind.endsWith('Role'));
    expect(role.metadata.annotations[`ignore.kubeharden.io/${ruleId}`]).toBe(reason);
    const report = check(objects);
    expect(unsuppressed(report).filter((f) => f.startsWith(ruleId))).toEqual([]);
    expect(report.findings.some((f) => f.ruleId === ruleId && f.suppressed && f.suppressionReason === reason)).toBe(true);
  });

  test('the error tells how to acknowledge', () => {
    expect(() => new LeastPrivilegeRole(testChart(), 'r', { permissions: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] }))
      .toThrow(/LeastPrivilegeRole test\/r is refused.*\n.*rules\[0\].*\nNarrow the permissions, or accept the risk with acknowledgements: \[\{ ruleId: 'rbac-secrets-read'/);
  });

  test('resourceNames narrow secret reads', () => {
    const chart = testChart();
    new LeastPrivilegeRole(chart, 'r', { permissions: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['api-tls'] }] });
    expect(unsuppressed(check(Testing.synth(chart)))).toEqual([]);
  });

  test('binding checks: a role bound to the default ServiceAccount is refused', () => {
    const role = new LeastPrivilegeRole(testChart(), 'r', { permissions: [readFlags] });
    expect(() => role.bind({ kind: SubjectKind.SERVICE_ACCOUNT, name: 'default' })).toThrow(/rbac-default-service-account-binding/);
    expect(() => role.bind({ kind: SubjectKind.GROUP, name: 'system:unauthenticated' })).toThrow(/rbac-system-group-binding/);
  });

  test('a refused bind leaves the binding as it was', () => {
    const chart = testChart();
    const role = new LeastPrivilegeRole(chart, 'r', { permissions: [readFlags], subjects: [{ kind: SubjectKind.GROUP, name: 'oncall' }] });
    expect(() => role.bind({ kind: SubjectKind.SERVICE_ACCOUNT, name: 'default' })).toThrow(/rbac-default-service-account-binding/);
    let second = '';
    try {
      role.bind({ kind: SubjectKind.GROUP, name: 'system:unauthenticated' });
    } catch (e) {
      second = (e as Error).message;
    }
    // the second refusal is about its own subject only: the refused one was not kept
    expect(second).toMatch(/rbac-system-group-binding/);
    expect(second).not.toMatch(/rbac-default-service-account-binding/);
    role.bind({ kind: SubjectKind.USER, name: 'alice@example.com' });
    const objects = Testing.synth(chart);
    expect(one(objects, 'RoleBinding').subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oncall' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice@example.com' },
    ]);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each([
    [{ permissions: [] }, /at least one permission/],
    [{ permissions: [{ apiGroups: [], resources: ['pods'], verbs: ['get'] }] }, /apiGroups must list/],
    [{ permissions: [{ apiGroups: [''], resources: [''], verbs: ['get'] }] }, /resources has an invalid entry/],
    [{ permissions: [readFlags], acknowledgements: [{ ruleId: 'rbac-wildcard', reason: 'short' }] }, /at least 10 characters/],
  ])('refuses invalid props %#', (props, message) => {
    expect(() => new LeastPrivilegeRole(testChart(), 'r', props as any)).toThrow(message);
  });

  test('a ServiceAccount subject needs a namespace', () => {
    const role = new LeastPrivilegeRole(new Chart(Testing.app(), 'c'), 'r', { permissions: [readFlags] });
    expect(() => role.bind({ kind: SubjectKind.SERVICE_ACCOUNT, name: 'x' })).toThrow(/needs a namespace/);
    expect(() => role.bind({ kind: SubjectKind.USER, name: ' ' })).toThrow(/needs a name/);
  });
});
