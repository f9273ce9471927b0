import { Engine, Profile } from '../../../src';
import { automountServiceAccountToken } from '../../../src/rules/workload/automount-service-account-token';
import { check } from '../hardened-check';
import { expectSetTotal } from '../set-rule-totality';

const RULE = 'automount-service-account-token';

const pod = (field: string, ns?: string, name = 'p') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
spec:
${field}  containers:
  - {name: a, image: "app:1"}
`;
const serviceAccount = (name: string, setting: string, ns?: string) => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}
${setting}`;
const docs = (...d: string[]) => d.join('---\n');

test('finds an unset field where it belongs, at the pod spec (line: the object)', () => {
  const yaml = pod('');
  const { findings } = check(yaml, RULE);
  expect(findings.map((f) => [f.path, f.line, f.object.name])).toEqual([['spec.automountServiceAccountToken', 1, 'p']]);
  expect(findings[0].message).toContain('inherits its ServiceAccount');
  expect(findings[0].message).toContain('ServiceAccount "default" (not in the input)');
});

test('finds automountServiceAccountToken: true, whatever the ServiceAccount says: the pod\'s setting wins', () => {
  for (const yaml of [pod('  automountServiceAccountToken: true\n'), docs(serviceAccount('default', 'automountServiceAccountToken: false\n'), pod('  automountServiceAccountToken: true\n'))]) {
    const { findings } = check(yaml, RULE);
    expect(findings.map((f) => [f.path, f.object.kind])).toEqual([['spec.automountServiceAccountToken', 'Pod']]);
    expect(findings[0].message).toMatch(/set automountServiceAccountToken to false in the pod spec/);
  }
});

test('passes automountServiceAccountToken: false, in every workload kind, whatever the ServiceAccount says', () => {
  expect(check(pod('  automountServiceAccountToken: false\n'), RULE).findings).toEqual([]);
  expect(check(docs(serviceAccount('default', 'automountServiceAccountToken: true\n'), pod('  automountServiceAccountToken: false\n')), RULE).findings).toEqual([]);
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers: [{name: a, image: "app:1"}]
`;
  expect(check(deployment, RULE).findings).toEqual([]);
});

describe('a pod that sets nothing takes its ServiceAccount\'s setting', () => {
  test('its ServiceAccount in the input with automountServiceAccountToken: false: fine', () => {
    expect(check(docs(serviceAccount('default', 'automountServiceAccountToken: false\n'), pod('')), RULE).findings).toEqual([]);
    expect(check(docs(pod('  serviceAccountName: api\n', 'shop'), serviceAccount('api', 'automountServiceAccountToken: false\n', 'shop')), RULE).findings).toEqual([]);
    // the deprecated serviceAccount field names it when serviceAccountName is unset
    expect(check(docs(pod('  serviceAccount: api\n', 'shop'), serviceAccount('api', 'automountServiceAccountToken: false\n', 'shop')), RULE).findings).toEqual([]);
    // a CronJob's pod template, in the ServiceAccount's namespace
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: c, namespace: shop}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: api
          containers: [{name: a, image: "app:1"}]
`;
    expect(check(docs(serviceAccount('api', 'automountServiceAccountToken: false\n', 'shop'), cron), RULE).findings).toEqual([]);
  });

  test('its ServiceAccount says true, or nothing: a finding that names it', () => {
    const t = check(docs(serviceAccount('api', 'automountServiceAccountToken: true\n'), pod('  serviceAccountName: api\n')), RULE).findings;
    expect(t.map((f) => [f.object.kind, f.path])).toEqual([['Pod', 'spec.automountServiceAccountToken']]);
    expect(t[0].message).toMatch(/inherits automountServiceAccountToken: true from ServiceAccount "api"/);
    const unset = check(docs(serviceAccount('api', ''), pod('  serviceAccountName: api\n')), RULE).findings;
    expect(unset[0].message).toMatch(/or on ServiceAccount "api": neither sets it/);
  });

  test('another ServiceAccount does not count: another name, another namespace, another apiVersion', () => {
    const cases = [
      docs(serviceAccount('other', 'automountServiceAccountToken: false\n'), pod('')),
      docs(serviceAccount('default', 'automountServiceAccountToken: false\n', 'other'), pod('', 'shop')),
      docs(serviceAccount('default', 'automountServiceAccountToken: false\n', 'shop'), pod('')),
      docs(serviceAccount('default', 'automountServiceAccountToken: false\n').replace('apiVersion: v1', 'apiVersion: example.com/v1'), pod('')),
      // serviceAccountName wins over the deprecated field
      docs(serviceAccount('legacy', 'automountServiceAccountToken: false\n'), pod('  serviceAccountName: api\n  serviceAccount: legacy\n')),
    ];
    for (const yaml of cases) expect(check(yaml, RULE).findings).toHaveLength(1);
  });

  test('several ServiceAccount objects of one name: fine only when every one of them says false', () => {
    const yaml = docs(serviceAccount('default', 'automountServiceAccountToken: false\n'), serviceAccount('default', 'automountServiceAccountToken: true\n'), pod(''));
    expect(check(yaml, RULE).findings).toHaveLength(1);
  });

  test('it works across files and sessions, and the finding can be suppressed on the workload', () => {
    const session = new Engine({ profile: Profile.HARDENED }).newSession();
    session.addText(serviceAccount('default', 'automountServiceAccountToken: false\n', 'shop'), 'sa.yaml');
    session.addText(pod('', 'shop'), 'pod.yaml');
    expect(session.report().findings.filter((f) => f.ruleId === RULE)).toEqual([]);
    const suppressed = pod('').replace('metadata: {name: p}', 'metadata:\n  name: p\n  annotations: {ignore.kubeharden.io/automount-service-account-token: "the operator calls the API"}');
    expect(check(suppressed, RULE).findings).toMatchObject([{ suppressed: true, suppressionReason: 'the operator calls the API' }]);
  });
});

test('the rule is set-level; it never throws on wrong-typed input', () => {
  expect(automountServiceAccountToken.metadata.setLevel).toBe(true);
  expectSetTotal(automountServiceAccountToken, [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { serviceAccountName: 'x', automountServiceAccountToken: false, containers: [] } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'a' }, automountServiceAccountToken: false },
  ]);
});
