/**
 * What the set-level rules keep until the report: only what their verdicts can use, so
 * that memory does not grow with the input (the ndjson report keeps no finding, and the
 * members are what is left), and the verdicts are those of keeping everything.
 */
import { Engine, Profile } from '../../src';
import { CheckSession } from '../../src/engine/check-session';

const engine = new Engine({ profile: Profile.HARDENED });

/** Members kept per set-level rule, by rule id. */
function kept(session: CheckSession): { [id: string]: number } {
  const s = session as unknown as { plans: { setPlans: { id: string; index: number }[] }; setMembers: { members: unknown[] }[] };
  return Object.fromEntries(s.plans.setPlans.map((p) => [p.id, s.setMembers[p.index].members.length]));
}

const deployment = (ns: string, name: string, automount?: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  template:
    spec:${automount === undefined ? '' : `\n      automountServiceAccountToken: ${automount}`}
      containers: [{name: c, image: "r.io/web:1"}]
`;
const policy = (ns: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;
const DENY_ALL = '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';
const DENY_INGRESS = '  podSelector: {}\n  policyTypes: [Ingress]\n';
const OPEN_INGRESS = '  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: [{}]\n';
const SELECTING = '  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress, Egress]\n';

describe('namespace-default-deny keeps one member per namespace and kind of policy', () => {
  const ID = 'namespace-default-deny-network-policy';

  test('many policies and workloads of one namespace: a few members, the same verdicts', () => {
    const docs: string[] = [];
    for (let i = 0; i < 30; i++) {
      docs.push(deployment('shop', `web-${i}`));
      docs.push(policy('shop', `ingress-${i}`, DENY_INGRESS));
      docs.push(policy('shop', `selecting-${i}`, SELECTING));
    }
    const session = engine.newSession();
    session.addText(docs.join('---\n'), 'shop.yaml');
    const report = session.report();
    const got = report.findings.filter((f) => f.ruleId === ID);
    expect(got).toHaveLength(1);
    expect(got[0].object.name).toBe('web-0');
    expect(got[0].message).toMatch(/namespace "shop" holds 30 workloads but no default-deny NetworkPolicy for egress/);
    // a workload, one ingress-isolating policy; the selecting ones change nothing for the namespace
    expect(kept(session)[ID]).toBe(2);
  });

  test('the policies that open a direction are each kept, and named', () => {
    const docs = [deployment('shop', 'web'), policy('shop', 'deny', DENY_ALL)];
    for (let i = 0; i < 3; i++) docs.push(policy('shop', `deny-again-${i}`, DENY_ALL), policy('shop', `open-${i}`, OPEN_INGRESS));
    const got = engine.checkText(docs.join('---\n')).findings.filter((f) => f.ruleId === ID);
    expect(got).toHaveLength(1);
    expect(got[0].message).toMatch(/NetworkPolicy "open-0", "open-1", "open-2" allows all ingress traffic/);
  });

  test('a second Namespace object of one name is not kept; the finding stays on the first', () => {
    const ns = (line: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {l: "${line}"}\n`;
    const session = engine.newSession();
    session.addText([ns('a'), deployment('shop', 'web'), ns('b')].join('---\n'), 'ns.yaml');
    const got = session.report().findings.filter((f) => f.ruleId === ID);
    expect(got.map((f) => [f.object.kind, f.line])).toEqual([['Namespace', 1]]);
    expect(kept(session)[ID]).toBe(2);
  });
});

describe('automount-service-account-token keeps no pod that sets false', () => {
  const ID = 'automount-service-account-token';

  test('pods that set false: not kept, not reported; the others are', () => {
    const docs: string[] = [];
    for (let i = 0; i < 10; i++) docs.push(deployment('shop', `off-${i}`, false));
    docs.push(deployment('shop', 'mounted', true), deployment('shop', 'unset'));
    const session = engine.newSession();
    session.addText(docs.join('---\n'), 'pods.yaml');
    const got = session.report().findings.filter((f) => f.ruleId === ID);
    expect(got.map((f) => f.object.name)).toEqual(['mounted', 'unset']);
    expect(kept(session)[ID]).toBe(2);
  });
});

describe('rbac-cluster-admin-binding keeps only the roles resolution can use', () => {
  const ID = 'rbac-cluster-admin-binding';
  const role = (kind: string, name: string, rules: string, extra = '') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}, namespace: shop${extra}}
rules: ${rules}
`;
  const binding = (refKind: string, name: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-${name}, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${refKind}, name: ${name}}
subjects: [{kind: User, name: alice}]
`;
  const ALL = '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]';
  const SOME = '[{apiGroups: [""], resources: [pods], verbs: [get]}]';

  test('a Role that grants some permissions is not kept; one that grants everything is, and is reported', () => {
    const session = engine.newSession();
    session.addText([role('Role', 'reader', SOME), role('Role', 'boss', ALL), binding('Role', 'reader'), binding('Role', 'boss')].join('---\n'), 'rbac.yaml');
    const got = session.report().findings.filter((f) => f.ruleId === ID);
    expect(got.map((f) => f.object.name)).toEqual(['to-boss']);
    // the two bindings and the Role that grants everything
    expect(kept(session)[ID]).toBe(3);
  });

  test('a labelled ClusterRole that grants some permissions, selected by an aggregated one, changes nothing; one that grants everything does', () => {
    const aggregated = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: team}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {team: "yes"}}]
`;
    const labelled = (name: string, rules: string) => role('ClusterRole', name, rules, ', labels: {team: "yes"}').replace('namespace: shop, ', '');
    const quiet = engine.checkText([aggregated, labelled('reader', SOME), binding('ClusterRole', 'team')].join('---\n')).findings.filter((f) => f.ruleId === ID);
    expect(quiet).toEqual([]);
    const loud = engine.checkText([aggregated, labelled('reader', SOME), labelled('boss', ALL), binding('ClusterRole', 'team')].join('---\n'))
      .findings.filter((f) => f.ruleId === ID);
    expect(loud).toHaveLength(1);
    expect(loud[0].message).toMatch(/takes in ClusterRole "boss"/);
  });

  test('a ClusterRole of the input replaces the built-in one of its name, kept once however often it is repeated', () => {
    // the built-in admin aggregates edit and view; an input "admin" that grants little replaces it
    const admin = role('ClusterRole', 'admin', SOME).replace('namespace: shop', 'labels: {}');
    const session = engine.newSession();
    session.addText([admin, admin, admin, binding('ClusterRole', 'admin')].join('---\n'), 'admin.yaml');
    expect(session.report().findings.filter((f) => f.ruleId === ID)).toEqual([]);
    expect(kept(session)[ID]).toBe(2);
  });
});
