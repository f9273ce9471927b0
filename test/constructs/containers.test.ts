import { ApiObject, Testing } from 'cdk8s';
import { check, IMAGE, one, testChart, unsuppressed, expectHardenedPod, podSpecOf } from './util';
import { Profile } from '../../src';
import {
  ContainerRestartPolicy, HardenedCronJob, HardenedDeployment, HardenedJob, HardenedStatefulSet, Hardening,
} from '../../src/constructs';

const SIDECAR = 'registry.example.com/shop/log-shipper:3.1.4@sha256:' + 'e'.repeat(64);
const REASON = 'the vendor agent rewrites its config at start; tracked in SEC-77';

/** The security-relevant fields of a pod spec: security contexts, token, writable volumes and mounts. */
function securityFields(spec: any): any {
  const writable = new Set((spec.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name));
  return {
    securityContext: { runAsNonRoot: spec.securityContext?.runAsNonRoot, seccompProfile: spec.securityContext?.seccompProfile },
    automountServiceAccountToken: spec.automountServiceAccountToken,
    containers: spec.containers.map((c: any) => ({
      securityContext: c.securityContext,
      writableMounts: (c.volumeMounts ?? []).filter((m: any) => writable.has(m.name)),
    })),
    // the emptyDirs for the writable paths (the construct adds a size limit, which no rule asks for)
    writableVolumes: (spec.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name),
  };
}

describe('the constructs\' defaults are the rules\' fixes', () => {
  test('a bare workload: HardenedDeployment and Hardening.of synthesize the same security fields', () => {
    const chart = testChart();
    const d = new HardenedDeployment(chart, 'web', { image: IMAGE });
    const ours = podSpecOf(one(Testing.synth(chart), 'Deployment'));

    const other = testChart();
    new ApiObject(other, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { serviceAccountName: d.serviceAccountName, containers: [{ name: 'main', image: IMAGE }] },
        },
      },
    });
    // the rule options the construct's documented defaults imply
    Hardening.of(other, {
      profile: Profile.HARDENED,
      rules: {
        'read-only-root-filesystem': { options: { writablePaths: ['/tmp'] } },
        'pss-run-as-user': { options: { uid: 10001 } },
        'cpu-requests': { options: { default: '100m' } },
        'cpu-limits': { options: { default: '500m' } },
        'memory-requests': { options: { default: '128Mi' } },
        'memory-limits': { options: { default: '256Mi' } },
      },
    });
    const theirs = podSpecOf(one(Testing.synth(other), 'Deployment'));
    expect(securityFields(ours)).toEqual(securityFields(theirs));
    // and the fields are the hardened ones, not two equal empties
    expect(ours.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(ours.automountServiceAccountToken).toBe(false);
  });

  test('Hardening.of changes nothing on a hardened workload', () => {
    const chart = testChart();
    new HardenedDeployment(chart, 'web', { image: IMAGE, sidecars: [{ name: 'shipper', image: SIDECAR }] });
    const before = Testing.synth(chart);
    const again = testChart();
    new HardenedDeployment(again, 'web', { image: IMAGE, sidecars: [{ name: 'shipper', image: SIDECAR }] });
    const h = Hardening.of(again);
    expect(Testing.synth(again)).toEqual(before);
    expect(h.changes).toEqual([]);
  });
});

