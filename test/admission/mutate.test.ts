/**
 * `--mutate`: the MutatingAdmissionPolicies built from the fixes' admission forms. What the
 * generator writes is checked here; that the server's mutation equals `kubeharden fix` is
 * proven on a real kube-apiserver in test/cluster/admission-mutate.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { AdmissionPolicies, Engine, Profile } from '../../src';
import { POD_SHAPES } from '../../src/admission/resources';
import { fixOf, notMutatedReason } from '../../src/engine/rule';
import { runCli } from '../cli/helpers';

const mutating = (objects: any[]) => objects.filter((o) => o.kind === 'MutatingAdmissionPolicy');
const bindings = (objects: any[]) => objects.filter((o) => o.kind === 'MutatingAdmissionPolicyBinding');

describe.each([Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED])('the %s profile', (profile) => {
  const engine = new Engine({ profile, excludeNamespaces: ['kube-system'] });
  const set = engine.admissionPolicies({ mutate: true, kubernetesVersion: '1.36' });

  test('every fixable rule is mutated or listed with a reason; rules without a fix are neither', () => {
    const fixable = engine.rules.filter((r) => fixOf(r)).map((r) => r.metadata.id).sort();
    expect([...set.mutated, ...set.notMutated.map((n) => n.ruleId)].sort()).toEqual(fixable);
    for (const n of set.notMutated) expect(n.reason).toBe(notMutatedReason(engine.rules.find((r) => r.metadata.id === n.ruleId)!));
    // the rule metadata (docs/rules.md, explain) says the same
    for (const r of engine.rules.filter((x) => fixOf(x))) {
      const n = set.notMutated.find((x) => x.ruleId === r.metadata.id);
      expect(r.metadata.fixAtAdmission).toBe(n ? `not made: ${n.reason}` : 'made');
    }
    expect(set.mutated).toContain('pss-privileged');
  });

  test('one policy per rule and place a pod sits, each with its binding, matching no subresource', () => {
    const policies = mutating(set.objects);
    expect(policies.length).toBe(set.mutated.length * POD_SHAPES.length);
    expect(bindings(set.objects).map((b) => b.spec.policyName)).toEqual(policies.map((p) => p.metadata.name));
    for (const p of policies) {
      expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(p.spec.reinvocationPolicy).toBe('IfNeeded');
      expect(p.spec.mutations).toEqual([{ patchType: 'JSONPatch', jsonPatch: { expression: expect.stringContaining('JSONPatch{') } }]);
      expect(p.spec.matchConditions.map((c: any) => c.name)).toEqual(['has-pod-spec', 'pod-changed', 'not-suppressed']);
      for (const r of p.spec.matchConstraints.resourceRules) {
        for (const res of r.resources) expect(res).not.toContain('/');
        // a Pod's security fields and a Job's template are immutable: only their creation is mutated
        expect(r.operations).toEqual(r.resources.includes('pods') || r.resources.includes('jobs') ? ['CREATE'] : ['CREATE', 'UPDATE']);
        if (r.resources.includes('jobs')) expect(r.resources).toEqual(['jobs']);
      }
    }
    for (const b of bindings(set.objects)) {
      expect(b.spec.matchResources.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }]);
    }
  });
});

test('patches write where each kind keeps its pod', () => {
  const set = new Engine({ profile: Profile.RESTRICTED }).admissionPolicies({ mutate: true, kubernetesVersion: 'v1.37' });
  const byName = new Map(mutating(set.objects).map((p) => [p.metadata.name, p.spec.mutations[0].jsonPatch.expression as string]));
  expect(byName.get('kubeharden-fix-pss-privileged-pods')).toContain("'/spec/containers/' + string(i)");
  expect(byName.get('kubeharden-fix-pss-privileged-podtemplates')).toContain("'/template/spec/containers/' + string(i)");
  expect(byName.get('kubeharden-fix-pss-privileged-workloads')).toContain("'/spec/template/spec/containers/' + string(i)");
  expect(byName.get('kubeharden-fix-pss-privileged-cronjobs')).toContain("'/spec/jobTemplate/spec/template/spec/containers/' + string(i)");
});

test('without mutate there is no MutatingAdmissionPolicy; mutate needs Kubernetes 1.36', () => {
  const engine = new Engine({ profile: Profile.RESTRICTED });
  const plain = engine.admissionPolicies();
  expect(mutating(plain.objects)).toEqual([]);
  expect(plain.mutated).toEqual([]);
  expect(plain.notMutated).toEqual([]);
  expect(() => engine.admissionPolicies({ mutate: true })).toThrow(/MutatingAdmissionPolicy is served from Kubernetes 1.36/);
  expect(() => engine.admissionPolicies({ mutate: true, kubernetesVersion: '1.35' })).toThrow(/1.36/);
});

test('at an older Pod Security Standards version the fixes follow the version\'s rules', () => {
  // before 1.19 and 1.22 the restricted seccomp and capabilities checks are their baseline forms
  const set = new Engine({ profile: Profile.RESTRICTED, pssVersion: 'v1.18' }).admissionPolicies({ mutate: true, kubernetesVersion: '1.36' });
  expect(set.mutated).toEqual(expect.arrayContaining(['pss-privileged', 'pss-allow-privilege-escalation', 'pss-run-as-non-root', 'pss-capabilities-baseline']));
  expect(set.mutated).not.toContain('pss-capabilities-restricted');
  // the seccomp check of 1.18 reads the legacy annotations, which the fix at admission does not write
  expect(set.notMutated).toContainEqual({ ruleId: 'pss-seccomp-profile-baseline', reason: 'its fix has no admission form at Pod Security Standards 1.18' });
});

test('the AdmissionPolicies construct takes mutate', () => {
  const chart = new Chart(new App(), 'platform');
  const policies = new AdmissionPolicies(chart, 'admission', { profile: Profile.RESTRICTED, kubernetesVersion: '1.36', mutate: true });
  const objects = Testing.synth(chart);
  expect(objects).toEqual(new Engine({ profile: Profile.RESTRICTED }).admissionPolicies({ kubernetesVersion: '1.36', mutate: true }).objects);
  expect(policies.mutated).toContain('pss-run-as-non-root');
  expect(policies.notMutated.map((n) => n.ruleId)).toEqual(['pss-run-as-user']);
});

test('kubeharden admission --mutate writes the same objects and lists the fixes it does not make', async () => {
  const r = await runCli(['admission', '--profile', 'restricted', '--mutate', '--kubernetes-version', 'v1.36']);
  expect(r.code).toBe(0);
  const objects = parseAllDocuments(r.stdout).map((d) => d.toJSON()).filter((o) => o);
  const expected = new Engine({ profile: Profile.RESTRICTED }).admissionPolicies({ kubernetesVersion: '1.36', mutate: true });
  expect(objects).toEqual(expected.objects);
  expect(r.stdout).toContain(`# fixed at admission (MutatingAdmissionPolicy): ${expected.mutated.length} rules`);
  for (const n of expected.notMutated) expect(r.stdout).toContain(`#   ${n.ruleId}: ${n.reason}`);
  expect(r.stderr).toContain(`${expected.mutated.length} fixes as ${mutating(expected.objects).length} MutatingAdmissionPolicies`);
  const old = await runCli(['admission', '--mutate']);
  expect(old.code).toBe(2);
  expect(old.stderr).toContain('MutatingAdmissionPolicy is served from Kubernetes 1.36');
  expect(old.stderr).not.toMatch(/\n\s+at /);
});

test('docs/admission.md lists the fixes the restricted profile makes at admission', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'admission.md'), 'utf8');
  const listed = /Made at admission, at the restricted profile: ([^(]*)\(/.exec(doc.replace(/\n/g, ' '))![1].match(/`[a-z-]+`/g)!.map((s) => s.slice(1, -1));
  expect(listed).toEqual(new Engine({ profile: Profile.RESTRICTED }).admissionPolicies({ mutate: true, kubernetesVersion: '1.36' }).mutated);
});
