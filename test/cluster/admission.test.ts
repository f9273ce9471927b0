/**
 * The policies `kubeharden admission` writes, on a real kube-apiserver: they are accepted
 * and type-check clean against the server's own schemas, and the server warns about (or
 * denies) exactly what `kubeharden check` reports, over the Pod Security Admission
 * fixtures of the server's version, the repository's example manifests and generated
 * objects. Also runs the rollout of docs/admission.md (warn, then deny).
 * `npm run test:cluster`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { Cluster, startCluster } from './harness';
import { inParallel, runKubeharden } from './helpers';
import { AdmissionAction, AdmissionPolicySet, Engine, Profile } from '../../src';
import { otherObjects, podObjects, sealedSecrets } from '../oracle/admission-objects';
import { psaFixtures } from '../fixtures/psa';

jest.setTimeout(20 * 60_000);

/** The namespaces the two policy sets leave to each other. */
const WARNED = 'apps';
const ENFORCED = 'enforced';

let cluster: Cluster;
let pssVersion: string;
let warnSet: AdmissionPolicySet;
let denySet: AdmissionPolicySet;
let warnEngine: Engine;
const ruleOfPolicy = new Map<string, string>();

const RULES = { 'allowed-registries': { options: { registries: ['registry.example.com', 'ghcr.io/acme'] } } };

/** The rule ids named in an answer's warnings (`… ValidatingAdmissionPolicy 'name' with binding …`). */
function warnedRules(warnings: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of warnings) {
    const m = /ValidatingAdmissionPolicy '([^']+)'/.exec(w);
    if (m && ruleOfPolicy.has(m[1])) out.add(ruleOfPolicy.get(m[1])!);
  }
  return out;
}

beforeAll(async () => {
  cluster = await startCluster();
  pssVersion = `v1.${cluster.minor}`;
  warnEngine = new Engine({ profile: Profile.HARDENED, pssVersion, rules: RULES, excludeNamespaces: [ENFORCED] });
  warnSet = warnEngine.admissionPolicies({ action: AdmissionAction.WARN, namePrefix: 'kh-warn' });
  denySet = new Engine({ profile: Profile.BASELINE, pssVersion, excludeNamespaces: [WARNED] })
    .admissionPolicies({ action: AdmissionAction.DENY, namePrefix: 'kh-deny' });
  for (const o of warnSet.objects) if (o.kind === 'ValidatingAdmissionPolicy') ruleOfPolicy.set(o.metadata.name, o.metadata.labels['kubeharden.io/rule']);
  await cluster.apply([
    // the Sealed Secrets controller's CRD: the SealedSecret policies match its resource and type-check against its schema
    parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'crds', 'sealedsecrets.bitnami.com.yaml'), 'utf8')),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: WARNED } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ENFORCED } },
    ...warnSet.objects,
    ...denySet.objects,
  ]);
  const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe', namespace: ENFORCED }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } };
  await cluster.waitForPolicy('kh-deny-pss-privileged-pods', privileged, { timeoutMs: 120_000 });
}, 40 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

