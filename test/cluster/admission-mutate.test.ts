/**
 * The MutatingAdmissionPolicies of `kubeharden admission --mutate`, on a real
 * kube-apiserver: the object the server admits after the policies' mutation is the object
 * `kubeharden fix` writes (with the same rules), both defaulted by the same server, over
 * the Pod Security Admission fixtures of the server's version and generated workloads of
 * every pod shape. `npm run test:cluster`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { Cluster, startCluster } from './harness';
import { inParallel, runKubeharden, updateObject } from './helpers';
import { AdmissionAction, AdmissionPolicySet, Engine, Profile } from '../../src';
import { psaFixtures } from '../fixtures/psa';
import { fixablePodObjects } from '../oracle/admission-objects';

jest.setTimeout(20 * 60_000);

/** A profile's mutating policies: where they mutate, and where they do not (excludeNamespaces). */
interface Setup {
  readonly profile: Profile;
  /** The Pod Security Standards version, when not the server's. */
  readonly pssVersion?: string;
  readonly mutated: string;
  readonly plain: string;
  engine: Engine;
  set: AdmissionPolicySet;
}
const SETUPS: Setup[] = [
  { profile: Profile.RESTRICTED, mutated: 'mutated', plain: 'plain' } as Setup,
  { profile: Profile.BASELINE, mutated: 'mutated-baseline', plain: 'plain-baseline' } as Setup,
  // before 1.25 the checks still applied to Windows pods, whose Linux-only fields the server refuses
  { profile: Profile.RESTRICTED, pssVersion: 'v1.24', mutated: 'mutated-v1-24', plain: 'plain-v1-24' } as Setup,
];
/** Every namespace of the tests, and the docs and update tests' own. */
const DOCS_NAMESPACE = 'docs-mutate';
const UPDATE_NAMESPACE = 'update-mutate';
const NAMESPACES = [...SETUPS.flatMap((s) => [s.mutated, s.plain]), DOCS_NAMESPACE, UPDATE_NAMESPACE];

let cluster: Cluster;

function inNamespace(object: any, namespace: string): any {
  const copy = JSON.parse(JSON.stringify(object));
  copy.metadata = { ...copy.metadata, namespace };
  return copy;
}

/**
 * What the server made of an object, without what differs by namespace or by request (the
 * ServiceAccount admission plugin names the token volume with a random suffix; a Job's
 * labels and selector carry its uid).
 */
function admitted(body: any): any {
  const copy = JSON.parse(JSON.stringify(body)
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-*')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'uid'));
  for (const k of ['namespace', 'uid', 'creationTimestamp', 'resourceVersion', 'managedFields', 'generation', 'selfLink']) delete copy.metadata?.[k];
  delete copy.status;
  // a Job that sets no labels of its own gets its template's: the API server's defaulting
  // shares the template's label map, so the controller-uid labels that the Job strategy adds
  // to the template appear in the Job's labels too, unless a mutation made a copy in between
  if (copy.kind === 'Job') delete copy.metadata.labels;
  return copy;
}

/** The paths where two JSON values differ, with both values (`-` when absent). */
function differences(a: any, b: any, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], `${at}/${k}`));
  }
  return [`${at}: mutated ${JSON.stringify(a) ?? '-'}, fixed ${JSON.stringify(b) ?? '-'}`];
}

async function dryRun(object: any, namespace: string) {
  return cluster.create(inNamespace(object, namespace), { dryRun: true, namespace, fieldValidation: 'Ignore' });
}

