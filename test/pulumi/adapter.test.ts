import * as fs from 'fs';
import * as path from 'path';
import { analyze, analyzeStack, Captured, remediate, violatedPolicies } from './harness';
import { Engine } from '../../src/engine/engine';
import { containersOf } from '../../src/engine/pod-spec';
import { definePodRule, POD_KINDS } from '../../src/engine/rule';
import { defineSetRule } from '../../src/engine/set-rule';
import { Profile, Severity } from '../../src/engine/types';
import { FIXES, kubehardenPolicies, kubernetesTypeOf, KUBERNETES_KINDS, policyTypeTokens, typeTokensForKinds, UNKNOWN } from '../../src/pulumi';
import { Rules } from '../../src/rules/catalog';

const deployment = (container: any, pod: any = {}, meta: any = {}): Captured => ({
  type: 'kubernetes:apps/v1:Deployment',
  name: 'web',
  urn: 'urn:pulumi:test::app::kubernetes:apps/v1:Deployment::web',
  inputs: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', ...meta },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { ...pod, containers: [{ name: 'web', image: 'registry.example.com/web:1.0', ...container }] } } },
  },
});

describe('type tokens', () => {
  test('the kind map equals the tokens of @pulumi/kubernetes', () => {
    const root = path.dirname(require.resolve('@pulumi/kubernetes/package.json'));
    const tokens = new Set<string>();
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== 'node_modules') walk(path.join(d, e.name));
        else if (e.name.endsWith('.js')) for (const m of fs.readFileSync(path.join(d, e.name), 'utf8').matchAll(/__pulumiType = '(kubernetes:[^']+)'/g)) tokens.add(m[1]);
      }
    };
    walk(root);
    const objects = [...tokens].filter((t) => kubernetesTypeOf(t) !== undefined);
    expect(new Set(typeTokensForKinds(['*']))).toEqual(new Set(objects));
    expect(Object.keys(KUBERNETES_KINDS).length).toBeGreaterThan(50);
  });

  test('parsing', () => {
    expect(kubernetesTypeOf('kubernetes:core/v1:Pod')).toEqual({ apiVersion: 'v1', kind: 'Pod' });
    expect(kubernetesTypeOf('kubernetes:apps/v1:DeploymentList')).toEqual({ apiVersion: 'apps/v1', kind: 'DeploymentList', itemKind: 'Deployment' });
    expect(kubernetesTypeOf('kubernetes:bitnami.com/v1alpha1:SealedSecret')).toEqual({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret' });
    for (const t of ['kubernetes:apps/v1:DeploymentPatch', 'kubernetes:yaml/v2:ConfigGroup', 'kubernetes:helm.sh/v4:Chart', 'kubernetes:yaml:ConfigGroup', 'pulumi:providers:kubernetes', 'aws:s3/bucket:Bucket']) {
      expect(kubernetesTypeOf(t)).toBeUndefined();
    }
  });

  test('a pod rule covers every workload kind of every API version, and their Lists', () => {
    const tokens = typeTokensForKinds(POD_KINDS);
    for (const t of ['kubernetes:apps/v1:Deployment', 'kubernetes:extensions/v1beta1:Deployment', 'kubernetes:apps/v1beta1:StatefulSet', 'kubernetes:batch/v1beta1:CronJob',
      'kubernetes:batch/v2alpha1:CronJob', 'kubernetes:core/v1:Pod', 'kubernetes:core/v1:PodList', 'kubernetes:core/v1:ReplicationController', 'kubernetes:core/v1:PodTemplate']) {
      expect(tokens).toContain(t);
    }
  });
});

