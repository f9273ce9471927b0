import { Testing } from 'cdk8s';
import { check, IMAGE, one, byKind, testChart, unsuppressed } from './util';
import { Profile } from '../../src';
import { HardenedDeployment } from '../../src/constructs';
import { LOOSENED_PREFIX, Loosening, rulesLoosenedBy, LOOSENINGS } from '../../src/constructs/loosening';

describe('HardenedDeployment defaults', () => {
  const chart = testChart();
  new HardenedDeployment(chart, 'web', { image: IMAGE });
  const objects = Testing.synth(chart);
  const deployment = one(objects, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('zero findings with the hardened profile, whatever the catalog holds', () => {
    expect(unsuppressed(check(objects))).toEqual([]);
    expect(unsuppressed(check(objects, Profile.RESTRICTED))).toEqual([]);
  });

  test('pod-level hardening', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.runAsGroup).toBeGreaterThan(0);
    expect(pod.securityContext.fsGroup).toBeGreaterThan(0);
    expect(pod.hostNetwork).not.toBe(true); // unset is off
    expect(pod.hostPID).not.toBe(true); // unset is off
    expect(pod.hostIPC).not.toBe(true); // unset is off
    expect(pod.volumes.every((v: any) => v.hostPath === undefined)).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('container-level hardening', () => {
    // runAsNonRoot is set once, at pod level, by the fix; privileged is unset (off)
    expect(container.securityContext.runAsNonRoot ?? pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.privileged).not.toBe(true);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(container.ports).toBeUndefined();
  });

  test('writable /tmp on an emptyDir', () => {
    const mount = container.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(mount).toBeDefined();
    expect(pod.volumes.find((v: any) => v.name === mount.name)).toMatchObject({ emptyDir: { sizeLimit: '64Mi' } });
  });

  test('its own ServiceAccount, with token automount off', () => {
    const sa = one(objects, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toEqual(sa.metadata.name);
    expect(sa.metadata.name).not.toEqual('default');
    expect(sa.metadata.namespace).toEqual('shop');
  });

  test('a NetworkPolicy that denies all but DNS', () => {
    const policies = byKind(objects, 'NetworkPolicy');
    const own = policies.find((p) => p.spec.podSelector.matchLabels !== undefined);
    expect(own.spec.podSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(own.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(own.spec.ingress).toEqual([]);
    expect(own.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('no Service without ports; two replicas', () => {
    expect(byKind(objects, 'Service')).toEqual([]);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.metadata.name).toMatch(/^test-web-/);
  });
});

describe('HardenedDeployment options', () => {
  test('ports, probes, env, secret env and volumes, replicas, resources', () => {
    const chart = testChart();
    new HardenedDeployment(chart, 'api', {
      image: 'registry.example.com/api:1.4.2@sha256:' + 'c'.repeat(64),
      name: 'api',
      replicas: 3,
      ports: [{ port: 8080 }, { port: 9090, name: 'metrics' }],
      env: { LOG_LEVEL: 'info' },
      secretEnv: { DB_PASSWORD: { secretName: 'db', key: 'password' } },
      secretVolumes: [{ secretName: 'tls', mountPath: '/etc/tls', keys: ['tls.crt'] }],
      writablePaths: ['/var/cache/api'],
      readinessProbe: { httpPath: '/ready', periodSeconds: 5 },
      livenessProbe: { command: ['/bin/health'] },
      startupProbe: { port: 9090, failureThreshold: 30 },
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' },
      command: ['/app/api'],
      args: ['--serve'],
    });
    const objects = Testing.synth(chart);
    const d = one(objects, 'Deployment');
    const c = d.spec.template.spec.containers[0];
    expect(d.metadata.name).toBe('api');
    expect(d.spec.replicas).toBe(3);
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/health'] });
    expect(c.startupProbe.tcpSocket).toEqual({ port: 9090 });
    expect(c.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
    ]);
    expect(c.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'secret-0', mountPath: '/etc/tls', readOnly: true },
      expect.objectContaining({ mountPath: '/var/cache/api' }),
    ]));
    expect(c.resources.limits).toEqual({ cpu: '1', memory: '1Gi' });
    expect(c.command).toEqual(['/app/api']);
    const svc = one(objects, 'Service');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([8080, 9090]);
    expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test('allowFrom / allowTo produce the matching NetworkPolicy rules', () => {
    const chart = testChart();
    const web = new HardenedDeployment(chart, 'web', { image: IMAGE, ports: [{ port: 8080 }], allowFrom: [{ namespaceName: 'ingress-nginx' }] });
    const api = new HardenedDeployment(chart, 'api', { image: IMAGE, ports: [{ port: 9000 }], allowTo: [{ peer: { cidr: '10.20.0.0/16' }, ports: [{ port: 5432 }] }] });
    api.allowFrom(web.peer());
    web.allowTo(api.peer(), [{ port: 9000 }]);
    const objects = Testing.synth(chart);
    const policyOf = (w: HardenedDeployment) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === w.networkPolicy.name);
    const webPolicy = policyOf(web);
    const apiPolicy = policyOf(api);
    expect(webPolicy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(webPolicy.spec.egress[1]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: api.pod.selectorLabels } }], ports: [{ protocol: 'TCP', port: 9000 }] });
    expect(apiPolicy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: web.pod.selectorLabels } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    expect(apiPolicy.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test('allowDns: false leaves egress fully denied', () => {
    const chart = testChart();
    const w = new HardenedDeployment(chart, 'w', { image: IMAGE, allowDns: false });
    const p = Testing.synth(chart).find((o) => o.metadata.name === w.networkPolicy.name);
    expect(p.spec.egress).toEqual([]);
  });
});

describe('images', () => {
  test.each([
    ['nginx', /has no tag/],
    ['nginx:latest', /"latest" tag/],
    ['registry.example.com:5000/team/app', /has no tag/],
    ['registry.example.com:5000/team/app:LATEST', /"latest" tag/],
    ['app@sha256:abc', /malformed digest/],
    ['', /non-empty/],
  ])('%s is refused', (image, message) => {
    expect(() => new HardenedDeployment(testChart(), 'web', { image })).toThrow(message);
  });

  test('the error names the construct, the container and the rule, with the rule\'s message', () => {
    expect(() => new HardenedDeployment(testChart(), 'web', { image: 'nginx' }))
      .toThrow(/^Deployment test\/web: container "main" image "nginx" has no tag.*pin a version tag or a digest \(image-latest-tag\)$/);
  });

  test('a latest tag pinned by digest passes, as the image-latest-tag rule passes it', () => {
    const image = `registry.example.com/app:latest@sha256:${'d'.repeat(64)}`;
    const chart = testChart();
    new HardenedDeployment(chart, 'web', { image });
    const objects = Testing.synth(chart);
    expect(one(objects, 'Deployment').spec.template.spec.containers[0].image).toBe(image);
    expect(unsuppressed(check(objects))).toEqual([]);
  });

  test.each(['nginx:1.27.0', 'registry.example.com:5000/team/app:v2', `app@sha256:${'b'.repeat(64)}`])('%s is accepted', (image) => {
    expect(() => new HardenedDeployment(testChart(), 'web', { image })).not.toThrow();
  });
});

describe('loosening needs a reason that lands in the manifest', () => {
  const looseningCases = [
    ['writableRootFilesystem', LOOSENINGS.writableRootFilesystem, (c: any) => expect(c.securityContext.readOnlyRootFilesystem).toBe(false)],
    ['allowPrivilegeEscalation', LOOSENINGS.allowPrivilegeEscalation, (c: any) => expect(c.securityContext.allowPrivilegeEscalation).toBe(true)],
    ['mountServiceAccountToken', LOOSENINGS.mountServiceAccountToken, (_c: any, pod: any) => expect(pod.automountServiceAccountToken).toBe(true)],
  ] as const;

  test.each(looseningCases)('%s', (option, loosening, assert) => {
    const reason = 'the vendor image needs it; tracked in SEC-123';
    expect(() => new HardenedDeployment(testChart(), 'web', { image: IMAGE, [option]: { reason: 'short' } })).toThrow(/reason of at least 10 characters/);
    const chart = testChart();
    new HardenedDeployment(chart, 'web', { image: IMAGE, [option]: { reason } });
    const objects = Testing.synth(chart);
    const d = one(objects, 'Deployment');
    assert(d.spec.template.spec.containers[0], d.spec.template.spec);
    expect(d.metadata.annotations[`${LOOSENED_PREFIX}${loosening.option}`]).toBe(reason);
    const loosened = rulesLoosenedBy(loosening, 'Deployment');
    for (const id of loosened) expect(d.metadata.annotations[`ignore.kubeharden.io/${id}`]).toBe(reason);
    const report = check(objects);
    expect(unsuppressed(report)).toEqual([]);
    for (const f of report.findings.filter((x) => x.suppressed)) expect(f.suppressionReason).toBe(reason);
    for (const id of loosened) expect(report.findings.some((f) => f.ruleId === id && f.suppressed)).toBe(true);
  });

  test('each registered loosening suppresses rules that exist in the catalog', () => {
    // the kind a loosening is written on: the SealedSecret for a sealing scope, the workload (a Deployment here) otherwise
    const kindOf = (l: Loosening) => (l.option.startsWith('sealing-scope-') ? 'SealedSecret' : 'Deployment');
    const all: Loosening[] = Object.values(LOOSENINGS);
    expect(all).toEqual(expect.arrayContaining([
      LOOSENINGS.writableRootFilesystem, LOOSENINGS.allowPrivilegeEscalation, LOOSENINGS.mountServiceAccountToken,
      LOOSENINGS.sealingScopeNamespaceWide, LOOSENINGS.sealingScopeClusterWide, LOOSENINGS.serviceAccountToken,
    ]));
    for (const l of all) {
      // the namespace-wide sealing scope and a container's projected token suppress nothing
      // (no rule reports them): their reasons are only recorded
      const recordOnly = l === LOOSENINGS.sealingScopeNamespaceWide || l === LOOSENINGS.serviceAccountToken;
      if (!recordOnly) expect(rulesLoosenedBy(l, kindOf(l)).length).toBeGreaterThan(0);
      // every rule a loosening names exists: a renamed rule fails here, not silently
      expect(rulesLoosenedBy(l, kindOf(l))).toEqual(l.ruleIds);
    }
  });

  test('only the named rules that exist and apply to the kind are suppressed', () => {
    const rule = (id: string, kinds = ['Deployment']) => ({ metadata: { id, kinds, controls: [] }, check: () => [] }) as any;
    const catalog = [rule('pss-allow-privilege-escalation'), rule('read-only-root-filesystem', ['Pod']), rule('other')];
    expect(rulesLoosenedBy(LOOSENINGS.allowPrivilegeEscalation, 'Deployment', catalog)).toEqual(['pss-allow-privilege-escalation']);
    expect(rulesLoosenedBy(LOOSENINGS.writableRootFilesystem, 'Deployment', catalog)).toEqual([]);
    expect(rulesLoosenedBy(LOOSENINGS.writableRootFilesystem, 'Pod', catalog)).toEqual(['read-only-root-filesystem']);
    expect(rulesLoosenedBy(LOOSENINGS.mountServiceAccountToken, 'Deployment', catalog)).toEqual([]);
    expect(rulesLoosenedBy(LOOSENINGS.mountServiceAccountToken, 'Service', catalog)).toEqual([]);
  });
});

describe('invalid props', () => {
  test.each([
    // root is refused with the message of the rule that reports it
    [{ runAsUser: 0 }, /runAsUser 0 is refused: pod must not set securityContext.runAsUser to 0.*\(pss-run-as-user\)/],
    [{ runAsGroup: 0 }, /runAsGroup 0 is refused: .*non-zero group ID \(root-group\)/],
    [{ runAsUser: 1.5 }, /runAsUser must be a whole number from 0 to 2147483647/],
    [{ runAsGroup: -1 }, /runAsGroup must be a whole number from 0 to 2147483647/],
    [{ replicas: -1 }, /replicas/],
    [{ ports: [{ port: 70000 }] }, /not in 1-65535/],
    [{ ports: [{ port: 80, name: 'Bad_Name' }] }, /port name/],
    [{ env: { '1X': 'a' } }, /not a valid environment variable/],
    [{ env: { A: 'a' }, secretEnv: { A: { secretName: 's', key: 'k' } } }, /both in env and secretEnv/],
    [{ readinessProbe: { httpPath: '/x' } }, /needs a port/],
    [{ ports: [{ port: 80 }], readinessProbe: { httpPath: 'x' } }, /must start with \//],
    [{ writablePaths: ['relative'] }, /absolute path/],
    [{ service: true }, /Service needs container ports/],
    [{ allowFrom: [{}] }, /needs podLabels/],
    [{ allowTo: [{ peer: { cidr: '10.0.0.0/99' } }] }, /not a CIDR/],
  ])('%j', (extra, message) => {
    expect(() => new HardenedDeployment(testChart(), 'web', { image: IMAGE, ...(extra as any) })).toThrow(message);
  });
});