beforeAll(async () => {
  cluster = await startCluster();
  for (const setup of SETUPS) {
    const pssVersion = setup.pssVersion ?? `v1.${cluster.minor}`;
    setup.engine = new Engine({ profile: setup.profile, pssVersion, excludeNamespaces: NAMESPACES.filter((n) => n !== setup.mutated) });
    setup.set = setup.engine.admissionPolicies({ mutate: true, kubernetesVersion: `1.${cluster.minor}`, namePrefix: `kh-${setup.profile}-${pssVersion.replace('.', '-')}` });
  }
  await cluster.apply([
    ...NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    ...SETUPS.flatMap((setup) => setup.set.objects.filter((o) => o.kind.startsWith('MutatingAdmissionPolicy'))),
  ]);
  // policies and bindings take effect asynchronously, each on its own: wait until pods of
  // each shape that every fix changes come out as kubeharden fix writes them (one in the host
  // namespaces, one in a user namespace: a pod cannot be both)
  const hostPod = {
    hostPID: true,
    containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true, capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } } }],
  };
  const userNamespacePod = {
    hostUsers: false,
    securityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' } },
    containers: [{ name: 'c', image: 'nginx', securityContext: { procMount: 'Unmasked', appArmorProfile: { type: 'Unconfined' } } }],
  };
  const probeAnnotations = { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' };
  const probes = [hostPod, userNamespacePod].flatMap((pod) => {
    const template = { metadata: { labels: { app: 'probe' }, annotations: probeAnnotations }, spec: { ...pod, restartPolicy: 'Never' } };
    return [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', annotations: probeAnnotations }, spec: pod },
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'probe' }, template },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'probe' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'probe' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } } },
    ];
  });
  const deadline = Date.now() + 120_000;
  for (const setup of SETUPS) {
    for (const probe of probes) {
      for (;;) {
        const { mutated, expected } = await bothWays(setup, probe);
        const d = mutated.allowed && expected.allowed ? differences(admitted(mutated.body), admitted(expected.body)) : ['refused'];
        if (d.length === 0) break;
        if (Date.now() > deadline) throw new Error(`the ${setup.profile} MutatingAdmissionPolicies did not take effect for ${probe.kind}: ${d.join('; ')}`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
  }
}, 40 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** The object as the server admits it after the policies' mutation, and after kubeharden fix. */
async function bothWays(setup: Setup, object: any) {
  const fixed = setup.engine.fixObjects([object], { rules: setup.set.mutated }).objects[0];
  return { fixed, mutated: await dryRun(object, setup.mutated), expected: await dryRun(fixed.fixed, setup.plain) };
}

/** The objects whose admitted form after mutation differs from their admitted fixed form. */
async function compare(setup: Setup, objects: { label: string; object: any }[], minChanged: number): Promise<string[]> {
  const out: string[] = [];
  let judged = 0;
  let changed = 0;
  const results = await inParallel(objects, async ({ object }) => bothWays(setup, object));
  objects.forEach(({ label }, i) => {
    const { fixed, mutated, expected } = results[i];
    if (!mutated.allowed && !expected.allowed) return; // refused by the API's own validation either way
    if (mutated.allowed !== expected.allowed) {
      out.push(`${label}: ${mutated.allowed ? 'admitted' : `refused (${mutated.message})`} after mutation, ${expected.allowed ? 'admitted' : `refused (${expected.message})`} after kubeharden fix`);
      return;
    }
    judged++;
    if (fixed.changes.length > 0) changed++;
    const a = admitted(mutated.body);
    const b = admitted(expected.body);
    const d = differences(a, b);
    if (d.length) out.push(`${label}: ${d.slice(0, 4).join('; ')}`);
  });
  process.stderr.write(`mutation differential (${setup.profile}${setup.pssVersion ? ` ${setup.pssVersion}` : ''}): ${objects.length} objects, ${judged} admitted both ways, ${changed} of them changed by the fixes, ${out.length} differences\n`);
  expect(judged).toBeGreaterThan(Math.min(100, objects.length / 2));
  // the comparison means something only where there was something to fix
  expect(changed).toBeGreaterThan(minChanged * judged);
  return out;
}

test('the policies mutate with the fixes of each profile, and leave the others listed with a reason', () => {
  const [restricted, baseline, older] = SETUPS.map((x) => x.set);
  expect(older.mutated).toContain('pss-capabilities-restricted');
  expect([...restricted.mutated].sort()).toEqual(['pss-allow-privilege-escalation', 'pss-app-armor-profile', 'pss-capabilities-restricted', 'pss-host-namespaces', 'pss-host-ports',
    'pss-privileged', 'pss-proc-mount-restricted', 'pss-run-as-non-root', 'pss-seccomp-profile-restricted']);
  expect([...baseline.mutated].sort()).toEqual(['pss-app-armor-profile', 'pss-capabilities-baseline', 'pss-host-namespaces', 'pss-host-ports', 'pss-privileged', 'pss-proc-mount', 'pss-seccomp-profile-baseline']);
  for (const n of [...restricted.notMutated, ...baseline.notMutated]) expect(n.reason.length).toBeGreaterThan(10);
});

describe.each(SETUPS.map((x) => [`${x.profile}${x.pssVersion ? ` ${x.pssVersion}` : ''}`, x] as const))('the %s profile', (_profile, setup) => {
  test('over the Pod Security Admission fixtures of the server\'s version, the mutated object is the fixed object', async () => {
    const fixtures = psaFixtures().filter((f) => f.version === `v1.${cluster.minor}`);
    expect(fixtures.length).toBeGreaterThan(100);
    const objects = fixtures.flatMap((f) => parseAllDocuments(fs.readFileSync(f.file, 'utf8')).map((d) => ({ label: `${f.level}/${f.outcome}/${f.name}`, object: d.toJSON() })));
    // most fixtures pass the baseline level: few have something to fix there
    expect(await compare(setup, objects, 0.1)).toEqual([]);
  });

  test('a large pod (30 containers of 20 ports, every fix needed) stays within the CEL cost budget and comes out fixed', async () => {
    const containers = Array.from({ length: 30 }, (_, i) => ({
      name: `c${i}`,
      image: 'nginx:1.27',
      ports: Array.from({ length: 20 }, (_x, j) => ({ containerPort: 1000 + i * 20 + j, hostPort: 1000 + i * 20 + j })),
      securityContext: { privileged: i % 2 === 0, capabilities: { add: ['NET_RAW', 'CHOWN', 'SYS_ADMIN'] }, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' } },
    }));
    const annotations = Object.fromEntries(containers.map((c) => [`container.apparmor.security.beta.kubernetes.io/${c.name}`, 'unconfined']));
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'large' },
      spec: { selector: { matchLabels: { app: 'large' } }, template: { metadata: { labels: { app: 'large' }, annotations }, spec: { hostIPC: true, containers } } },
    };
    expect(await compare(setup, [{ label: 'large Deployment', object: deployment }], 0.5)).toEqual([]);
  });

  test('over generated workloads of every pod shape, the mutated object is the fixed object', async () => {
    const generated = fc.sample(fixablePodObjects, { numRuns: 1200, seed: 4242 });
    expect(await compare(setup, generated.map((object, i) => ({ label: `generated #${i} ${JSON.stringify(object)}`, object })), 0.5)).toEqual([]);
  });
});

test('a reasoned suppression keeps its field; an excluded namespace is not mutated', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', annotations: { 'ignore.kubeharden.io/pss-privileged': 'the node agent needs the host devices' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }] },
  };
  const [{ mutated: MUTATED, plain: PLAIN }] = SETUPS;
  const r = await dryRun(pod, MUTATED);
  expect(r.allowed).toBe(true);
  expect(r.body.spec.containers[0].securityContext.privileged).toBe(true);
  // the other fixes still apply (privilege escalation stays: a privileged container cannot turn it off)
  expect(r.body.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  expect(r.body.spec.containers[0].securityContext.allowPrivilegeEscalation).toBeUndefined();
  const plain = await dryRun(pod, PLAIN);
  expect(plain.body.spec.securityContext ?? {}).toEqual({});
});

