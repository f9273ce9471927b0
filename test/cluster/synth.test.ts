/**
 * Every manifest the example cdk8s app (examples/app: buildApp and buildCdk8sPlusApp, as
 * examples/app/synth.ts synthesizes them) writes is accepted by a real kube-apiserver:
 * its schema (strict field validation), its validation and its admission, with server-side
 * dry run. `npm run test:cluster`.
 *
 * Two kinds are not served by a bare API server and are checked the way a cluster takes them:
 * - the audit.k8s.io/v1 Policy is a file the API server loads at start: the server here is
 *   started with it as `--audit-policy-file` (it refuses to start on an invalid policy), and
 *   the test checks that it writes audit events;
 * - bitnami.com/v1alpha1 SealedSecret is a custom resource: the Sealed Secrets controller's
 *   CustomResourceDefinition is installed first (test/fixtures/crds), so the SealedSecrets
 *   are checked against its schema (what is checked is the object, not the controller).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Cluster, startCluster } from './harness';
import { buildCdk8sPlusApp } from '../../examples/app/cdk8s-plus';
import { buildApp } from '../../examples/app/main';

jest.setTimeout(60_000);

/** The SealedSecret CRD as the Sealed Secrets controller installs it (test/fixtures/crds). */
const SEALED_SECRET_CRD = yaml.load(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'crds', 'sealedsecrets.bitnami.com.yaml'), 'utf8'));

interface Manifest {
  readonly file: string;
  readonly object: any;
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeharden-synth-'));
buildApp({ outdir }).synth();
buildCdk8sPlusApp({ outdir }).synth();
const manifests: Manifest[] = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort()
  .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(outdir, file), 'utf8'))
    .filter((o) => o !== null && o !== undefined)
    .map((object) => ({ file, object })));
const isAuditPolicy = (m: Manifest) => m.object.apiVersion === 'audit.k8s.io/v1' && m.object.kind === 'Policy';
const auditPolicies = manifests.filter(isAuditPolicy);
const label = (m: Manifest) => `${m.file}: ${m.object.apiVersion} ${m.object.kind} ${m.object.metadata?.namespace ? `${m.object.metadata.namespace}/` : ''}${m.object.metadata?.name}`;

let cluster: Cluster;

beforeAll(async () => {
  if (auditPolicies.length > 1) throw new Error(`the app synthesizes ${auditPolicies.length} audit policies; a server loads one`);
  const auditPolicyFile = auditPolicies.length === 1 ? path.join(outdir, 'audit-policy.json') : undefined;
  if (auditPolicyFile) fs.writeFileSync(auditPolicyFile, JSON.stringify(auditPolicies[0].object));
  cluster = await startCluster({ auditPolicyFile });
}, 40 * 60_000);

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(outdir, { recursive: true, force: true });
});

test('the example app synthesizes manifests of many kinds', () => {
  expect(manifests.length).toBeGreaterThan(20);
  expect(new Set(manifests.map((m) => m.object.kind)).size).toBeGreaterThan(8);
});

test('every synthesized object is accepted by the server with dry run', async () => {
  const objects = manifests.filter((m) => !isAuditPolicy(m));
  if (objects.some((m) => m.object.apiVersion === 'bitnami.com/v1alpha1')) await cluster.apply([SEALED_SECRET_CRD]);

  // Namespaces are created for real, first: the app's own, then every other one its objects name.
  const namespaces = objects.filter((m) => m.object.apiVersion === 'v1' && m.object.kind === 'Namespace');
  await cluster.apply(namespaces.map((m) => m.object));
  const known = new Set(['default', ...namespaces.map((m) => m.object.metadata.name)]);
  const needed = [...new Set(objects.map((m) => m.object.metadata?.namespace).filter((n) => n && !known.has(n)))];
  await cluster.apply(needed.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));

  const failures: string[] = [];
  const warnings: string[] = [];
  let checked = 0;
  for (const m of objects) {
    if (m.object.apiVersion === 'v1' && m.object.kind === 'Namespace') {
      // created above; a dry-run create of it again would only say AlreadyExists
      const r = await cluster.request('GET', `/api/v1/namespaces/${m.object.metadata.name}`);
      if (r.status !== 200) failures.push(`${label(m)}: not created (${r.status})`);
      checked++;
      continue;
    }
    const info = await cluster.resourceFor(m.object.apiVersion, m.object.kind);
    if (!info) {
      failures.push(`${label(m)}: this server does not serve the kind`);
      continue;
    }
    const r = await cluster.create(m.object, { dryRun: true });
    checked++;
    if (!r.allowed) failures.push(`${label(m)}: ${r.status} ${r.message}`);
    for (const w of r.warnings) warnings.push(`${label(m)}: ${w}`);
  }
  process.stderr.write(`synth: ${checked} objects sent to kube-apiserver ${cluster.version.gitVersion}; ` +
    `${failures.length} rejected, ${warnings.length} warnings\n${[...failures, ...warnings.map((w) => `warning ${w}`)].join('\n')}\n`);
  expect(failures).toEqual([]);
  // a Pod Security warning on a workload means its Pods would be refused when created
  expect(warnings.filter((w) => /PodSecurity/.test(w))).toEqual([]);
  expect(checked).toBe(objects.length);
});

test('the synthesized audit policy is loaded by the server and audits the app\'s deployments', async () => {
  expect(auditPolicies.length).toBe(1);
  const audited = cluster.args.find((a) => a.startsWith('--audit-log-path='))!.split('=')[1];
  // the app's policy asks for RequestResponse on writes to deployments in its namespaces: make one (dry run)
  const rule = auditPolicies[0].object.rules.find((r: any) => r.level === 'RequestResponse' &&
    (r.resources ?? []).some((g: any) => g.group === 'apps' && (g.resources ?? []).includes('deployments')));
  expect(rule).toBeDefined();
  const deployment = manifests.find((m) => m.object.kind === 'Deployment' && m.object.apiVersion === 'apps/v1' &&
    (rule.namespaces === undefined || rule.namespaces.includes(m.object.metadata?.namespace)))!;
  expect(deployment).toBeDefined();
  const r = await cluster.create(deployment.object, { dryRun: true });
  expect(r.message).toBe('');
  const name = deployment.object.metadata.name;
  const matches = (e: any) => e.verb === 'create' && e.objectRef?.resource === 'deployments' && e.objectRef?.name === name;
  let events: any[] = [];
  for (let i = 0; i < 100 && !events.some(matches); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = fs.existsSync(audited) ? fs.readFileSync(audited, 'utf8') : '';
    events = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
  const event = events.find(matches);
  expect(event).toBeDefined();
  // The app asks for RequestResponse on these writes; rules match first-wins, so a rule placed
  // after a broader one never applies. The server's level is the one that counts.
  if (event.level !== 'RequestResponse') {
    throw new Error(`${deployment.file}: the server audited the create of Deployment ${name} at level ${event.level}, ` +
      'but the app\'s audit rule asks for RequestResponse: an earlier rule of the policy matches first');
  }
  expect(event.requestObject?.metadata?.name).toBe(name);
});
