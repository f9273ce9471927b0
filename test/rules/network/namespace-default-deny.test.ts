import { Engine, Profile } from '../../../src';

const ID = 'namespace-default-deny-network-policy';
const engine = new Engine({ profile: Profile.HARDENED });
const findings = (yaml: string, file = 'set.yaml') => engine.checkText(yaml, file).findings.filter((f) => f.ruleId === ID);

const deployment = (ns?: string, name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
  template:
    spec:
      containers: [{name: c, image: "r.io/web:1"}]
`;
const namespace = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;
const policy = (ns: string | undefined, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny${ns ? `\n  namespace: ${ns}` : ''}
spec:
${spec}`;
const DENY_ALL = '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n';

test('a namespace with workloads and no policy is reported on its Namespace object, with file and line', () => {
  const yaml = [deployment('shop'), namespace('shop')].join('---\n');
  const got = findings(yaml, 'app.yaml');
  expect(got).toHaveLength(1);
  expect(got[0]).toMatchObject({ object: { kind: 'Namespace', name: 'shop' }, file: 'app.yaml', line: 11, path: '' });
  expect(got[0].message).toMatch(/namespace "shop" holds 1 workload but no default-deny NetworkPolicy for ingress and egress/);
});

test('without the Namespace object the first workload of the namespace carries the finding', () => {
  const yaml = [deployment('shop', 'a'), deployment('shop', 'b'), deployment('other', 'c')].join('---\n');
  const got = findings(yaml);
  expect(got.map((f) => [f.object.name, f.line])).toEqual([['a', 1], ['c', 21]]);
  expect(got[0].message).toMatch(/holds 2 workloads/);
});

test('a default-deny policy for both directions covers the namespace', () => {
  expect(findings([deployment('shop'), policy('shop', DENY_ALL)].join('---\n'))).toEqual([]);
  // split over two policies, with DNS egress opened by port only
  const split = [
    deployment('shop'),
    policy('shop', '  podSelector: {}\n  policyTypes: [Ingress]\n'),
    policy('shop', '  podSelector: {matchLabels: {}}\n  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 53, protocol: UDP}]\n'),
  ].join('---\n');
  expect(findings(split)).toEqual([]);
});

test('policies that do not deny by default do not count', () => {
  const cases: [string, RegExp][] = [
    ['  podSelector: {}\n', /for egress/], // policyTypes omitted: ingress only
    ['  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress, Egress]\n', /for ingress and egress/],
    ['  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{}]\n', /for ingress:/],
    ['  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress:\n  - {}\n', /for egress:/],
  ];
  for (const [spec, message] of cases) {
    const got = findings([deployment('shop'), policy('shop', spec)].join('---\n'));
    expect(got).toHaveLength(1);
    expect(got[0].message).toMatch(message);
  }
  // a policy of another namespace does not help
  expect(findings([deployment('shop'), policy('other', DENY_ALL)].join('---\n'))).toHaveLength(1);
});

test('objects without a namespace are judged together; namespaces without workloads are fine', () => {
  expect(findings(deployment())[0].message).toMatch(/objects without a namespace hold|objects without a namespace holds/);
  expect(findings([deployment(), policy(undefined, DENY_ALL)].join('---\n'))).toEqual([]);
  expect(findings(namespace('empty'))).toEqual([]);
});

test('the finding can be suppressed on the object it is reported on', () => {
  const ns = namespace('shop').replace('  name: shop', '  name: shop\n  annotations:\n    ignore.kubeharden.io/namespace-default-deny-network-policy: "flows are enforced by the service mesh"');
  const got = findings([deployment('shop'), ns].join('---\n'));
  expect(got).toHaveLength(1);
  expect(got[0]).toMatchObject({ suppressed: true, suppressionReason: 'flows are enforced by the service mesh' });
});

test('it works over several files and on in-memory objects', () => {
  const session = engine.newSession();
  session.addText(deployment('shop'), 'a.yaml');
  session.addText(policy('shop', DENY_ALL), 'b.yaml');
  expect(session.report().findings.filter((f) => f.ruleId === ID)).toEqual([]);
  const inMemory = engine.checkObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: {} }]);
  expect(inMemory.findings.filter((f) => f.ruleId === ID).map((f) => [f.object.name, f.file, f.line])).toEqual([['p', '<input>', 0]]);
});

test('the rule is set-level and only in the hardened profile', () => {
  const rule = engine.rules.find((r) => r.metadata.id === ID)!;
  expect(rule.metadata.setLevel).toBe(true);
  expect(new Engine({ profile: Profile.RESTRICTED }).rules.some((r) => r.metadata.id === ID)).toBe(false);
});
