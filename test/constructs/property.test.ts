import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { hasModel, schemaError } from './schema';
import { check, expectHardenedPod, testChart, unsuppressed } from './util';
import { HardenedDeployment, HardenedDeploymentProps, NetworkPeer } from '../../src/constructs';

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: n, maxLength: n });
const dnsLabel = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const image = fc.record({
  registry: fc.constantFrom('registry.example.com', 'ghcr.io/acme', 'registry.example.com:5000/team', 'docker.io/library'),
  repo: dnsLabel,
  tag: fc.stringMatching(/^v?[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}(-[a-z0-9]{1,6})?$/),
  digest: hex(64),
}).map(({ registry, repo, tag, digest }) => `${registry}/${repo}:${tag}@sha256:${digest}`);

// configuration names that do not look like credentials (those belong in secretEnv)
const envName = fc.constantFrom('LOG_LEVEL', 'PORT', 'REGION', 'TIMEOUT_MS', 'FEATURE_CHECKOUT', 'CACHE_SIZE', 'UPSTREAM_URL', 'MODE');
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'team', 'app.kubernetes.io/component'), dnsLabel, { maxKeys: 2 });
const peer: fc.Arbitrary<NetworkPeer> = fc.oneof(
  labels.filter((l) => Object.keys(l).length > 0).map((podLabels) => ({ podLabels })),
  dnsLabel.map((namespaceName) => ({ namespaceName })),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
    .map(([a, b, bits]) => ({ cidr: `${a}.${b}.0.0/${bits}` })),
);
const cpu = fc.constantFrom(['50m', '100m'], ['100m', '500m'], ['250m', '1'], ['1', '2']);
const memory = fc.constantFrom(['64Mi', '128Mi'], ['128Mi', '256Mi'], ['512Mi', '1Gi'], ['1Gi', '4Gi']);
const probe = fc.option(fc.record({
  kind: fc.constantFrom('http', 'tcp', 'exec'),
  periodSeconds: fc.integer({ min: 1, max: 60 }),
  failureThreshold: fc.integer({ min: 1, max: 10 }),
}), { nil: undefined });

const props: fc.Arbitrary<HardenedDeploymentProps> = fc.record({
  image,
  replicas: fc.integer({ min: 0, max: 20 }),
  ports: fc.uniqueArray(fc.integer({ min: 1024, max: 65535 }), { maxLength: 3 }),
  env: fc.dictionary(envName, fc.string({ maxLength: 30 }), { maxKeys: 4 }),
  secretEnv: fc.dictionary(fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'SIGNING_KEY'), fc.record({ secretName: dnsLabel, key: dnsLabel }), { maxKeys: 2 }),
  writablePaths: fc.uniqueArray(fc.constantFrom('/var/cache/app', '/var/run/app', '/data/scratch'), { maxLength: 2 }),
  cpu,
  memory,
  runAsUser: fc.integer({ min: 1, max: 65535 }),
  runAsGroup: fc.integer({ min: 1, max: 65535 }),
  labels,
  allowFrom: fc.array(peer, { maxLength: 3 }),
  allowTo: fc.array(peer, { maxLength: 3 }),
  allowDns: fc.boolean(),
  readiness: probe,
  liveness: probe,
}).map((p) => {
  const toProbe = (x: typeof p.readiness) => {
    if (!x || (x.kind !== 'exec' && p.ports.length === 0)) return undefined;
    const base = { periodSeconds: x.periodSeconds, failureThreshold: x.failureThreshold };
    return x.kind === 'http' ? { ...base, httpPath: '/healthz' } : x.kind === 'exec' ? { ...base, command: ['/bin/check'] } : base;
  };
  return {
    image: p.image,
    replicas: p.replicas,
    ports: p.ports.map((port) => ({ port })),
    env: p.env,
    secretEnv: Object.fromEntries(Object.entries(p.secretEnv).filter(([k]) => !(k in p.env))),
    writablePaths: p.writablePaths,
    resources: { cpuRequest: p.cpu[0], cpuLimit: p.cpu[1], memoryRequest: p.memory[0], memoryLimit: p.memory[1] },
    runAsUser: p.runAsUser,
    runAsGroup: p.runAsGroup,
    labels: p.labels,
    allowFrom: p.allowFrom,
    allowTo: p.allowTo.map((x) => ({ peer: x, ports: [{ port: 443 }] })),
    allowDns: p.allowDns,
    readinessProbe: toProbe(p.readiness),
    livenessProbe: toProbe(p.liveness),
  };
});

test('for arbitrary valid props, a HardenedDeployment has zero findings (hardened) and is schema-valid', () => {
  fc.assert(fc.property(props, (p) => {
    const chart = testChart();
    new HardenedDeployment(chart, 'app', p);
    const objects = Testing.synth(chart);
    expect(unsuppressed(check(objects))).toEqual([]);
    expect(objects.filter(hasModel).map(schemaError).filter((e) => e !== undefined)).toEqual([]);
    expectHardenedPod(objects.find((o) => o.kind === 'Deployment').spec.template.spec);
  }), { numRuns: 150 });
});