describe('several containers', () => {
  test('sidecars, init containers (one a native sidecar) and addContainer are each hardened; zero findings', () => {
    const chart = testChart();
    const d = new HardenedDeployment(chart, 'api', {
      image: IMAGE,
      ports: [{ port: 8080 }],
      writablePaths: ['/var/cache/api'],
      sidecars: [{ name: 'shipper', image: SIDECAR, configMapVolumes: [{ configMapName: 'shipper-config', mountPath: '/etc/shipper' }] }],
      initContainers: [
        { name: 'migrate', image: IMAGE, args: ['migrate'] },
        { name: 'proxy', image: SIDECAR, restartPolicy: ContainerRestartPolicy.ALWAYS, ports: [{ port: 15001, name: 'proxy' }], readinessProbe: {} },
      ],
      claimVolumes: [{ claimName: 'uploads', mountPath: '/srv/uploads' }],
      runAsUser: 101,
      runAsGroup: 102,
      fsGroup: 2000,
    });
    d.addContainer({ name: 'metrics', image: SIDECAR, ports: [{ port: 9100, name: 'metrics' }], resources: { memoryRequest: '32Mi', memoryLimit: '64Mi' } });
    const objects = Testing.synth(chart);
    const pod = podSpecOf(one(objects, 'Deployment'));
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'shipper', 'metrics']);
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['migrate', undefined], ['proxy', 'Always']]);
    expectHardenedPod(pod);
    expect(pod.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 102, fsGroup: 2000, runAsNonRoot: true });
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/tmp', '/var/cache/api']));
    }
    const metrics = pod.containers[2];
    expect(metrics.resources).toEqual({ requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '500m', memory: '64Mi' } });
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'config-0', configMap: { name: 'shipper-config', defaultMode: 0o444 } },
      { name: 'claim-0', persistentVolumeClaim: { claimName: 'uploads' } },
    ]));
    expect(pod.containers[1].volumeMounts).toContainEqual({ name: 'config-0', mountPath: '/etc/shipper', readOnly: true });
    expect(pod.initContainers[1].readinessProbe).toEqual({ tcpSocket: { port: 15001 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(unsuppressed(check(objects))).toEqual([]);
    expect(unsuppressed(check(objects, Profile.RESTRICTED))).toEqual([]);
  });

  test('a loosening of one container leaves the others hardened, and lands in the manifest', () => {
    const chart = testChart();
    const d = new HardenedDeployment(chart, 'web', { image: IMAGE, sidecars: [{ name: 'shipper', image: SIDECAR }] });
    d.addContainer({ name: 'agent', image: SIDECAR, writableRootFilesystem: { reason: REASON } });
    const objects = Testing.synth(chart);
    const deployment = one(objects, 'Deployment');
    const pod = podSpecOf(deployment);
    const byName = (n: string) => pod.containers.find((c: any) => c.name === n);
    expect(byName('agent').securityContext.readOnlyRootFilesystem).toBe(false);
    expect(byName('agent').securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(byName('main').securityContext.readOnlyRootFilesystem).toBe(true);
    expect(byName('shipper').securityContext.readOnlyRootFilesystem).toBe(true);
    expect(deployment.metadata.annotations['ignore.kubeharden.io/read-only-root-filesystem']).toBe(REASON);
    expect(deployment.metadata.annotations['loosened.kubeharden.io/writable-root-filesystem']).toBe(REASON);
    const report = check(objects);
    expect(unsuppressed(report)).toEqual([]);
    expect(report.findings.filter((f) => f.suppressed).map((f) => [f.ruleId, f.path])).toEqual([
      ['read-only-root-filesystem', 'spec.template.spec.containers[2].securityContext.readOnlyRootFilesystem'],
    ]);
  });

  test('two containers loosening the same default: both reasons are recorded', () => {
    const chart = testChart();
    new HardenedDeployment(chart, 'web', {
      image: IMAGE,
      allowPrivilegeEscalation: { reason: REASON },
      sidecars: [{ name: 'shipper', image: SIDECAR, allowPrivilegeEscalation: { reason: 'ships with a setuid helper; SEC-78' } }],
    });
    const d = one(Testing.synth(chart), 'Deployment');
    expect(d.metadata.annotations['ignore.kubeharden.io/pss-allow-privilege-escalation'])
      .toBe(`container main: ${REASON}; container shipper: ships with a setuid helper; SEC-78`);
    expect(podSpecOf(d).containers.map((c: any) => c.securityContext.allowPrivilegeEscalation)).toEqual([true, true]);
  });

  test('StatefulSet, Job and CronJob take sidecars and init containers too', () => {
    const chart = testChart();
    const init = [{ name: 'init', image: SIDECAR }];
    const sidecars = [{ name: 'shipper', image: SIDECAR }];
    new HardenedStatefulSet(chart, 'db', { image: IMAGE, ports: [{ port: 5432, name: 'pg' }], storage: [{ name: 'data', mountPath: '/data' }], sidecars, initContainers: init });
    new HardenedJob(chart, 'job', { image: IMAGE, sidecars, initContainers: init });
    new HardenedCronJob(chart, 'cron', { image: IMAGE, schedule: '@daily', sidecars, initContainers: init });
    const objects = Testing.synth(chart);
    for (const kind of ['StatefulSet', 'Job', 'CronJob']) {
      const pod = podSpecOf(one(objects, kind));
      expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'shipper']);
      expect(pod.initContainers.map((c: any) => c.name)).toEqual(['init']);
      expectHardenedPod(pod);
    }
    expect(podSpecOf(one(objects, 'StatefulSet')).containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each([
    [{ sidecars: [{ name: 'main', image: SIDECAR }] }, /container name "main" is used twice/],
    [{ sidecars: [{ name: 'Bad', image: SIDECAR }] }, /container name must be a DNS label/],
    [{ sidecars: [{ name: 's', image: 'nginx:latest' }] }, /container "s" image "nginx:latest" uses the mutable "latest" tag/],
    [{ initContainers: [{ name: 'i', image: SIDECAR, readinessProbe: { command: ['true'] } }] }, /no readinessProbe unless it is a native sidecar/],
    [{ fsGroup: 0 }, /fsGroup 0 is refused: .*\(root-group\)/],
    [{ claimVolumes: [{ claimName: 'c', mountPath: 'rel' }] }, /absolute path/],
  ])('%j is refused', (extra, message) => {
    expect(() => new HardenedDeployment(testChart(), 'web', { image: IMAGE, ...(extra as any) })).toThrow(message);
  });
});

describe('the Service exposes the pod\'s ports', () => {
  test('of the main container, the sidecars and native sidecars, added in props or later; not of plain init containers or ports marked service: false', () => {
    const chart = testChart();
    const d = new HardenedDeployment(chart, 'web', {
      image: IMAGE,
      ports: [{ port: 8080 }],
      sidecars: [{ name: 'metrics', image: SIDECAR, ports: [{ port: 9100, name: 'metrics' }, { port: 9101, name: 'admin', service: false }] }],
      initContainers: [
        { name: 'proxy', image: SIDECAR, restartPolicy: ContainerRestartPolicy.ALWAYS, ports: [{ port: 15001, name: 'proxy' }] },
        { name: 'setup', image: SIDECAR, ports: [{ port: 7000, name: 'setup' }] },
      ],
    });
    d.addContainer({ name: 'late', image: SIDECAR, ports: [{ port: 9200, name: 'late' }] });
    const service = one(Testing.synth(chart), 'Service');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' },
      { name: 'proxy', port: 15001, targetPort: 'proxy', protocol: 'TCP' },
      { name: 'late', port: 9200, targetPort: 'late', protocol: 'TCP' },
    ]);
    expect(unsuppressed(check(Testing.synth(chart), Profile.HARDENED))).toEqual([]);
  });

  test('a port name or number that another container of the pod has is refused', () => {
    const chart = testChart();
    expect(() => new HardenedDeployment(chart, 'a', { image: IMAGE, ports: [{ port: 8080 }], sidecars: [{ name: 's', image: SIDECAR, ports: [{ port: 8080, name: 'other' }] }] }))
      .toThrow('container "s" port 8080/TCP is taken by container "main"');
    expect(() => new HardenedDeployment(chart, 'b', { image: IMAGE, ports: [{ port: 8080 }], sidecars: [{ name: 's', image: SIDECAR, ports: [{ port: 9090, name: 'http' }] }] }))
      .toThrow('container "s" port name "http" is taken by container "main"');
  });
});

