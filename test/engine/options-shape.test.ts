/**
 * One options shape: the Engine, a Guard on a chart, the cdk8s validation plugin (called
 * as cdk8s-cli calls it), the Pulumi policies and `kubeharden check --config` take the
 * same options object and give the same verdict on the same objects; each refuses an
 * unknown key and an unknown rule id with the closest name.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { CheckOptions, Engine, Profile, Reports, Severity } from '../../src';
import { Guard, IValidationContext, KubehardenValidation, ValidationViolation } from '../../src/constructs';
import { kubehardenPolicies } from '../../src/pulumi';
import { runCli } from '../cli/helpers';
import { analyze, analyzeStack, Captured, tokenOf } from '../pulumi/harness';

/** Every field of the shape, each one changing the verdict below. */
const OPTIONS: CheckOptions = {
  profile: Profile.HARDENED,
  pssVersion: 'v1.30',
  failOn: Severity.HIGH,
  excludeNamespaces: ['legacy'],
  excludeBuiltinRbac: true,
  rules: {
    'pss-privileged': { severity: Severity.MEDIUM }, // below failOn
    'pss-host-namespaces': false,
    'image-latest-tag': { enabled: false },
    'allowed-registries': { options: { registries: ['registry.example.com/'] } },
  },
  podTemplates: [{ apiVersion: 'ci.example.com/*', kind: 'Runner', paths: ['spec.pools[*].pod'] }],
};

const digest = (c: string) => `@sha256:${c.repeat(64)}`;
const container = (image: string, securityContext: any = {}) => ({
  name: 'c',
  image,
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    ...securityContext,
  },
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
});
const podSpec = (c: any, extra: any = {}) => ({
  automountServiceAccountToken: false, serviceAccountName: 'app', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [c], ...extra,
});
const pod = (name: string, namespace: string, spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec });
const BOOTSTRAP = { annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' }, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, name: 'cluster-admin' };

/** What passes with OPTIONS, and fails without each of them. */
const PASSING = [
  // privileged (demoted below failOn) on the host network (rule disabled)
  pod('agent', 'shop', podSpec(container(`registry.example.com/agent${digest('b')}`, { privileged: true }), { hostNetwork: true })),
  // everything wrong, in an excluded namespace
  pod('legacy-agent', 'legacy', podSpec(container('docker.io/agent:latest', { privileged: true }))),
  // Kubernetes' own cluster-admin role and binding, exactly as the bootstrap policy has them
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: BOOTSTRAP,
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: BOOTSTRAP,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  },
];
/** What fails with OPTIONS: an image from a registry the rule options do not allow, a socket mount in a declared pod template. */
const FAILING = [
  pod('web', 'shop', podSpec(container(`docker.io/library/nginx${digest('a')}`))),
  {
    apiVersion: 'ci.example.com/v1',
    kind: 'Runner',
    metadata: { name: 'ci-runner', namespace: 'shop' },
    spec: { pools: [{ pod: { spec: podSpec(container(`registry.example.com/runner${digest('c')}`), { volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }) } }] },
  },
];
const ALL = [...PASSING, ...FAILING];
const VERDICT = ['allowed-registries web', 'container-runtime-socket ci-runner', 'pss-restricted-volumes ci-runner'];

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `kh-shape-${prefix}-`));
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

function engineVerdict(objects: any[], options: any): string[] {
  const engine = new Engine(options);
  return sorted(Reports.findingsAtOrAbove(engine.checkObjects(objects), engine.failOn).map((f) => `${f.ruleId} ${f.object.name}`));
}

