/**
 * The admission generator's translation (src/admission): which rules become policies,
 * what each policy and binding carries, and the options. Whether the CEL means what the
 * checks mean is proven against Kubernetes' own code in test/oracle/admission-differential
 * and on a real API server in test/cluster/admission.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { AdmissionAction, AdmissionPolicies, Engine, Profile, Rules, Severity } from '../../src';
import { SUPPRESSION_PREFIX } from '../../src/engine/suppressions';
import { runCli } from '../cli/helpers';

const policiesOf = (objects: any[]) => objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
const bindingsOf = (objects: any[]) => objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');

describe.each([Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED])('the %s profile', (profile) => {
  const engine = new Engine({ profile });
  const set = engine.admissionPolicies();

  test('every rule of the profile is either enforced or listed with a reason, and the metadata says the same', () => {
    const ids = engine.rules.map((r) => r.metadata.id).sort();
    expect([...set.enforced, ...set.notEnforced.map((n) => n.ruleId)].sort()).toEqual(ids);
    for (const n of set.notEnforced) expect(n.reason.length).toBeGreaterThan(20);
    for (const r of engine.rules) {
      expect(r.metadata.admission).toBe(set.enforced.includes(r.metadata.id) ? 'enforced' : `not enforced: ${set.notEnforced.find((n) => n.ruleId === r.metadata.id)!.reason}`);
    }
  });

  test('each policy has one binding of the same name, and names the rule it enforces', () => {
    const policies = policiesOf(set.objects);
    const bindings = bindingsOf(set.objects);
    expect(bindings.map((b) => b.spec.policyName).sort()).toEqual(policies.map((p) => p.metadata.name).sort());
    for (const p of policies) {
      expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(set.enforced).toContain(p.metadata.labels['kubeharden.io/rule']);
      expect(p.metadata.name.startsWith(`kubeharden-${p.metadata.labels['kubeharden.io/rule']}`)).toBe(true);
      expect(p.metadata.name.length).toBeLessThanOrEqual(253);
      expect(p.spec.failurePolicy).toBe('Fail');
      expect(p.spec.validations[0].messageExpression).toContain(`'${p.metadata.labels['kubeharden.io/rule']}: '`);
      expect(p.spec.auditAnnotations[0].valueExpression).toContain(`'${p.metadata.labels['kubeharden.io/rule']}'`);
    }
    for (const b of bindings) expect(b.spec.validationActions).toEqual(['Deny']);
  });
});

test('a pod rule gets one policy for each place a pod sits, matching its kinds', () => {
  const set = new Engine({ profile: Profile.BASELINE }).admissionPolicies();
  const privileged = policiesOf(set.objects).filter((p) => p.metadata.labels['kubeharden.io/rule'] === 'pss-privileged');
  expect(privileged.map((p) => p.metadata.name)).toEqual([
    'kubeharden-pss-privileged-pods', 'kubeharden-pss-privileged-podtemplates', 'kubeharden-pss-privileged-workloads', 'kubeharden-pss-privileged-cronjobs',
  ]);
  const resources = privileged.flatMap((p) => p.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources)).sort();
  expect(resources).toEqual(['cronjobs', 'daemonsets', 'deployments', 'jobs', 'pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicasets',
    'replicationcontrollers', 'statefulsets']);
  const workloads = privileged.find((p) => p.metadata.name.endsWith('-workloads'));
  expect(workloads.spec.variables[0]).toEqual({ name: 'podSpec', expression: 'object.spec.template.spec' });
  const cronjobs = privileged.find((p) => p.metadata.name.endsWith('-cronjobs'));
  expect(cronjobs.spec.variables[0]).toEqual({ name: 'podSpec', expression: 'object.spec.jobTemplate.spec.template.spec' });
});

test('the suppression annotation is a match condition with the engine\'s minimum reason length', () => {
  const set = new Engine({ profile: Profile.BASELINE }).admissionPolicies();
  const p = policiesOf(set.objects)[0];
  const cond = p.spec.matchConditions.find((c: any) => c.name === 'not-suppressed');
  expect(cond.expression).toContain(`'${SUPPRESSION_PREFIX}${p.metadata.labels['kubeharden.io/rule']}'`);
  expect(cond.expression).toContain('.trim()) >= 10');
});

test('the action, failOn, excluded namespaces and parameters reach the bindings', () => {
  const engine = new Engine({
    profile: Profile.HARDENED,
    failOn: Severity.HIGH,
    excludeNamespaces: ['kube-system', 'monitoring'],
    rules: { 'allowed-registries': { options: { registries: [' Index.Docker.io/library/redis/ ', 'ghcr.io/acme'] } }, 'image-digest': false },
  });
  const set = engine.admissionPolicies({ paramsNamespace: 'platform' });
  expect(set.enforced).not.toContain('image-digest');
  const bindings = bindingsOf(set.objects);
  const severityOf = (name: string) => engine.rules.find((r) => r.metadata.id === policiesOf(set.objects).find((p) => p.metadata.name === name).metadata.labels['kubeharden.io/rule'])!.metadata.severity;
  const clusterScoped = ['namespaces', 'persistentvolumes', 'clusterroles', 'clusterrolebindings'];
  for (const b of bindings) {
    const sev = severityOf(b.spec.policyName);
    expect(b.spec.validationActions).toEqual([sev === Severity.CRITICAL || sev === Severity.HIGH ? 'Deny' : 'Warn']);
    const policy = policiesOf(set.objects).find((p) => p.metadata.name === b.spec.policyName);
    const resources: string[] = policy.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources);
    if (resources.every((r) => clusterScoped.includes(r))) {
      // a cluster-scoped object is of no namespace (and a selector would match a Namespace's own labels)
      expect(b.spec.matchResources).toBeUndefined();
    } else {
      expect(b.spec.matchResources.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'monitoring'] }]);
    }
  }
  expect(bindings.some((b) => b.spec.policyName === 'kubeharden-pod-security-enforce-restricted' && b.spec.matchResources === undefined)).toBe(true);
  const configMap = set.objects[0];
  expect(configMap).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'kubeharden-options', namespace: 'platform' } });
  // the entries as the check reads them: Docker Hub's aliases as docker.io, no trailing slash
  expect(configMap.data).toEqual({
    'allowed-registries.registries': 'docker.io/library/redis\nghcr.io/acme',
    // the options that are not set are there, empty, for the platform team to fill in
    'configmap-credentials.secretNamePatterns': '',
    'env-literal-secret.secretNamePatterns': '',
    'persistent-volume-host-path.allowedLocalPaths': '',
  });
  const registries = bindings.filter((b) => b.spec.policyName.startsWith('kubeharden-allowed-registries-'));
  expect(registries).toHaveLength(4);
  for (const b of registries) expect(b.spec.paramRef).toEqual({ name: 'kubeharden-options', namespace: 'platform', parameterNotFoundAction: 'Deny' });
  const warn = new Engine({ profile: Profile.BASELINE }).admissionPolicies({ action: AdmissionAction.AUDIT });
  expect([...new Set(bindingsOf(warn.objects).map((b) => b.spec.validationActions[0]))]).toEqual(['Audit']);
});

test('options are checked', () => {
  const engine = new Engine({ profile: Profile.BASELINE });
  expect(() => engine.admissionPolicies({ kubernetesVersion: '1.29' })).toThrow('ValidatingAdmissionPolicy is served from Kubernetes 1.30');
  expect(() => engine.admissionPolicies({ kubernetesVersion: 'latest' })).toThrow('expected 1.N or v1.N');
  expect(() => engine.admissionPolicies({ action: 'block' as AdmissionAction })).toThrow('expected one of deny, warn, audit');
  expect(() => engine.admissionPolicies({ namePrefix: 'Bad_Prefix' })).toThrow('namePrefix');
  expect(engine.admissionPolicies({ kubernetesVersion: 'v1.33' }).kubernetesVersion).toBe('1.33');
});

test('the rules column of every rule says enforced or why not', () => {
  for (const m of Rules.metadata()) expect(m.admission).toMatch(/^(enforced|not enforced: .{20,})$/);
});

test('the AdmissionPolicies construct synthesizes the engine\'s objects', () => {
  const app = Testing.app();
  const chart = new Chart(app as App, 'platform');
  const construct = new AdmissionPolicies(chart, 'admission', { profile: Profile.RESTRICTED, action: AdmissionAction.WARN });
  const synthesized = Testing.synth(chart);
  const expected = new Engine({ profile: Profile.RESTRICTED }).admissionPolicies({ action: AdmissionAction.WARN }).objects;
  expect(synthesized).toEqual(expected);
  expect(construct.enforced.length).toBe(15);
  expect(() => new AdmissionPolicies(new Chart(Testing.app(), 'x'), 'a', { profile: 'strict' as Profile })).toThrow('AdmissionPolicies props: profile');
});

describe('kubeharden admission', () => {

  test('writes the engine\'s objects as YAML, with the rules it does not enforce in the header', async () => {
    const r = await runCli(['admission', '--profile', 'hardened', '--action', 'warn', '--exclude-namespace', 'kube-system']);
    expect(r.code).toBe(0);
    const objects = parseAllDocuments(r.stdout).map((d) => d.toJSON()).filter((o) => o);
    const expected = new Engine({ profile: Profile.HARDENED, excludeNamespaces: ['kube-system'] }).admissionPolicies({ action: AdmissionAction.WARN });
    expect(objects).toEqual(expected.objects);
    for (const n of expected.notEnforced) expect(r.stdout).toContain(`#   ${n.ruleId}: ${n.reason}`);
    expect(r.stderr).toContain(`${expected.enforced.length} rules as ${policiesOf(expected.objects).length} ValidatingAdmissionPolicies`);
  });

  test('--format json is one List; --output writes a file; a configuration file carries over', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-admission-'));
    try {
      fs.writeFileSync(path.join(dir, 'kubeharden.config.yaml'), 'profile: baseline\nrules:\n  pss-privileged: false\n');
      const r = await runCli(['admission', '--format', 'json', '--output', path.join(dir, 'out.json'), '--config', path.join(dir, 'kubeharden.config.yaml')]);
      expect(r.code).toBe(0);
      const list = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
      expect(list.kind).toBe('List');
      const ids = new Set(policiesOf(list.items).map((p: any) => p.metadata.labels['kubeharden.io/rule']));
      expect(ids.has('pss-privileged')).toBe(false);
      expect(ids.has('pss-host-namespaces')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad flags are usage errors (exit 2), never a stack trace', async () => {
    for (const [argv, message] of [
      [['admission', '--kubernetes-version', 'v1.29'], 'ValidatingAdmissionPolicy is served from Kubernetes 1.30'],
      [['admission', '--kubernetes-version', 'soon'], 'invalid --kubernetes-version'],
      [['admission', '--action', 'block'], 'block'],
      [['admission', 'manifests/'], 'takes no paths'],
      [['admission', '--output', ''], '--output needs a file name'],
    ] as [string[], string][]) {
      const r = await runCli(argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

test('the generated objects pass check themselves: the options ConfigMap holds no key that looks like a credential', () => {
  const engine = new Engine({
    profile: Profile.HARDENED,
    rules: {
      'env-literal-secret': { options: { secretNamePatterns: ['^stripe$'] } },
      'configmap-credentials': { options: { secretNamePatterns: ['^stripe$'] } },
      'persistent-volume-host-path': { options: { allowedLocalPaths: ['/mnt/disks'] } },
    },
  });
  const set = engine.admissionPolicies();
  const configMap = set.objects.find((o) => o.kind === 'ConfigMap');
  expect(Object.keys(configMap.data)).toEqual(expect.arrayContaining(['env-literal-secret.secretNamePatterns', 'configmap-credentials.secretNamePatterns']));
  expect(engine.checkObjects(set.objects).findings.filter((f) => !f.suppressed)).toEqual([]);
});