describe('generated policies', () => {
  test('one policy per rule of each profile, named by the rule id, with description, severity and configSchema', () => {
    for (const profile of [Profile.BASELINE, Profile.RESTRICTED, Profile.HARDENED]) {
      const policies = kubehardenPolicies({ profile });
      expect(policies.map((p) => p.name)).toEqual(new Engine({ profile }).rules.map((r) => r.metadata.id));
      for (const p of policies) {
        expect(p.description.length).toBeGreaterThan(20);
        expect(p.configSchema?.properties).toBeDefined();
        expect(p.severity).toMatch(/critical|high|medium|low/);
      }
    }
    for (const r of Rules.all().filter((x) => x.metadata.kinds.includes('Deployment'))) expect(policyTypeTokens(r)).toContain('kubernetes:apps/v1:Deployment');
  });

  test('enforcement levels, severities, disabled rules', () => {
    const policies = kubehardenPolicies({ enforcementLevel: 'mandatory', enforcementLevels: { 'pss-privileged': 'advisory' }, severities: { 'pss-privileged': Severity.LOW }, disabledRules: ['pss-host-ports'] });
    const priv = policies.find((p) => p.name === 'pss-privileged')!;
    expect(priv.enforcementLevel).toBe('advisory');
    expect(priv.severity).toBe('low');
    expect(policies.find((p) => p.name === 'pss-host-ports')).toBeUndefined();
    expect(policies.filter((p) => p.name !== 'pss-privileged').every((p) => p.enforcementLevel === 'mandatory')).toBe(true);
    expect(() => kubehardenPolicies({ pssVersion: 'v2.0' })).toThrow(/version/);
  });

  test('excluded namespaces and suppressions behave as in the engine; pack config adds namespaces', async () => {
    const policies = kubehardenPolicies({ excludeNamespaces: ['legacy'] });
    const bad = { securityContext: { privileged: true } };
    expect(violatedPolicies(await analyze(policies, deployment(bad)))).toContain('pss-privileged');
    expect(violatedPolicies(await analyze(policies, deployment(bad, {}, { namespace: 'legacy' })))).not.toContain('pss-privileged');
    expect(violatedPolicies(await analyze(policies, deployment(bad), { 'pss-privileged': { excludeNamespaces: ['shop'] } }))).not.toContain('pss-privileged');
    const suppressed = deployment(bad, {}, { annotations: { 'ignore.kubeharden.io/pss-privileged': 'node agent needs host devices' } });
    expect(violatedPolicies(await analyze(policies, suppressed))).not.toContain('pss-privileged');
  });
});

describe('unknown values during preview', () => {
  const policies = kubehardenPolicies();

  test('an unknown field never yields a violation of a rule that reads it, nor a crash', async () => {
    const a = await analyze(policies, deployment({ securityContext: { privileged: UNKNOWN } }));
    expect(violatedPolicies(a)).not.toContain('pss-privileged');
    const b = await analyze(policies, deployment({ image: UNKNOWN, securityContext: UNKNOWN }, { securityContext: UNKNOWN }));
    for (const id of ['pss-privileged', 'pss-run-as-non-root', 'pss-allow-privilege-escalation', 'image-latest-tag', 'image-digest']) expect(violatedPolicies(b)).not.toContain(id);
    const c = await analyze(policies, { ...deployment({}), inputs: { ...deployment({}).inputs, spec: UNKNOWN } });
    expect(c.violations).toEqual([]);
  });

  test('an unknown field does not hide violations of rules that do not read it', async () => {
    const a = await analyze(policies, deployment({ image: UNKNOWN, securityContext: { privileged: true } }));
    expect(violatedPolicies(a)).toContain('pss-privileged');
    const ns = await analyze(policies, deployment({ securityContext: { privileged: true } }, {}, { namespace: UNKNOWN }));
    expect(violatedPolicies(ns)).toContain('pss-privileged');
  });

  test('an unknown namespace withholds verdicts when namespaces are excluded; unknown annotations withhold findings', async () => {
    const excluding = kubehardenPolicies({ excludeNamespaces: ['legacy'] });
    const bad = { securityContext: { privileged: true } };
    expect(violatedPolicies(await analyze(excluding, deployment(bad, {}, { namespace: UNKNOWN })))).not.toContain('pss-privileged');
    expect(violatedPolicies(await analyze(policies, deployment(bad, {}, { annotations: { 'ignore.kubeharden.io/pss-privileged': UNKNOWN } })))).not.toContain('pss-privileged');
  });

  test('the mock unknown object and typed sentinels count as unknown; missing values are judged as missing', async () => {
    const typed = await analyze(policies, deployment({ securityContext: { privileged: '1c4a061d-8072-4f0a-a4cb-0ff528b18fe7' } }));
    expect(violatedPolicies(typed)).not.toContain('pss-privileged');
    const missing = await analyze(policies, deployment({}));
    if (Rules.find('pss-run-as-non-root')) expect(violatedPolicies(missing)).toContain('pss-run-as-non-root');
  });
});