test('the server accepts every policy, and its own type checking finds nothing', async () => {
  const list = await cluster.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies');
  expect(list.status).toBe(200);
  const ours = list.body.items.filter((p: any) => p.metadata.name.startsWith('kh-'));
  const count = (set: AdmissionPolicySet) => set.objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy').length;
  expect(ours.length).toBe(count(warnSet) + count(denySet));
  // the status controller writes typeChecking once it has checked a policy
  const deadline = Date.now() + 120_000;
  let unchecked = ours.length;
  let warned: string[] = [];
  while (Date.now() < deadline) {
    const now = (await cluster.request('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies')).body.items
      .filter((p: any) => p.metadata.name.startsWith('kh-'));
    unchecked = now.filter((p: any) => p.status?.observedGeneration !== p.metadata.generation).length;
    warned = now.flatMap((p: any) => (p.status?.typeChecking?.expressionWarnings ?? []).map((w: any) => `${p.metadata.name}: ${w.fieldRef}: ${w.warning}`));
    if (unchecked === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(unchecked).toBe(0);
  expect(warned).toEqual([]);
});

/** How many times each rule warned in the last comparison. */
let lastWarned = new Map<string, number>();

/** Warnings of a dry-run create in the warned namespace, against what the engine reports. */
async function compare(objects: { label: string; object: any }[]): Promise<string[]> {
  lastWarned = new Map();
  const enforced = new Set(warnSet.enforced);
  const results = await inParallel(objects, async ({ object }) => {
    const namespaced = !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume'].includes(object.kind);
    const copy = JSON.parse(JSON.stringify(object));
    if (namespaced) copy.metadata = { ...copy.metadata, namespace: WARNED };
    return { copy, result: await cluster.create(copy, { dryRun: true, namespace: namespaced ? WARNED : undefined, fieldValidation: 'Ignore' }) };
  });
  const out: string[] = [];
  let judged = 0;
  objects.forEach(({ label }, i) => {
    const { copy, result } = results[i];
    if (!result.allowed) return; // refused by the API's own validation: no cluster runs it
    judged++;
    const server = warnedRules(result.warnings);
    for (const r of server) lastWarned.set(r, (lastWarned.get(r) ?? 0) + 1);
    const engine = new Set(warnEngine.checkObjects([copy]).findings.filter((f) => !f.suppressed && enforced.has(f.ruleId)).map((f) => f.ruleId));
    const onlyServer = [...server].filter((r) => !engine.has(r));
    const onlyEngine = [...engine].filter((r) => !server.has(r));
    if (onlyServer.length || onlyEngine.length) out.push(`${label}: server only ${onlyServer.join(',') || '-'}; engine only ${onlyEngine.join(',') || '-'}`);
  });
  // many generated objects are refused by the API's own validation (a Windows pod with Linux fields, …)
  expect(judged).toBeGreaterThan(Math.min(100, objects.length / 2));
  return out;
}

test('over the Pod Security Admission fixtures of the server\'s version, the server warns about exactly what check reports', async () => {
  const fixtures = psaFixtures().filter((f) => f.version === pssVersion);
  expect(fixtures.length).toBeGreaterThan(100);
  const objects = fixtures.flatMap((f) => parseAllDocuments(fs.readFileSync(f.file, 'utf8')).map((d) => ({ label: `${f.level}/${f.outcome}/${f.name}`, object: d.toJSON() })));
  expect(await compare(objects)).toEqual([]);
});

test('over generated workloads, RBAC objects, Services, Ingresses and Namespaces, the server warns about exactly what check reports', async () => {
  const generated = fc.sample(fc.oneof({ weight: 3, arbitrary: podObjects }, { weight: 2, arbitrary: otherObjects }), { numRuns: 1500, seed: 1337 });
  expect(await compare(generated.map((object, i) => ({ label: `generated #${i} ${JSON.stringify(object)}`, object })))).toEqual([]);
});

test('over generated SealedSecrets (a custom resource, with its CRD installed), the server warns about exactly what check reports', async () => {
  const generated = fc.sample(sealedSecrets, { numRuns: 300, seed: 1338 });
  expect(await compare(generated.map((object, i) => ({ label: `generated SealedSecret #${i} ${JSON.stringify(object)}`, object })))).toEqual([]);
  const sealedRules = warnSet.enforced.filter((id) => id.startsWith('sealed-secret-'));
  expect(sealedRules.sort()).toEqual(['sealed-secret-cluster-wide', 'sealed-secret-encrypted-data', 'sealed-secret-plaintext-template-data']);
  // each rule warned about some of them and not about others
  for (const id of sealedRules) expect([id, (lastWarned.get(id) ?? 0) > 0 && (lastWarned.get(id) ?? 0) < generated.length]).toEqual([id, true]);
  // the CRD's schema refuses a SealedSecret without encryptedData before any policy sees it
  const missing = await cluster.create({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'bare', namespace: WARNED }, spec: {} },
    { dryRun: true, namespace: WARNED });
  expect(missing.allowed).toBe(false);
  expect(missing.message).toContain('spec.encryptedData: Required value');
});

test('in the enforced namespace the baseline policies deny a privileged pod with the rule id, and admit a plain one', async () => {
  const pod = (sc: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ENFORCED }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: sc }] } });
  const denied = await cluster.create(pod({ privileged: true }), { dryRun: true });
  expect(denied.allowed).toBe(false);
  expect(denied.message).toContain('pss-privileged: container "app" must not set securityContext.privileged to true');
  const suppressed = pod({ privileged: true }) as any;
  suppressed.metadata.annotations = { 'ignore.kubeharden.io/pss-privileged': 'the node agent needs the host devices' };
  expect((await cluster.create(suppressed, { dryRun: true })).allowed).toBe(true);
  suppressed.metadata.annotations['ignore.kubeharden.io/pss-privileged'] = ' too short ';
  expect((await cluster.create(suppressed, { dryRun: true })).allowed).toBe(false);
  expect((await cluster.create(pod({}), { dryRun: true })).allowed).toBe(true);
});

test('docs/admission.md: the rollout, warn then deny, works as written', async () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'admission.md'), 'utf8');
  const marker = doc.indexOf('<!-- kubeharden:admission-rollout -->');
  expect(marker).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(doc.slice(marker))![1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-rollout-'));
  const ns = 'rollout';
  await cluster.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
  // restricted but for runAsNonRoot, so that its policy is the one that warns, then denies
  const bad = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: ns },
    spec: {
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    },
  };
  const steps: string[] = [];
  try {
    for (const line of block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
      const words = line.split(/\s+/);
      if (words[0] === 'kubeharden') {
        // the docs' policies, for this test's namespace only (the other sets cover the rest)
        const argv = [...words.slice(1), '--exclude-namespace', `${WARNED},${ENFORCED},default,kube-system,kube-public,kube-node-lease`];
        expect({ line, ...(await runKubeharden(argv, dir)) }).toEqual({ line, code: 0, err: '' });
        steps.push('generate');
      } else if (words[0] === 'kubectl' && words[1] === 'apply') {
        const file = path.join(dir, words[words.length - 1]);
        await cluster.apply(parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJSON()).filter((o) => o));
        // the first apply warns, the second denies
        const deny = steps.filter((s) => s === 'apply').length === 1;
        if (deny) {
          await cluster.waitForPolicy('kubeharden-pss-run-as-non-root-pods', bad, { timeoutMs: 120_000 });
        } else {
          const deadline = Date.now() + 120_000;
          let warnings: string[] = [];
          while (Date.now() < deadline) {
            const r = await cluster.create(bad, { dryRun: true });
            expect(r.allowed).toBe(true);
            warnings = r.warnings;
            if (warnings.some((w) => w.includes('kubeharden-pss-run-as-non-root-pods'))) break;
            await new Promise((res) => setTimeout(res, 1000));
          }
          expect(warnings.join('\n')).toContain('pss-run-as-non-root: container "app" must set securityContext.runAsNonRoot to true');
        }
        steps.push('apply');
      } else {
        throw new Error(`docs/admission.md: a line the test does not know how to run: ${line}`);
      }
    }
    expect(steps).toEqual(['generate', 'apply', 'generate', 'apply']);
    const r = await cluster.create(bad, { dryRun: true });
    expect(r.allowed).toBe(false);
    expect(r.message).toContain('pss-run-as-non-root');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