describe('a projected ServiceAccount token for one container', () => {
  const TOKEN_REASON = 'renews its leader-election Lease through Role web-leases';

  test('only that container mounts it, read-only; the pod keeps automountServiceAccountToken false; the reason is recorded', () => {
    const chart = testChart();
    new HardenedDeployment(chart, 'web', {
      image: IMAGE,
      sidecars: [{ name: 'elector', image: SIDECAR, serviceAccountToken: { reason: TOKEN_REASON, audience: 'vault', expirationSeconds: 1800 } }],
    });
    const manifests = Testing.synth(chart);
    const deployment = one(manifests, 'Deployment');
    const spec = podSpecOf(deployment);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes).toContainEqual({ name: 'token-0', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 1800, path: 'token' } }] } });
    const mounts = (c: any) => (c.volumeMounts ?? []).filter((m: any) => m.name === 'token-0');
    expect(mounts(spec.containers.find((c: any) => c.name === 'elector'))).toEqual([{ name: 'token-0', mountPath: '/var/run/secrets/tokens', readOnly: true }]);
    expect(mounts(spec.containers.find((c: any) => c.name === 'main'))).toEqual([]);
    expect(deployment.metadata.annotations['loosened.kubeharden.io/service-account-token']).toBe(TOKEN_REASON);
    expect(unsuppressed(check(manifests, Profile.HARDENED))).toEqual([]);
  });

  test('without a reason, or with a lifetime the API server refuses, it is refused', () => {
    const chart = testChart();
    expect(() => new HardenedDeployment(chart, 'a', { image: IMAGE, serviceAccountToken: { reason: 'short' } })).toThrow(/loosening "service-account-token"/);
    expect(() => new HardenedDeployment(chart, 'b', { image: IMAGE, serviceAccountToken: { reason: TOKEN_REASON, expirationSeconds: 60 } })).toThrow('token expirationSeconds must be a whole number of seconds from 600');
    expect(() => new HardenedDeployment(chart, 'c', { image: IMAGE, serviceAccountToken: { reason: TOKEN_REASON, fileName: '../x' } })).toThrow('token fileName must be a file name');
    expect(() => new HardenedDeployment(chart, 'd', { image: IMAGE, serviceAccountToken: { reason: TOKEN_REASON, mountPath: 'tokens' } })).toThrow();
  });
});