function chartOf(objects: any[], options: any): Chart {
  const chart = new Chart(Testing.app(), 'shape');
  Guard.of(chart, options);
  objects.forEach((o, i) => {
    const { apiVersion, kind, metadata, ...rest } = o;
    new ApiObject(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
  });
  return chart;
}

/** The Guard's verdict: the finding lines of its synth validation (and whether synth throws). */
function guardVerdict(objects: any[], options: any): string[] {
  const chart = chartOf(objects, options);
  const lines = Guard.of(chart).violations();
  const verdict = sorted(lines.filter((l) => l.startsWith('[')).map((l) => {
    const m = /^\[\w+\] (\S+) \S+ (?:[^\s/]+\/)?([^\s:]+)/.exec(l);
    return `${m![1]} ${m![2]}`;
  }));
  if (verdict.length > 0) expect(() => Testing.synth(chart)).toThrow(/kubeharden hardened profile/);
  else expect(() => Testing.synth(chart)).not.toThrow();
  return verdict;
}

function manifest(objects: any[]): string {
  const dir = tmp('manifest');
  const file = path.join(dir, 'shape.k8s.yaml');
  fs.writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  return file;
}

/** The plugin's verdict, with a context as cdk8s-cli builds it (violations refused after submit). */
async function pluginVerdict(objects: any[], props: any): Promise<string[]> {
  const violations: ValidationViolation[] = [];
  let status: string | undefined;
  const context: IValidationContext = {
    manifests: [manifest(objects)],
    report: {
      addViolation: (v) => {
        if (status) throw new Error('Violations cannot be added to report after its submitted');
        violations.push(v);
      },
      submit: (s) => { status = s; },
    },
    logger: { log: (m) => { throw new Error(`unexpected log: ${m}`); } },
  };
  await new KubehardenValidation(props).validate(context);
  const verdict = sorted(violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName.split(' ')[0]} ${r.resourceName}`)));
  expect(status).toBe(verdict.length > 0 ? 'failure' : 'success');
  return verdict;
}

/**
 * The Pulumi verdict: the violations of the policies that block (a policy without a level
 * of its own has the pack's, here mandatory; advisory ones report and do not block),
 * from their validateResource and validateStack functions.
 */
async function pulumiVerdict(objects: any[], options: any): Promise<string[]> {
  const policies = kubehardenPolicies(options);
  const blocking = new Set(policies.filter((p) => (p.enforcementLevel ?? 'mandatory') === 'mandatory').map((p) => p.name));
  const resources: Captured[] = objects.map((o) => ({
    type: tokenOf(o), name: o.metadata.name, urn: `urn:pulumi:test::shape::${tokenOf(o)}::${o.metadata.name}`, inputs: o,
  }));
  const names = new Map(resources.map((r) => [r.urn, r.name]));
  const violations = [...(await analyzeStack(policies, resources)).violations];
  for (const r of resources) violations.push(...(await analyze(policies, r)).violations);
  return sorted(violations.filter((v) => blocking.has(v.policy)).map((v) => `${v.policy} ${names.get(v.urn!) ?? '<stack>'}`));
}

/** The CLI's verdict with the options as its configuration file (JSON is one of its forms). */
async function cliVerdict(objects: any[], options: any): Promise<string[]> {
  const dir = tmp('cli');
  const config = path.join(dir, 'kubeharden.config.json');
  fs.writeFileSync(config, JSON.stringify(options));
  const r = await runCli(['check', manifest(objects), '--config', config, '--format', 'json'], { cwd: dir });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout);
  const failOn = options.failOn ?? Severity.LOW;
  const verdict = sorted(report.findings.filter((f: any) => !f.suppressed && Reports.severityAtOrAbove(f.severity, failOn)).map((f: any) => `${f.ruleId} ${f.object.name}`));
  expect(r.code).toBe(verdict.length > 0 ? 1 : 0);
  return verdict;
}

const ENTRY_POINTS: Array<[string, (objects: any[], options: any) => string[] | Promise<string[]>]> = [
  ['Engine', engineVerdict],
  ['Guard', guardVerdict],
  ['KubehardenValidation', pluginVerdict],
  ['kubehardenPolicies', pulumiVerdict],
  ['kubeharden check --config', cliVerdict],
];

describe.each(ENTRY_POINTS)('%s', (_name, verdictOf) => {
  test('takes the options object and gives the same verdict', async () => {
    expect(await verdictOf(ALL, OPTIONS)).toEqual(VERDICT);
    expect(await verdictOf(PASSING, OPTIONS)).toEqual([]);
  });

  test('without the options, the same objects get another verdict (every option counted)', async () => {
    const without = await verdictOf(ALL, { profile: Profile.HARDENED, failOn: Severity.HIGH });
    // privileged and host network count again, the excluded namespace and the built-in RBAC are judged,
    // the Runner is not known (its pods are not judged), and any registry is allowed
    expect(without).toEqual(expect.arrayContaining([
      'pss-privileged agent', 'pss-host-namespaces agent', 'pss-privileged legacy-agent', 'image-latest-tag legacy-agent', 'rbac-cluster-admin-binding cluster-admin',
    ]));
    expect(without).not.toEqual(expect.arrayContaining(['allowed-registries web']));
    expect(without.filter((v) => v.endsWith(' ci-runner'))).toEqual([]);
  });

  test('refuses an unknown key, with the closest name', async () => {
    const bad = { ...OPTIONS, excludeNamespace: ['legacy'] };
    await expect(async () => verdictOf(ALL, bad)).rejects.toThrow(/excludeNamespace: unknown key; did you mean excludeNamespaces\?/);
  });

  test('refuses an unknown rule id, with the closest id', async () => {
    const bad = { ...OPTIONS, rules: { ...OPTIONS.rules, 'pss-privilegd': { severity: Severity.LOW } } };
    await expect(async () => verdictOf(ALL, bad)).rejects.toThrow(/rules\.pss-privilegd: unknown rule; did you mean pss-privileged\?/);
  });

  test('refuses an option a rule does not declare, naming what it accepts', async () => {
    const bad = { ...OPTIONS, rules: { 'allowed-registries': { options: { registry: ['registry.example.com/'] } } } };
    await expect(async () => verdictOf(ALL, bad)).rejects.toThrow(/rules\.allowed-registries\.options\.registry: unknown option; allowed-registries accepts registries/);
  });
});

/** The CLI refuses by exit code 2 and standard error: turn that into the error the others throw. */
async function cliRefusal(options: any): Promise<string> {
  const dir = tmp('cli-bad');
  const config = path.join(dir, 'kubeharden.config.yaml');
  // YAML this time, to check the located message: key on line 2
  fs.writeFileSync(config, `profile: hardened\n${Object.keys(options).filter((k) => k !== 'profile').map((k) => `${k}: ${JSON.stringify(options[k])}`).join('\n')}\n`);
  const r = await runCli(['check', manifest(ALL), '--config', config], { cwd: dir });
  expect(r.code).toBe(2);
  return r.stderr;
}

test('kubeharden check locates the refused key in the file', async () => {
  expect(await cliRefusal({ excludeNamespace: ['legacy'] })).toMatch(/kubeharden\.config\.yaml:2:1: excludeNamespace: unknown key; did you mean excludeNamespaces\?/);
  expect(await cliRefusal({ rules: { 'pss-privilegd': false } })).toMatch(/kubeharden\.config\.yaml:2:\d+: rules\.pss-privilegd: unknown rule; did you mean pss-privileged\?/);
});

describe('configFile (Guard, KubehardenValidation, kubehardenPolicies)', () => {
  const dir = tmp('config-file');
  const file = path.join(dir, 'kubeharden.config.yaml');
  // the same options, as YAML (the enum values are their names)
  fs.writeFileSync(file, [
    'profile: hardened',
    'pssVersion: "v1.30"',
    'failOn: high',
    'excludeNamespaces: [legacy]',
    'excludeBuiltinRbac: true',
    'rules:',
    '  pss-privileged: {severity: medium}',
    '  pss-host-namespaces: false',
    '  image-latest-tag: {enabled: false}',
    '  allowed-registries: {options: {registries: [registry.example.com/]}}',
    'podTemplates:',
    '  - {apiVersion: ci.example.com/*, kind: Runner, paths: ["spec.pools[*].pod"]}',
    '',
  ].join('\n'));

  /** Runs with the working directory set to the config's directory, as cdk8s-cli runs plugins and the app. */
  async function inDir<T>(run: () => T | Promise<T>): Promise<T> {
    const previous = process.cwd();
    process.chdir(dir);
    try {
      return await run();
    } finally {
      process.chdir(previous);
    }
  }

  test.each([
    ['Guard', guardVerdict],
    ['KubehardenValidation', pluginVerdict],
    ['kubehardenPolicies', pulumiVerdict],
  ] as Array<[string, (o: any[], p: any) => string[] | Promise<string[]>]>)('%s reads the file, relative to the working directory', async (_name, verdictOf) => {
    expect(await inDir(() => verdictOf(ALL, { configFile: 'kubeharden.config.yaml' }))).toEqual(VERDICT);
    expect(await verdictOf(ALL, { configFile: file })).toEqual(VERDICT);
    // explicit options win over the file, as flags do
    expect(await verdictOf(ALL, { configFile: file, failOn: Severity.CRITICAL })).toEqual(['container-runtime-socket ci-runner']);
    expect(await verdictOf(ALL, { configFile: file, rules: { 'pss-privileged': { severity: Severity.CRITICAL } } }))
      .toEqual(sorted([...VERDICT, 'pss-privileged agent']));
    // lists add up
    expect(await verdictOf(ALL, { configFile: file, excludeNamespaces: ['shop'] })).toEqual([]);
  });

  test('a bad file is refused with its line and column; a missing one is named', () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'profile: hardened\nrules:\n  pss-privilegd: false\n');
    const chart = new Chart(Testing.app(), 'c');
    expect(() => Guard.of(chart, { configFile: bad })).toThrow(/^Guard options: configFile: .*bad\.yaml:3:3: rules\.pss-privilegd: unknown rule; did you mean pss-privileged\?$/);
    // refused before the Guard joins the chart: a later Guard.of is not handed a broken one
    expect(chart.node.tryFindChild('kubeharden-guard')).toBeUndefined();
    expect(() => new KubehardenValidation({ configFile: bad })).toThrow(/^kubeharden validation properties: configFile: .*bad\.yaml:3:3: rules\.pss-privilegd: unknown rule/);
    expect(() => kubehardenPolicies({ configFile: bad })).toThrow(/^kubehardenPolicies options: configFile: .*bad\.yaml:3:3: rules\.pss-privilegd: unknown rule/);
    expect(() => new KubehardenValidation({ configFile: path.join(dir, 'none.yaml') })).toThrow(/configFile: .*none\.yaml:0:0: cannot read configuration: no such file/);
  });
});

describe('the options in code are checked like the file', () => {
  test('every problem is named, one line each, without the values', () => {
    const secretish = 'hunter2-not-a-profile';
    let message = '';
    try {
      new Engine({ profile: secretish as Profile, failOn: 'urgent' as Severity, excludeNamespaces: 'legacy' as any, colour: true } as any);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Engine options: colour: unknown key; expected one of profile, pssVersion, failOn, excludeNamespaces, excludeBuiltinRbac, rules, podTemplates, catalog, maxInputBytes',
      'Engine options: profile: unknown profile; expected baseline, restricted or hardened',
      'Engine options: failOn: expected one of critical, high, medium, low',
      'Engine options: excludeNamespaces: expected a list of namespace names',
    ]);
    expect(message).not.toContain(secretish);
  });

  test('the deprecated names still work, and are checked as strictly', () => {
    const legacy = {
      profile: Profile.HARDENED,
      pssVersion: 'v1.30',
      failOn: Severity.HIGH,
      excludeNamespaces: ['legacy'],
      excludeBuiltinRbac: true,
      disabledRules: ['pss-host-namespaces', 'image-latest-tag'],
      severities: { 'pss-privileged': Severity.MEDIUM },
      ruleOptions: { 'allowed-registries': { registries: ['registry.example.com/'] } },
      podTemplates: OPTIONS.podTemplates,
    };
    expect(engineVerdict(ALL, legacy)).toEqual(VERDICT);
    expect(guardVerdict(ALL, legacy)).toEqual(VERDICT);
    expect(() => new Engine({ disabledRules: ['pss-privilegd'] })).toThrow(/disabledRules\[0\]: unknown rule; did you mean pss-privileged\?/);
    expect(() => Guard.of(new Chart(Testing.app(), 'c'), { severities: { 'pss-privilegd': Severity.LOW } })).toThrow(/severities\.pss-privilegd: unknown rule; did you mean pss-privileged\?/);
    // the plugin only ever took disabledRules
    expect(() => new KubehardenValidation({ disabledRules: ['pss-privileged'] })).not.toThrow();
    expect(() => new KubehardenValidation({ severities: {} } as any)).toThrow(/severities: unknown key; did you mean rules\?|severities: unknown key/);
  });

  test('kubehardenPolicies checks its own keys too', () => {
    expect(() => kubehardenPolicies({ enforcementLevels: { 'pss-privilegd': 'advisory' } })).toThrow(/enforcementLevels\.pss-privilegd: unknown rule; did you mean pss-privileged\?/);
    expect(() => kubehardenPolicies({ enforcementLevel: 'blocking' as any })).toThrow(/enforcementLevel: expected one of advisory, mandatory, remediate, disabled/);
    expect(() => kubehardenPolicies({ enforcementLevl: 'advisory' } as any)).toThrow(/enforcementLevl: unknown key; did you mean enforcementLevel\?/);
  });

  test('failOn makes the Pulumi policies below it advisory, unless a level is given for the rule', () => {
    const policies = kubehardenPolicies({ ...OPTIONS, enforcementLevels: { 'cpu-limits': 'mandatory' } } as any);
    const level = (id: string) => policies.find((p) => p.name === id)!.enforcementLevel;
    expect(level('pss-privileged')).toBe('advisory'); // demoted to medium
    expect(level('memory-limits')).toBe('advisory'); // medium
    expect(level('cpu-limits')).toBe('mandatory');
    expect(level('container-runtime-socket')).toBeUndefined(); // the pack's level
    expect(policies.find((p) => p.name === 'pss-host-namespaces')).toBeUndefined();
    expect(kubehardenPolicies({ profile: 'baseline' }).every((p) => p.enforcementLevel === undefined)).toBe(true);
  });
});
