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

describe('NetworkPolicies add up: the union of the policies of the namespace decides', () => {
  const named = (name: string, ns: string, spec: string, apiVersion = 'networking.k8s.io/v1') =>
    policy(ns, spec).replace('name: deny', `name: ${name}`).replace('networking.k8s.io/v1', apiVersion);
  const withDeny = (...others: string[]) => [deployment('shop'), policy('shop', DENY_ALL), ...others].join('---\n');

  test('a second policy that allows everything to every pod cancels the deny', () => {
    const got = findings(withDeny(named('allow-all', 'shop', '  podSelector: {}\n  ingress: [{}]\n')));
    expect(got).toHaveLength(1);
    expect(got[0].message).toMatch(/no default-deny NetworkPolicy for ingress: NetworkPolicy "allow-all" allows all ingress traffic for every pod, and policies add up/);
    const egress = findings(withDeny(named('open', 'shop', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]\n')));
    expect(egress.map((f) => f.message)).toEqual([expect.stringMatching(/for egress: NetworkPolicy "open" allows all egress traffic/)]);
    // both directions at once, by two policies
    const both = findings(withDeny(named('a', 'shop', '  podSelector: {}\n  ingress: [{}]\n'), named('b', 'shop', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]\n')));
    expect(both[0].message).toMatch(/for ingress and egress: NetworkPolicy "a" allows all ingress traffic.*; NetworkPolicy "b" allows all egress traffic/);
  });

  test('ports without port numbers and no peers allow all traffic of that protocol', () => {
    for (const rule of ['[{ports: [{protocol: TCP}]}]', '[{ports: [{}]}]', '[{ports: [{port: 80}, {protocol: UDP}]}]', '[null]', '[{from: null, ports: [null]}]']) {
      const got = findings(withDeny(named('tcp', 'shop', `  podSelector: {}\n  ingress: ${rule}\n`)));
      expect([rule, got.map((f) => f.message)]).toEqual([rule, [expect.stringMatching(/for ingress: NetworkPolicy "tcp" allows all ingress traffic/)]]);
    }
  });

  test('a peer that is every address or every pod of the cluster opens the direction', () => {
    for (const peers of ['[{ipBlock: {cidr: 0.0.0.0/0}}]', '[{ipBlock: {cidr: "::/0"}}]', '[{namespaceSelector: {}}]', '[{namespaceSelector: {}, podSelector: {}}]', '[{podSelector: {matchLabels: {a: b}}}, {namespaceSelector: {matchLabels: {}}}]']) {
      const got = findings(withDeny(named('wide', 'shop', `  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: ${peers}\n`)));
      expect([peers, got.length]).toEqual([peers, 1]);
      expect(got[0].message).toMatch(/for egress: NetworkPolicy "wide" allows all egress traffic/);
    }
  });

  test('intended flows keep the deny: chosen ports to everyone, everything to chosen peers or to chosen pods', () => {
    const intended = [
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]\n',
      '  podSelector: {}\n  ingress:\n  - from: [{podSelector: {matchLabels: {app: gateway}}}]\n',
      '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: shop}}}]\n',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]\n    ports: [{port: 443}]\n',
      '  podSelector: {matchLabels: {app: gateway}}\n  ingress: [{}]\n',
      '  podSelector: {matchLabels: {app: gateway}}\n  policyTypes: [Egress]\n  egress: [{}]\n',
      // rules of a direction the policy does not list do not apply
      '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n  egress:\n  - ports: [{port: 53, protocol: UDP}]\n',
    ];
    for (const spec of intended) expect([spec, findings(withDeny(named('flow', 'shop', spec)))]).toEqual([spec, []]);
  });

  test('the deny policy itself must not allow everything; policyTypes: [] is defaulted as a missing one', () => {
    expect(findings([deployment('shop'), named('d', 'shop', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  egress: [{ports: [{protocol: UDP}]}]\n')].join('---\n'))[0].message)
      .toMatch(/for egress: NetworkPolicy "d" allows all egress traffic/);
    // [] defaults to [Ingress] (+ Egress with egress rules): here both directions, and the egress rule is DNS only
    expect(findings([deployment('shop'), named('d', 'shop', '  podSelector: {}\n  policyTypes: []\n  egress:\n  - ports: [{port: 53, protocol: UDP}]\n')].join('---\n'))).toEqual([]);
    expect(findings([deployment('shop'), named('d', 'shop', '  podSelector: {}\n  policyTypes: []\n')].join('---\n'))[0].message).toMatch(/for egress: add one/);
  });

  test('only networking.k8s.io/v1 NetworkPolicies count, either way', () => {
    const legacy = named('deny', 'shop', DENY_ALL, 'extensions/v1beta1');
    expect(findings([deployment('shop'), legacy].join('---\n'))[0].message).toMatch(/for ingress and egress: add one/);
    const calico = named('deny', 'shop', DENY_ALL, 'projectcalico.org/v3');
    expect(findings([deployment('shop'), calico].join('---\n'))).toHaveLength(1);
    // an allow-all policy of another apiVersion does not cancel a real deny
    expect(findings(withDeny(named('allow-all', 'shop', '  podSelector: {}\n  ingress: [{}]\n', 'extensions/v1beta1')))).toEqual([]);
  });

  test('a policy of another namespace neither denies nor opens; a policy the API server would refuse does not count', () => {
    expect(findings(withDeny(named('allow-all', 'other', '  podSelector: {}\n  ingress: [{}]\n')))).toEqual([]);
    expect(findings([deployment('shop'), named('bad', 'shop', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: ["x"]\n')].join('---\n'))).toHaveLength(1);
    expect(findings(withDeny(named('bad', 'shop', '  podSelector: {}\n  ingress: [{from: "x"}]\n')))).toEqual([]);
  });
});