describe('remediation', () => {
  const policies = kubehardenPolicies({ enforcementLevel: 'remediate' });
  const fixable = policies.filter((p) => 'remediateResource' in p).map((p) => p.name);

  test('each fix makes its rule pass; explicit choices, unknowns and secrets are kept', async () => {
    const r = deployment({ env: [{ name: 'TOKEN', value: { '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', 'value': 's3cret' } }], securityContext: { runAsUser: 1000 } });
    const { props, applied } = await remediate(policies, r);
    // the fixable rules that report on this Deployment, each fixed by its own rule's fix
    for (const id of applied) expect(fixable).toContain(id);
    expect(applied).toEqual(expect.arrayContaining(['pss-allow-privilege-escalation', 'pss-capabilities-restricted', 'pss-run-as-non-root', 'pss-seccomp-profile-restricted', 'read-only-root-filesystem']));
    const after = await analyze(policies, { ...r, inputs: props });
    for (const id of applied) expect(violatedPolicies(after)).not.toContain(id);
    const c = props.spec.template.spec.containers[0];
    expect(c.env[0].value).toEqual({ '4dabf18193072939515e22adb298388d': '1b47061264138c4ac30d75fd1eb44270', 'value': 's3cret' });
    const explicit = deployment({ securityContext: { allowPrivilegeEscalation: true, readOnlyRootFilesystem: UNKNOWN } });
    const kept = (await remediate(policies, explicit)).props.spec.template.spec.containers[0].securityContext;
    // an insecure explicit value is fixed, as kubeharden fix fixes it; an unknown one is left alone
    expect(kept.allowPrivilegeEscalation).toBe(false);
    expect(kept.readOnlyRootFilesystem).toBe(UNKNOWN);
  });

  test('runAsNonRoot is the rule\'s own fix: on the pod unless a container runs as UID 0 (assumeNonRootImages changes nothing)', async () => {
    const noUid = deployment({});
    const plain = (await remediate(policies, noUid)).props;
    expect(plain.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(violatedPolicies(await analyze(policies, { ...noUid, inputs: plain }))).not.toContain('pss-run-as-non-root');
    const assumed = (await remediate(kubehardenPolicies({ enforcementLevel: 'remediate', assumeNonRootImages: true }), noUid)).props;
    expect(assumed).toEqual(plain);
    const root = (await remediate(policies, deployment({ securityContext: { runAsUser: 0 } }))).props;
    expect(root.spec.template.spec.securityContext?.runAsNonRoot).toBeUndefined();
    expect(root.spec.template.spec.containers[0].securityContext.runAsNonRoot).toBeUndefined();
  });

  test('remediation equals kubeharden fix on the same object', async () => {
    const r = deployment({ securityContext: { privileged: true, capabilities: { add: ['NET_RAW'] } } });
    const { props } = await remediate(policies, r);
    const engine = new Engine({});
    const view = JSON.parse(JSON.stringify(r.inputs));
    const fixed = engine.fixObjects([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: view.metadata, spec: view.spec }]).objects[0].fixed;
    expect(props.spec.template.spec.securityContext).toEqual(fixed.spec.template.spec.securityContext);
    expect(props.spec.template.spec.containers[0].securityContext).toEqual(fixed.spec.template.spec.containers[0].securityContext);
  });

  test('a fix runs only on definite, unsuppressed findings', async () => {
    const ok = deployment({ securityContext: { allowPrivilegeEscalation: false } });
    const { applied } = await remediate(policies.filter((p) => p.name === 'pss-allow-privilege-escalation'), ok);
    expect(applied).toEqual([]);
  });
});

describe('stack policies for set-level rules', () => {
  // A stand-in set-level rule (marked as the engine extension marks them) exercises the plumbing.
  const setRule = defineSetRule({
    id: 'test-set-rule',
    title: 'Namespaces hold no privileged pods',
    severity: Severity.HIGH,
    category: 'network',
    profiles: [Profile.HARDENED],
    controls: [],
    rationale: 'test',
    remediation: 'test',
    kinds: POD_KINDS,
  }, {
    collect: (o) => ({ privileged: JSON.stringify(o).includes('"privileged":true') }),
    checkSet: (members) => members.flatMap((m, i) => (m.data.privileged ? [{ member: i, path: 'spec', message: 'namespace lacks protection' }] : [])),
  });
  const podRule = definePodRule({
    id: 'test-pod-rule', title: 'x', severity: Severity.LOW, category: 'workload', profiles: [Profile.HARDENED], controls: [], rationale: 'x', remediation: 'x', kinds: POD_KINDS,
  }, (pod) => containersOf(pod).length ? [] : [{ path: pod.specPath, message: 'no containers' }]);

  test('a set-level rule becomes a StackValidationPolicy reporting on the resource that lacks protection', async () => {
    const policies = kubehardenPolicies({ catalog: [setRule, podRule] });
    expect(policies.map((p) => [p.name, 'validateStack' in p])).toEqual([['test-set-rule', true], ['test-pod-rule', false]]);
    const bad = deployment({ securityContext: { privileged: true } });
    const good = { ...deployment({}), urn: 'urn:other', inputs: { ...deployment({}).inputs, metadata: { name: 'other', namespace: 'shop' } } };
    const stack = await analyzeStack(policies, [bad, good]);
    expect(stack.violations.map((v) => [v.policy, v.urn])).toEqual([['test-set-rule', bad.urn]]);
    const unknown = await analyzeStack(policies, [deployment({ securityContext: UNKNOWN }), good]);
    expect(unknown.violations).toEqual([]);
  });
});

test('every fix names a rule of the catalog', () => {
  const ids = Rules.all().map((r) => r.metadata.id);
  for (const fix of FIXES) expect(ids).toContain(fix.ruleId);
});