test('docs/admission.md: the --mutate block works as written', async () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'admission.md'), 'utf8');
  const marker = doc.indexOf('<!-- kubeharden:admission-mutate -->');
  expect(marker).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(marker))![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-mutate-'));
  const ns = DOCS_NAMESPACE;
  let applied = 0;
  try {
    for (const line of block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
      const words = line.split(/\s+/);
      if (words[0] === 'kubeharden') {
        // the docs' policies, for this test's namespace only (the other tests' namespaces keep theirs)
        const argv = [...words.slice(1), '--exclude-namespace', [...NAMESPACES.filter((n) => n !== ns), 'default', 'kube-system', 'kube-public', 'kube-node-lease'].join(',')];
        expect({ line, ...(await runKubeharden(argv, dir)) }).toEqual({ line, code: 0, err: '' });
      } else if (words[0] === 'kubectl' && words[1] === 'apply') {
        await cluster.apply(parseAllDocuments(fs.readFileSync(path.join(dir, words[words.length - 1]), 'utf8')).map((d) => d.toJSON()).filter((o) => o));
        applied++;
      } else {
        throw new Error(`docs/admission.md: a line the test does not know how to run: ${line}`);
      }
    }
    expect(applied).toBe(1);
    // a plain pod comes out restricted once the policies are in effect (they take effect asynchronously)
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'plain', namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
    const deadline = Date.now() + 120_000;
    let findings: string[] = [];
    for (;;) {
      // (the validating policies of the same file deny it until the mutating ones are in effect)
      const r = await cluster.create(pod, { dryRun: true, namespace: ns });
      findings = r.allowed ? new Engine({ profile: Profile.RESTRICTED, pssVersion: `v1.${cluster.minor}` }).checkObjects([r.body]).findings.map((f) => f.ruleId) : [`refused: ${r.message}`];
      if (findings.length === 0 || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(findings).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('objects made before the policies: a Pod\'s update is not mutated (its security fields are immutable), a Deployment\'s is', async () => {
  const ns = UPDATE_NAMESPACE;
  const container = { name: 'app', image: 'nginx:1.27' };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'old', namespace: ns }, spec: { containers: [container] } };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'old', namespace: ns },
    spec: { selector: { matchLabels: { app: 'old' } }, template: { metadata: { labels: { app: 'old' } }, spec: { containers: [container] } } },
  };
  expect((await cluster.create(pod, { namespace: ns })).status).toBe(201);
  expect((await cluster.create(deployment, { namespace: ns })).status).toBe(201);
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'old', namespace: ns }, spec: { suspend: true, template: { spec: { containers: [container], restartPolicy: 'Never' } } } };
  expect((await cluster.create(job, { namespace: ns })).status).toBe(201);
  // now the policies, warning (so that the unfixed pod's update is judged, not refused)
  const engine = new Engine({ profile: Profile.RESTRICTED, pssVersion: `v1.${cluster.minor}`, excludeNamespaces: NAMESPACES.filter((n) => n !== ns) });
  const set = engine.admissionPolicies({ mutate: true, action: AdmissionAction.WARN, kubernetesVersion: `1.${cluster.minor}`, namePrefix: 'kh-update' });
  await cluster.apply(set.objects);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const probe = await cluster.create({ ...pod, metadata: { name: 'probe', namespace: ns } }, { dryRun: true, namespace: ns });
    if (probe.allowed && probe.body.spec.securityContext?.seccompProfile?.type === 'RuntimeDefault' && probe.body.spec.containers[0].securityContext?.allowPrivilegeEscalation === false) break;
    if (Date.now() > deadline) throw new Error(`the policies did not take effect: ${probe.status} ${probe.message}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  await new Promise((res) => setTimeout(res, 2000));

  const updated = await updateObject(cluster, `/api/v1/namespaces/${ns}/pods/old`, (o) => { o.spec.containers[0].image = 'nginx:1.28'; });
  expect(updated.status).toBe(200);
  expect(updated.body.spec.containers[0].image).toBe('nginx:1.28');
  expect(updated.body.spec.containers[0].securityContext).toBeUndefined();
  expect(updated.warnings.join('\n')).toContain('pss-allow-privilege-escalation');

  // a Job's template cannot change: its update (here the parallelism) is not mutated
  const rescaled = await updateObject(cluster, `/apis/batch/v1/namespaces/${ns}/jobs/old`, (o) => { o.spec.parallelism = 2; });
  expect(rescaled.status).toBe(200);
  expect(rescaled.body.spec.template.spec.containers[0].securityContext).toBeUndefined();

  const deploymentPath = `/apis/apps/v1/namespaces/${ns}/deployments/old`;
  // scaling changes no pod: not mutated (a mutated template would roll the pods out)
  const scaledAnswer = await updateObject(cluster, deploymentPath, (o) => { o.spec.replicas = 3; });
  expect(scaledAnswer.status).toBe(200);
  expect(scaledAnswer.body.spec.template.spec.containers[0].securityContext).toBeUndefined();
  const rolled = await updateObject(cluster, deploymentPath, (o) => { o.spec.template.spec.containers[0].image = 'nginx:1.28'; });
  expect(rolled.status).toBe(200);
  const fixed = engine.fixObjects([deployment], { rules: set.mutated }).objects[0].fixed;
  expect(rolled.body.spec.template.spec.securityContext).toEqual(fixed.spec.template.spec.securityContext);
  expect(rolled.body.spec.template.spec.containers[0].securityContext).toEqual(fixed.spec.template.spec.containers[0].securityContext);
});

test('a hostNetwork pod whose host ports are accepted with a reason leaves the host network and keeps the ports the server filled in', async () => {
  // documented in docs/admission.md: the API server fills in hostPort from containerPort in a
  // hostNetwork pod before any admission policy runs; those cannot be told from written ones,
  // and a suppressed rule's fields are not touched
  const [{ mutated: MUTATED }] = SETUPS;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', annotations: { 'ignore.kubeharden.io/pss-host-ports': 'the node agent serves metrics on its port' } },
    spec: { hostNetwork: true, containers: [{ name: 'agent', image: 'agent:1', ports: [{ containerPort: 9100 }] }] },
  };
  const r = await dryRun(pod, MUTATED);
  expect(r.allowed).toBe(true);
  expect(r.body.spec.hostNetwork ?? false).toBe(false); // (false is left out of the answer)
  expect(r.body.spec.containers[0].ports[0].hostPort).toBe(9100);
});
