/**
 * The example policy pack (examples/pulumi-policy-pack), started as the Pulumi CLI starts
 * it — @pulumi/pulumi's run-policy-pack in a child process, the port read from its stdout —
 * and driven over gRPC with the resources the example program (examples/pulumi-app)
 * registers. Nothing of the pack runs in this process.
 *
 * KUBEHARDEN_PULUMI_MODULES names a node_modules folder with other @pulumi/pulumi and
 * @pulumi/policy versions to run the pack with (test/pulumi/newest/run.sh uses it).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AnalyzerClient, FakeEngine, loadStubs, RunningPack, startEngine, startPack, Stubs, WireResource } from './grpc-harness';
import { Captured, runProgram } from './harness';
import { Rules } from '../../lib';
import { FIXES, isSetLevelRule, kubehardenPolicies, UNKNOWN } from '../../lib/pulumi';
import { Layout, layOutExample, REPO } from '../examples/layout';

jest.mock('kubeharden', () => jest.requireActual('../../lib'), { virtual: true });

const APP = path.join(REPO, 'examples/pulumi-app/index.ts');
const MODULES = process.env.KUBEHARDEN_PULUMI_MODULES ?? path.join(REPO, 'node_modules');
const STACK = { organization: 'organization', project: 'kubeharden-example-app', stack: 'test', dryRun: false };
const PACK_VERSION = JSON.parse(fs.readFileSync(path.join(REPO, 'examples/pulumi-policy-pack/package.json'), 'utf8')).version;
// The example pack's own configuration (examples/pulumi-policy-pack/index.ts).
const ADVISORY_IN_PACK = ['cpu-limits', 'memory-requests'];

let layout: Layout;
let stubs: Stubs;
let engine: FakeEngine;
let pack: RunningPack;
let client: AnalyzerClient;
let resources: WireResource[];
let level: { ADVISORY: number; MANDATORY: number; REMEDIATE: number };

const wire = (r: Captured): WireResource => ({ type: r.type, name: r.name, urn: r.urn, properties: r.inputs, parent: r.parent });
const find = (type: string, name: RegExp | string) => {
  const r = resources.find((x) => x.type === type && (typeof name === 'string' ? x.name === name : name.test(x.name)));
  if (!r) throw new Error(`the example program registers no ${type} named ${name}`);
  return r;
};
const policiesOf = (a: { diagnostics: { policyName: string }[] }) => [...new Set(a.diagnostics.map((d) => d.policyName))].sort();
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

beforeAll(async () => {
  layout = layOutExample('pulumi-policy-pack', MODULES);
  stubs = loadStubs(layout.dir);
  level = stubs.analyzer.EnforcementLevel as any;
  engine = await startEngine(stubs);
  // The program as `pulumi up` runs it: auto-named resources have their names.
  resources = (await runProgram(APP, {
    preview: false,
    outputs: (_type, inputs) => ({ ...inputs, metadata: { ...(inputs.metadata ?? {}), name: inputs.metadata?.name ?? 'shop-4f2a1c' } }),
  })).map(wire);
  pack = await startPack(layout.dir, stubs, engine, STACK);
  client = pack.client;
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await engine?.close();
  layout?.remove();
});

test('the pack was started from its own node_modules and compiled by run-policy-pack without errors', () => {
  expect(fs.realpathSync(stubs.pulumiDir)).toBe(fs.realpathSync(path.join(MODULES, '@pulumi/pulumi')));
  expect(pack.port).toBeGreaterThan(0);
  expect(pack.output()).not.toMatch(/error TS\d+|Unhandled|failed with an unhandled exception/);
  expect(engine.logs.filter((l) => l.severity >= (stubs.engine.LogSeverity?.ERROR ?? 3))).toEqual([]);
});

test('GetPluginInfo returns the version of the pack\'s @pulumi/policy', async () => {
  const policyVersion = JSON.parse(fs.readFileSync(path.join(layout.dir, 'node_modules/@pulumi/policy/package.json'), 'utf8')).version;
  // The CLI parses it leniently (semver ParseTolerant): @pulumi/policy's package.json says "v1.21.0".
  const tolerant = (v: string) => v.replace(/^v/, '');
  expect(tolerant((await client.getPluginInfo()).version)).toBe(tolerant(policyVersion));
  expect(tolerant(policyVersion)).toMatch(/^\d+\.\d+\.\d+/);
});

test('GetAnalyzerInfo: the pack, its version, and one policy per rule, named by rule id', async () => {
  const info = await client.getAnalyzerInfo();
  expect(info.getName()).toBe('kubeharden');
  expect(info.getVersion()).toBe(PACK_VERSION);
  expect(info.getSupportsconfig()).toBe(true);
  const policies = info.getPoliciesList();
  const names = policies.map((p) => p.getName());
  const expected = kubehardenPolicies({
    profile: 'hardened',
    pssVersion: 'latest',
    excludeNamespaces: ['kube-system'],
    enforcementLevels: Object.fromEntries(ADVISORY_IN_PACK.map((id) => [id, 'advisory'])),
  }).map((p) => p.name);
  expect(names).toEqual(expected);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(['pss-privileged', 'pss-host-namespaces', 'rbac-wildcard', 'namespace-default-deny-network-policy']));
  const types = stubs.analyzer.PolicyType;
  for (const p of policies) {
    const rule = Rules.find(p.getName());
    expect(rule).toBeDefined();
    expect(rule!.metadata.profiles).toContain('hardened');
    expect(p.getDisplayname()).toBe(rule!.metadata.title);
    expect(p.getEnforcementlevel()).toBe(ADVISORY_IN_PACK.includes(p.getName()) ? level.ADVISORY : level.MANDATORY);
    expect(p.getPolicyType()).toBe(isSetLevelRule(rule!) ? types.POLICY_TYPE_STACK : types.POLICY_TYPE_RESOURCE);
  }
});

test('Analyze: the privileged Deployment is reported, mandatory, with the rule id as policy name', async () => {
  const legacy = find('kubernetes:apps/v1:Deployment', 'legacy-agent');
  expect(legacy.properties).toMatchObject({ spec: { template: { spec: { containers: [{ securityContext: { privileged: true } }] } } } });
  const a = await client.analyze(legacy);
  expect(policiesOf(a)).toEqual(expect.arrayContaining(['pss-privileged', 'pss-host-namespaces', 'pss-allow-privilege-escalation', 'image-latest-tag']));
  const privileged = a.diagnostics.find((d) => d.policyName === 'pss-privileged')!;
  expect(privileged).toMatchObject({ policyPackName: 'kubeharden', policyPackVersion: PACK_VERSION, enforcementLevel: level.MANDATORY });
  expect(privileged.message).toContain('[pss-privileged] Deployment ops/legacy-agent:');
  expect(privileged.message).toContain('privileged');
  for (const d of a.diagnostics) {
    expect(d.enforcementLevel).toBe(ADVISORY_IN_PACK.includes(d.policyName) ? level.ADVISORY : level.MANDATORY);
  }
  // policies of other kinds say why they do not apply
  expect(a.notApplicable.map((n) => n.policyName)).toContain('rbac-wildcard');
});

test('Analyze: the hardened Deployments pass', async () => {
  // The chart's Deployment (kubeharden's HardenedDeployment, deployed through a ConfigGroup) passes every policy.
  const chart = find('kubernetes:apps/v1:Deployment', /^storefront\/storefront-web-/);
  expect(chart.parent).toMatch(/kubernetes:yaml\/v2:ConfigGroup::storefront$/);
  const a = await client.analyze(chart);
  expect(a.diagnostics).toEqual([]);
  expect(a.notApplicable.map((n) => n.policyName)).not.toContain('pss-privileged');
  // The hand-hardened one passes every Pod Security Standards policy.
  const checkout = await client.analyze(find('kubernetes:apps/v1:Deployment', 'checkout'));
  expect(policiesOf(checkout).filter((p) => p.startsWith('pss-'))).toEqual([]);
  expect(policiesOf(checkout).length).toBeLessThan(3);
});

test('Analyze: the pack\'s excludeNamespaces holds over the wire; unknown values do not break a policy', async () => {
  const legacy = find('kubernetes:apps/v1:Deployment', 'legacy-agent');
  const system = clone(legacy) as any;
  system.properties.metadata.namespace = 'kube-system';
  expect((await client.analyze(system)).diagnostics.filter((d) => d.policyName.startsWith('pss-'))).toEqual([]);
  // A preview of an image that is an output of another resource: the engine sends the unknown sentinel.
  const preview = clone(legacy) as any;
  preview.properties.spec.template.spec.containers[0].image = UNKNOWN;
  const a = await client.analyze(preview);
  expect(policiesOf(a)).toContain('pss-privileged');
  expect(policiesOf(a)).not.toContain('image-latest-tag');
});

test('AnalyzeStack: the stack policies judge the whole stack and point at the resources', async () => {
  const a = await client.analyzeStack(resources);
  const stackPolicies = (await client.getAnalyzerInfo()).getPoliciesList()
    .filter((p) => p.getPolicyType() === stubs.analyzer.PolicyType.POLICY_TYPE_STACK).map((p) => p.getName());
  expect(a.diagnostics.length).toBeGreaterThan(0);
  for (const d of a.diagnostics) expect(stackPolicies).toContain(d.policyName);
  const urnsOf = (policy: string) => a.diagnostics.filter((d) => d.policyName === policy).map((d) => d.urn);
  // The ops workloads have no default-deny NetworkPolicy; the chart's namespace has one (the chart ships it).
  expect(urnsOf('namespace-default-deny-network-policy')).toContain(find('kubernetes:batch/v1:CronJob', 'nightly-report').urn);
  // The chart's ServiceAccount sets automountServiceAccountToken: false; the legacy agent mounts a token.
  expect(urnsOf('automount-service-account-token')).toContain(find('kubernetes:apps/v1:Deployment', 'legacy-agent').urn);
  expect(urnsOf('automount-service-account-token')).not.toContain(find('kubernetes:apps/v1:Deployment', /^storefront\/storefront-web-/).urn);
});

describe('Remediate (after Configure sets the fixable policies to remediate, as --policy-pack-config does)', () => {
  let fixable: string[];

  beforeAll(async () => {
    const info = await client.getAnalyzerInfo();
    const resourcePolicies = info.getPoliciesList()
      .filter((p) => p.getPolicyType() === stubs.analyzer.PolicyType.POLICY_TYPE_RESOURCE).map((p) => p.getName());
    fixable = FIXES.map((f) => f.ruleId).filter((id) => resourcePolicies.includes(id));
    expect(fixable.length).toBeGreaterThan(3);
    await client.configure(Object.fromEntries(fixable.map((id) => [id, { enforcementLevel: level.REMEDIATE }])));
  });

  test('the insecure CronJob comes back fixed, and the fixed properties pass the fixed policies', async () => {
    const cron = find('kubernetes:batch/v1:CronJob', 'nightly-report');
    const before = await client.analyze(cron);
    const violatedFixable = policiesOf(before).filter((p) => fixable.includes(p));
    expect(violatedFixable.length).toBeGreaterThan(2);

    const { remediations } = await client.remediate(cron);
    const names = remediations.map((r) => r.policyName);
    expect(names.length).toBeGreaterThan(0);
    for (const r of remediations) {
      expect(fixable).toContain(r.policyName);
      expect(r.diagnostic).toBe('');
      expect(r.properties).toBeDefined();
    }
    // Each remediation starts from the previous one's properties: the last one carries them all.
    const fixed = remediations[remediations.length - 1].properties as any;
    const pod = fixed.spec.jobTemplate.spec.template.spec;
    const originalPod = (cron.properties as any).spec.jobTemplate.spec.template.spec;
    expect(pod.containers.length).toBe(originalPod.containers.length);
    for (const [i, c] of pod.containers.entries()) {
      expect(c.image).toBe(originalPod.containers[i].image);
      if (names.includes('pss-allow-privilege-escalation')) expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      if (names.includes('pss-capabilities-restricted')) expect(c.securityContext.capabilities.drop).toContain('ALL');
      if (names.includes('read-only-root-filesystem')) expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    }
    if (names.includes('pss-seccomp-profile-restricted')) expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(names).toEqual(expect.arrayContaining(['pss-allow-privilege-escalation', 'pss-capabilities-restricted', 'pss-seccomp-profile-restricted']));

    // What the engine then analyzes: the remediated properties.
    const after = await client.analyze({ ...cron, properties: fixed });
    expect(policiesOf(after).filter((p) => names.includes(p))).toEqual([]);
    // A remediated policy that is still violated would be reported mandatory (never "remediate").
    for (const d of after.diagnostics) expect([level.ADVISORY, level.MANDATORY]).toContain(d.enforcementLevel);
    expect(after.diagnostics.length).toBeLessThan(before.diagnostics.length);
  });

  test('the privileged Deployment is remediated by the rules\' own fixes, as kubeharden fix would', async () => {
    const legacy = find('kubernetes:apps/v1:Deployment', 'legacy-agent');
    const { remediations } = await client.remediate(legacy);
    expect(remediations.length).toBeGreaterThan(0);
    const fixed = remediations[remediations.length - 1].properties as any;
    expect(fixed.spec.template.spec.hostNetwork).toBe(false);
    expect(fixed.spec.template.spec.containers[0].securityContext.privileged).toBe(false);
    const after = policiesOf(await client.analyze({ ...legacy, properties: fixed }));
    expect(after).not.toContain('pss-privileged');
    expect(after).not.toContain('pss-host-namespaces');
  });

  test('the hardened Deployment needs no remediation', async () => {
    const { remediations } = await client.remediate(find('kubernetes:apps/v1:Deployment', /^storefront\/storefront-web-/));
    expect(remediations).toEqual([]);
  });
});
