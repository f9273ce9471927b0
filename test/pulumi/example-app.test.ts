import * as path from 'path';
import { analyze, analyzeStack, Captured, remediate, runProgram, violatedPolicies } from './harness';
import { kubehardenPolicies, UNKNOWN } from '../../src/pulumi';
import { Rules } from '../../src/rules/catalog';

jest.mock('kubeharden', () => jest.requireActual('../../src/constructs/hardened-deployment'), { virtual: true });

const APP = path.resolve(__dirname, '../../examples/pulumi-app/index.ts');
const has = (id: string) => Rules.all().some((r) => r.metadata.id === id && r.metadata.profiles.includes('hardened' as any));
const byName = (resources: Captured[], type: string, name: string) => resources.find((r) => r.type === type && r.name.endsWith(name))!;

describe('the example Pulumi program under mocks (preview)', () => {
  let resources: Captured[];
  const policies = kubehardenPolicies();

  beforeAll(async () => {
    resources = await runProgram(APP, {
      preview: true,
      // Auto-named resources get their name from the provider: unknown during preview.
      outputs: (_type, inputs) => ({ ...inputs, metadata: { ...(inputs.metadata ?? {}), name: inputs.metadata?.name ?? UNKNOWN } }),
    });
  });

  test('registers the hand-written resources and the chart objects as the provider does', () => {
    const types = resources.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining([
      'kubernetes:core/v1:Namespace', 'kubernetes:apps/v1:Deployment', 'kubernetes:batch/v1:CronJob',
      'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole', 'kubernetes:core/v1:Pod', 'kubernetes:yaml/v2:ConfigGroup',
    ]));
    expect(resources.filter((r) => r.parent).length).toBeGreaterThan(0);
    // The namespace of checkout comes from an auto-named Namespace: unknown.
    expect(byName(resources, 'kubernetes:apps/v1:Deployment', 'checkout').inputs.metadata.namespace).toBe('04da6b54-80e4-46f7-96ec-b56ff0331ba9');
  });

  test('the violating resources are reported, with the rule id as policy name', async () => {
    const legacy = await analyze(policies, byName(resources, 'kubernetes:apps/v1:Deployment', 'legacy-agent'));
    expect(violatedPolicies(legacy)).toContain('pss-privileged');
    for (const v of legacy.violations) expect(v.message).toMatch(/^\[[a-z0-9-]+\] Deployment ops\//);
    if (has('pss-host-namespaces')) expect(violatedPolicies(legacy)).toContain('pss-host-namespaces');
    const cron = await analyze(policies, byName(resources, 'kubernetes:batch/v1:CronJob', 'nightly-report'));
    // the CronJob breaks every fixable pod-security rule of the restricted profile
    for (const id of ['pss-allow-privilege-escalation', 'pss-capabilities-restricted', 'pss-run-as-non-root', 'pss-seccomp-profile-restricted']) {
      expect(violatedPolicies(cron)).toContain(id);
    }
    const role = await analyze(policies, byName(resources, 'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole', 'ops'));
    if (has('rbac-wildcard')) expect(violatedPolicies(role)).toContain('rbac-wildcard');
  });

  test('the hardened Deployment and the chart objects pass every PSS policy', async () => {
    const pss = Rules.all().filter((r) => r.metadata.pss).map((r) => r.metadata.id);
    const checkout = await analyze(policies, byName(resources, 'kubernetes:apps/v1:Deployment', 'checkout'));
    expect(violatedPolicies(checkout).filter((p) => pss.includes(p))).toEqual([]);
    for (const child of resources.filter((r) => r.parent)) {
      const a = await analyze(policies, child);
      expect(violatedPolicies(a).filter((p) => pss.includes(p))).toEqual([]);
    }
  });

  test('components are not checked as objects; policies of other kinds are not applicable', async () => {
    const group = await analyze(policies, byName(resources, 'kubernetes:yaml/v2:ConfigGroup', 'storefront'));
    expect(group.violations).toEqual([]);
    expect(group.notApplicable.length).toBe(policies.filter((p) => 'validateResource' in p).length);
  });

  test('a stack-level call with all resources runs the stack policies', async () => {
    const stack = await analyzeStack(policies, resources);
    expect(stack.violations.every((v) => typeof v.message === 'string')).toBe(true);
  });

  test('remediation of the CronJob fills in safe values, and the remediated props pass the fixed rules', async () => {
    const remediating = kubehardenPolicies({ enforcementLevel: 'remediate' });
    const cron = byName(resources, 'kubernetes:batch/v1:CronJob', 'nightly-report');
    const { props, applied } = await remediate(remediating, cron);
    const after = await analyze(remediating, { ...cron, inputs: props });
    const fixable = remediating.filter((p) => 'remediateResource' in p).map((p) => p.name);
    // every fixable rule that reported on the CronJob, fixed by the rule's own fix (as kubeharden fix fixes it)
    const reported = violatedPolicies(await analyze(remediating, cron)).filter((id) => fixable.includes(id));
    const unfixable = ['cpu-limits', 'cpu-requests', 'memory-limits', 'memory-requests']; // no fix without a quantity option
    expect(applied.sort()).toEqual(reported.filter((id) => !unfixable.includes(id)).sort());
    expect(applied).toContain('pss-run-as-non-root');
    for (const id of applied) expect(violatedPolicies(after)).not.toContain(id);
    expect(props.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('registry.example.com/ops/report:1.4.2');
  });

  test('the canary Pod: verdicts that depend on unknown values are withheld, the rest stand', async () => {
    const canary = byName(resources, 'kubernetes:core/v1:Pod', 'canary');
    expect(canary.inputs.spec.containers[0].image).toBe(UNKNOWN);
    const a = await analyze(policies, canary);
    const ids = violatedPolicies(a);
    for (const id of ['pss-run-as-non-root', 'image-digest', 'image-latest-tag', 'allowed-registries']) expect(ids).not.toContain(id);
    if (has('read-only-root-filesystem')) expect(ids).toContain('read-only-root-filesystem');
  });
});
