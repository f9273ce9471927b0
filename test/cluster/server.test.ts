/**
 * The cluster harness works: a real kube-apiserver (with etcd) on loopback answers, validates,
 * runs Pod Security Admission and ValidatingAdmissionPolicies. `npm run test:cluster`.
 */
import * as fs from 'fs';
import * as https from 'https';
import { Cluster, startCluster } from './harness';

jest.setTimeout(60_000);

let cluster: Cluster;
const NS = 'harness';

beforeAll(async () => {
  cluster = await startCluster();
  process.stderr.write(`kube-apiserver ${cluster.version.gitVersion} ready in ${cluster.startupMs} ms at ${cluster.url}\n`);
  await cluster.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
}, 40 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

function pod(name: string, securityContext?: object): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', ...(securityContext ? { securityContext } : {}) }] },
  };
}

test('the server reports the Kubernetes version the module pins', () => {
  const goMod = fs.readFileSync(`${__dirname}/apiserver/go.mod`, 'utf8');
  const pinned = /^\s*(?:require\s+)?k8s\.io\/kubernetes (v\d+\.\d+\.\d+)/m.exec(goMod)![1];
  expect(cluster.version.gitVersion).toBe(pinned);
  expect(cluster.minor).toBe(Number(pinned.split('.')[1]));
});

test('the harness writes a kubeconfig and keeps logs in its folder', () => {
  const kubeconfig = JSON.parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
  expect(kubeconfig.clusters[0].cluster.server).toBe(cluster.url);
  expect(fs.existsSync(`${cluster.dir}/kube-apiserver.log`)).toBe(true);
  expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

test('a request without the token is refused, with it allowed', async () => {
  const anonymous = await fetchStatus(`${cluster.url}/api/v1/namespaces`, cluster.ca);
  expect([401, 403]).toContain(anonymous);
  const r = await cluster.request('GET', '/api/v1/namespaces');
  expect(r.status).toBe(200);
  expect(r.body.items.map((n: any) => n.metadata.name)).toContain(NS);
});

test('a plain Pod created with dry run is accepted and not stored', async () => {
  const r = await cluster.create(pod('plain'), { dryRun: true });
  expect(r.message).toBe('');
  expect(r.status).toBe(201);
  expect(r.allowed).toBe(true);
  expect(r.body.metadata.uid).toBeDefined();
  const get = await cluster.request('GET', `/api/v1/namespaces/${NS}/pods/plain`);
  expect(get.status).toBe(404);
});

test('an invalid object is rejected with 422 and the field named; an unknown field with 400', async () => {
  const bad = pod('Not_A_Valid_Name');
  const r = await cluster.create(bad, { dryRun: true });
  expect(r.status).toBe(422);
  expect(r.allowed).toBe(false);
  expect(r.body.reason).toBe('Invalid');
  expect(r.message).toMatch(/metadata\.name/);

  const unknownField = pod('unknown-field');
  unknownField.spec.containers[0].imagePullPolicyy = 'Always';
  // strict field validation refuses the request as a whole: 400 BadRequest, not 422
  const strict = await cluster.create(unknownField, { dryRun: true });
  expect(strict.status).toBe(400);
  expect(strict.allowed).toBe(false);
  expect(strict.message).toMatch(/unknown field "spec\.containers\[0\]\.imagePullPolicyy"/);
  const warned = await cluster.create(unknownField, { dryRun: true, fieldValidation: 'Warn' });
  expect(warned.allowed).toBe(true);
  expect(warned.warnings.join('\n')).toMatch(/imagePullPolicyy/);
});

test('discovery maps kinds to resources, namespaced or not', async () => {
  expect(await cluster.resourceFor('v1', 'Pod')).toEqual({ apiVersion: 'v1', kind: 'Pod', resource: 'pods', namespaced: true });
  expect(await cluster.resourceFor('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy')).toEqual({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', resource: 'validatingadmissionpolicies', namespaced: false,
  });
  expect(await cluster.resourceFor('v1', 'NoSuchKind')).toBeUndefined();
});

test('MutatingAdmissionPolicy is served', async () => {
  const apis = await cluster.request('GET', '/apis/admissionregistration.k8s.io');
  const served: string[] = apis.body.versions.map((v: any) => v.groupVersion);
  const withMap: string[] = [];
  for (const gv of served) {
    if (await cluster.resourceFor(gv, 'MutatingAdmissionPolicy')) withMap.push(gv);
  }
  process.stderr.write(`admissionregistration.k8s.io versions served: ${served.join(', ')}; MutatingAdmissionPolicy in: ${withMap.join(', ')}\n`);
  expect(withMap.length).toBeGreaterThan(0);
  if (cluster.minor >= 36) expect(withMap).toContain('admissionregistration.k8s.io/v1');
});

test('a ValidatingAdmissionPolicy denies a privileged Pod and admits a plain one', async () => {
  const name = 'deny-privileged.harness.kubeharden.io';
  await cluster.apply([
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
        validations: [{
          expression: 'object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged != true)',
          message: 'privileged containers are not allowed',
        }],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': NS } } },
      },
    },
  ]);
  const status = await cluster.waitForPolicy(name, pod('probe', { privileged: true }));
  expect(status.observedGeneration).toBe(1);
  expect(status.typeChecking?.expressionWarnings ?? []).toEqual([]);

  const denied = await cluster.create(pod('privileged', { privileged: true }), { dryRun: true });
  expect(denied.allowed).toBe(false);
  expect(denied.status).toBe(422);
  expect(denied.message).toContain(`ValidatingAdmissionPolicy '${name}'`);
  expect(denied.message).toContain('privileged containers are not allowed');

  const admitted = await cluster.create(pod('plain'), { dryRun: true });
  expect(admitted.message).toBe('');
  expect(admitted.allowed).toBe(true);
  const unprivileged = await cluster.create(pod('unprivileged', { privileged: false }), { dryRun: true });
  expect(unprivileged.allowed).toBe(true);
});

test('the controller manager type-checks a ValidatingAdmissionPolicy and reports its errors', async () => {
  const name = 'type-error.harness.kubeharden.io';
  await cluster.apply([{
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
      validations: [{ expression: 'object.spec.replicaz > 1' }],
    },
  }]);
  let status: any;
  for (let i = 0; i < 300 && !status?.typeChecking; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await cluster.request('GET', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${name}`)).body.status;
  }
  expect(status?.observedGeneration).toBe(1);
  const warnings = status.typeChecking.expressionWarnings;
  expect(warnings).toHaveLength(1);
  expect(warnings[0].fieldRef).toBe('spec.validations[0].expression');
  expect(warnings[0].warning).toMatch(/undefined field 'replicaz'/);
});

test('the controller manager gives each namespace its default ServiceAccount', async () => {
  await cluster.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bare' } });
  let status = 0;
  for (let i = 0; i < 300 && status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await cluster.request('GET', '/api/v1/namespaces/bare/serviceaccounts/default')).status;
  }
  expect(status).toBe(200);
});

test('Pod Security Admission enforces a namespace label', async () => {
  await cluster.apply([{
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'psa-baseline', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
  }]);
  const hostNetwork = { ...pod('host-network'), metadata: { name: 'host-network', namespace: 'psa-baseline' } };
  hostNetwork.spec = { ...hostNetwork.spec, hostNetwork: true };
  const r = await cluster.create(hostNetwork, { dryRun: true });
  expect(r.status).toBe(403);
  expect(r.message).toMatch(/violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)/);
});

/** A GET without credentials, to see the server refuse it. */
function fetchStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}
