/**
 * Generated objects for the admission differential test: every kind the generated
 * policies match, with the fields the rules read set to the values at their edges (and
 * well-typed, as the API server would hand them to a policy after decoding).
 */
import * as fc from 'fast-check';

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Drops the keys whose value is undefined, recursively (a generated record has them). */
export function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map(compact) as unknown as T;
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = compact(x);
    return out as T;
  }
  return v;
}

const caps = opt(fc.array(fc.constantFrom('ALL', 'NET_BIND_SERVICE', 'SYS_ADMIN', 'NET_RAW', 'CHOWN', 'KILL', 'AUDIT_WRITE'), { maxLength: 3 }));
const seLinux = opt(fc.record({
  type: opt(fc.constantFrom('', 'container_t', 'container_engine_t', 'spc_t')),
  user: opt(fc.constantFrom('', 'system_u')),
  role: opt(fc.constantFrom('', 'system_r')),
}, { requiredKeys: [] }));
const windowsOptions = opt(fc.record({ hostProcess: opt(fc.boolean()) }, { requiredKeys: [] }));

const containerSc = opt(fc.record({
  privileged: opt(fc.boolean()),
  allowPrivilegeEscalation: opt(fc.boolean()),
  runAsNonRoot: opt(fc.boolean()),
  runAsUser: opt(fc.constantFrom(0, 1000)),
  runAsGroup: opt(fc.constantFrom(0, 1000)),
  readOnlyRootFilesystem: opt(fc.boolean()),
  procMount: opt(fc.constantFrom('Default', 'Unmasked')),
  capabilities: opt(fc.record({ add: caps, drop: caps }, { requiredKeys: [] })),
  seccompProfile: opt(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost'), localhostProfile: opt(fc.constant('p.json')) }, { requiredKeys: ['type'] })),
  appArmorProfile: opt(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost'), localhostProfile: opt(fc.constant('p')) }, { requiredKeys: ['type'] })),
  seLinuxOptions: seLinux,
  windowsOptions,
}, { requiredKeys: [] }));

const image = fc.constantFrom(
  'nginx', 'nginx:latest', 'nginx:LATEST', 'nginx:1.27', 'app:', 'registry.example.com/team/app:1.0',
  'registry.example.com/team/app@sha256:' + 'a'.repeat(64), 'ghcr.io/acme/tool:2', 'localhost:5000/app', 'index.docker.io/library/redis:7',
  'Registry.Example.com/team/app:2', 'docker.io/bitnami/redis:7', 'quay.io/x/y:latest@sha256:' + 'b'.repeat(64),
);

const handler = opt(fc.record({
  httpGet: opt(fc.record({ port: fc.constant(8080), host: opt(fc.constantFrom('', '10.0.0.1')) }, { requiredKeys: ['port'] })),
  tcpSocket: opt(fc.record({ port: fc.constant(8080), host: opt(fc.constantFrom('', 'example.com')) }, { requiredKeys: ['port'] })),
}, { requiredKeys: [] }));

const quantity = opt(fc.record({ cpu: opt(fc.constantFrom('100m', '1')), memory: opt(fc.constantFrom('64Mi', '1Gi')) }, { requiredKeys: [] }));

const envEntry = fc.record({
  name: fc.constantFrom('DB_PASSWORD', 'dbPassword', 'LOG_LEVEL', 'API_KEY', 'PWD', 'PASSWORD_FILE', 'TOKENIZER', 'STRIPE', 'client.secret', 'HOST'),
  value: opt(fc.constantFrom('', ' ', '\u00a0', '\ufeff', 'hunter2', '$(OTHER)', '$(A) $(B)', '$(A)\u00a0$(B)', 'AKIA' + 'ABCDEFGHIJKLMNOP', 'xAKIA' + 'ABCDEFGHIJKLMNOP',
    'ghp_' + 'a'.repeat(36), 'eyJhbGciOi.eyJzdWIiOi.sig', 'AIza' + 'b'.repeat(35), 'AIza' + 'b'.repeat(36), '-----BEGIN RSA PRIVATE KEY-----', 'sk_live_' + 'c'.repeat(16), 'xoxb-1234567890ab', 'info')),
  valueFrom: opt(fc.constant({ secretKeyRef: { name: 's', key: 'k' } })),
}, { requiredKeys: ['name'] }).map((e) => (e.valueFrom ? { name: e.name, valueFrom: e.valueFrom } : e));

function container(name: string, ephemeral: boolean) {
  return fc.record({
    name: fc.constant(name),
    image,
    securityContext: containerSc,
    env: opt(fc.array(envEntry, { maxLength: 3 })),
    ports: ephemeral ? fc.constant(undefined) : opt(fc.array(fc.record({
      containerPort: fc.constantFrom(80, 8080),
      hostPort: opt(fc.constantFrom(0, 80)),
    }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })),
    livenessProbe: ephemeral ? fc.constant(undefined) : handler,
    lifecycle: ephemeral ? fc.constant(undefined) : opt(fc.record({ postStart: handler, preStop: handler }, { requiredKeys: [] })),
    resources: ephemeral ? fc.constant(undefined) : opt(fc.record({ limits: quantity, requests: quantity }, { requiredKeys: [] })),
  }, { requiredKeys: ['name', 'image'] });
}

const volume = fc.oneof(
  fc.record({ name: fc.constant('data'), emptyDir: fc.constant({}) }),
  fc.record({
    name: fc.constant('host'),
    hostPath: fc.record({
      path: fc.constantFrom('/var/run/docker.sock', '/data', '/', '//run//containerd/', ' /var/run ', '/run/k3s', '/opt/podman.sock', 'docker.sock', '/var/runx', '/run/crio/crio.sock.bak', '',
        '/.', '/run/./containerd', '/proc/1/root', '/proc/self/root/run/', '/proc/1/rootfs', '/proc/1/root/etc', '\\\\.\\pipe\\docker_engine', '//./PIPE/Docker_Engine', '/run/k0s'),
    }),
  }),
  fc.record({ name: fc.constant('nfs'), nfs: fc.record({ server: fc.constant('nfs.example.com'), path: fc.constant('/') }) }),
  fc.record({ name: fc.constant('cm'), configMap: fc.record({ name: fc.constant('settings') }) }),
);

const podSpec = fc.record({
  containers: fc.array(fc.constantFrom('app', 'web').chain((n) => container(n, false)), { minLength: 1, maxLength: 2 })
    .map((cs) => cs.map((c, i) => ({ ...c, name: `c${i}` }))),
  initContainers: opt(fc.array(container('init', false), { maxLength: 1 })),
  ephemeralContainers: opt(fc.array(container('debug', true), { maxLength: 1 })),
  hostNetwork: opt(fc.boolean()),
  hostPID: opt(fc.boolean()),
  hostIPC: opt(fc.boolean()),
  hostUsers: opt(fc.boolean()),
  serviceAccountName: opt(fc.constantFrom('default', 'web')),
  os: opt(fc.record({ name: fc.constantFrom('linux', 'windows') })),
  volumes: opt(fc.array(volume, { maxLength: 2 }).map((vs) => vs.filter((v, i) => vs.findIndex((w) => w.name === v.name) === i))),
  securityContext: opt(fc.record({
    runAsNonRoot: opt(fc.boolean()),
    runAsUser: opt(fc.constantFrom(0, 1000)),
    runAsGroup: opt(fc.constantFrom(0, 1000)),
    fsGroup: opt(fc.constantFrom(0, 1000)),
    supplementalGroups: opt(fc.array(fc.constantFrom(0, 1000), { maxLength: 2 })),
    seccompProfile: opt(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost'), localhostProfile: opt(fc.constant('p.json')) }, { requiredKeys: ['type'] })),
    appArmorProfile: opt(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost'), localhostProfile: opt(fc.constant('p')) }, { requiredKeys: ['type'] })),
    seLinuxOptions: seLinux,
    windowsOptions,
    sysctls: opt(fc.array(fc.record({ name: fc.constantFrom('kernel.shm_rmid_forced', 'net.ipv4.tcp_rmem', 'kernel.msgmax', 'net.ipv4.tcp_notsent_lowat'), value: fc.constant('1') }), { maxLength: 2 })),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['containers'] });

const annotations = opt(fc.dictionary(
  fc.constantFrom(
    'container.apparmor.security.beta.kubernetes.io/c0', 'seccomp.security.alpha.kubernetes.io/pod',
    'container.seccomp.security.alpha.kubernetes.io/c0', 'ignore.kubeharden.io/pss-privileged',
    'ignore.kubeharden.io/pss-run-as-non-root', 'ignore.kubeharden.io/image-latest-tag', 'example.com/team',
  ),
  fc.constantFrom('', 'runtime/default', 'unconfined', 'localhost/p', 'docker/default', 'too short', ' a reason that is long enough ', 'x\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0y'),
  { maxKeys: 3 },
));

const meta = (name: string) => fc.record({ name: fc.constant(name), namespace: fc.constant('apps'), annotations }, { requiredKeys: ['name', 'namespace'] });
const template = fc.record({ metadata: opt(fc.record({ annotations }, { requiredKeys: [] })), spec: podSpec }, { requiredKeys: ['spec'] });

/**
 * SealedSecrets (bitnami.com/v1alpha1) that the CRD's schema admits (test/fixtures/crds):
 * the cluster-wide annotation in both places, with values at the edges of "true"; empty and
 * filled encryptedData, the legacy spec.data; template data of literals, blanks (Unicode
 * white space, and a byte-order mark, which is not), templates and nulls.
 */
const CLUSTER_WIDE = 'sealedsecrets.bitnami.com/cluster-wide';
const scopeAnnotations = opt(fc.dictionary(
  fc.constantFrom(CLUSTER_WIDE, 'sealedsecrets.bitnami.com/namespace-wide', 'ignore.kubeharden.io/sealed-secret-cluster-wide',
    'ignore.kubeharden.io/sealed-secret-plaintext-template-data', 'ignore.kubeharden.io/sealed-secret-encrypted-data'),
  fc.constantFrom('true', 'TRUE', ' True\t', '\u00a0true\u2003', '\u0085true', '\ufefftrue', 'false', 'yes', '', 'a reason that is long enough', 'short'),
  { maxKeys: 3 },
));
export const sealedSecrets: fc.Arbitrary<any> = fc.record({
  apiVersion: fc.constant('bitnami.com/v1alpha1'),
  kind: fc.constant('SealedSecret'),
  metadata: fc.record({ name: fc.constant('ss'), namespace: fc.constant('apps'), annotations: scopeAnnotations }, { requiredKeys: ['name', 'namespace'] }),
  spec: fc.record({
    // a null value is dropped by the API server (the schema does not make it nullable)
    encryptedData: fc.dictionary(fc.constantFrom('password', 'token', 'a'), fc.constantFrom('AgBy3i4OJSWK+PiTySYZZA==', null), { maxKeys: 2 }),
    data: opt(fc.constant('AgBy3i4OJSWK')),
    template: opt(fc.record({
      type: opt(fc.constantFrom('Opaque', 'kubernetes.io/basic-auth')),
      metadata: opt(fc.oneof(fc.constant(null), fc.record({ annotations: scopeAnnotations, labels: opt(fc.constant({ app: 'web' })) }, { requiredKeys: [] }))),
      data: opt(fc.oneof(fc.constant(null), fc.dictionary(
        fc.constantFrom('password', 'token', 'config.yaml', 'a"b\\c'),
        fc.oneof(
          fc.constantFrom('hunter2', '', ' ', '\u00a0\u3000', '\u0085', '\ufeff', '{{ index . "password" }}', 'user: admin\npass: {{ .password }}', '{ {x} }', null),
          // Go templates that read the sealed data or only print constants (src/rules/secrets/go-template.ts)
          fc.array(fc.constantFrom('{{', '}}', '{{- ', ' -}}', '/*', '*/', ' ', '.', '.a', '$', '$x', '1', '.5', 'index', '"', '`', "'", '"}}"', '\\', 'pw'), { minLength: 1, maxLength: 10 })
            .map((parts) => parts.join('')),
        ),
        { maxKeys: 3 },
      ))),
    }, { requiredKeys: [] })),
  }, { requiredKeys: ['encryptedData'] }),
});

/**
 * SealedSecrets that only the CRDs of older controllers admit (test/fixtures/crds, v0.18.2:
 * the spec, an object, keeps any field and requires none): values of any JSON type where
 * the current schema wants strings and maps.
 */
const anyValue = fc.constantFrom<unknown>(true, false, 0, 1, 2.5, null, 'true', ' TRUE ', 'false', '', 'hunter2', '{{ .a }}', '{{ "a" }}', [], ['x'], {}, { a: 1 });
export const looseSealedSecrets: fc.Arbitrary<any> = fc.record({
  apiVersion: fc.constant('bitnami.com/v1alpha1'),
  kind: fc.constant('SealedSecret'),
  metadata: fc.record({ name: fc.constant('ss'), namespace: fc.constant('apps'), annotations: scopeAnnotations }, { requiredKeys: ['name', 'namespace'] }),
  spec: opt(fc.record({
    encryptedData: opt(fc.oneof(anyValue, fc.dictionary(fc.constantFrom('password', 'a'), anyValue, { maxKeys: 2 }))),
    data: opt(anyValue),
    template: opt(fc.oneof(anyValue, fc.record({
      metadata: opt(fc.oneof(anyValue, fc.record({
        annotations: opt(fc.oneof(anyValue, fc.dictionary(fc.constant(CLUSTER_WIDE), anyValue, { maxKeys: 1 }))),
      }, { requiredKeys: [] }))),
      data: opt(fc.oneof(anyValue, fc.dictionary(fc.constantFrom('password', 'pin'), anyValue, { maxKeys: 2 }))),
    }, { requiredKeys: [] }))),
  }, { requiredKeys: [] })),
});

/** Workloads of every pod shape. */
export const podObjects: fc.Arbitrary<any> = fc.oneof(
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), metadata: meta('p'), spec: podSpec }),
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('PodTemplate'), metadata: meta('t'), template }),
  fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constantFrom('Deployment', 'ReplicaSet', 'DaemonSet'),
    metadata: meta('w'),
    spec: template.map((t) => ({ selector: { matchLabels: { app: 'w' } }, template: t })),
  }),
  fc.record({ apiVersion: fc.constant('batch/v1'), kind: fc.constant('Job'), metadata: meta('j'), spec: template.map((t) => ({ template: t })) }),
  fc.record({
    apiVersion: fc.constant('batch/v1'),
    kind: fc.constant('CronJob'),
    metadata: meta('cj'),
    spec: template.map((t) => ({ schedule: '0 * * * *', jobTemplate: { spec: { template: t } } })),
  }),
).map(compact);

const policyRule = fc.record({
  apiGroups: fc.array(fc.constantFrom('', '*', 'apps', 'certificates.k8s.io', 'admissionregistration.k8s.io', 'rbac.authorization.k8s.io'), { minLength: 1, maxLength: 2 }),
  resources: fc.array(fc.constantFrom('*', 'secrets', 'pods', 'pods/exec', '*/exec', 'nodes/proxy', 'deployments', 'serviceaccounts/token',
    'certificatesigningrequests/approval', 'signers', 'validatingwebhookconfigurations', 'roles', 'clusterroles', 'users', 'userextras/scopes', 'configmaps'), { minLength: 1, maxLength: 2 }),
  verbs: fc.array(fc.constantFrom('*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'escalate', 'bind', 'impersonate', 'approve'), { minLength: 1, maxLength: 3 }),
  resourceNames: opt(fc.array(fc.constantFrom('one', 'two'), { maxLength: 1 })),
  nonResourceURLs: opt(fc.array(fc.constantFrom('/*', '**', '/healthz/*', '/api', '*', '/metrics'), { maxLength: 2 })),
}, { requiredKeys: ['apiGroups', 'resources', 'verbs'] });

const selector = fc.record({
  matchLabels: opt(fc.dictionary(fc.constantFrom('kubernetes.io/bootstrapping', 'team', 'rbac.example.com/aggregate-to-ops'), fc.constantFrom('rbac-defaults', 'true'), { maxKeys: 2 })),
  matchExpressions: opt(fc.array(fc.record({
    key: fc.constantFrom('kubernetes.io/bootstrapping', 'team'),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: opt(fc.array(fc.constantFrom('rbac-defaults', 'true'), { maxLength: 2 })),
  }, { requiredKeys: ['key', 'operator'] }), { maxLength: 2 })),
}, { requiredKeys: [] });

const credentialKey = fc.constantFrom('password', 'db.password', 'apiKey', 'log.level', 'token-file', 'TOKENIZER', 'stripe', 'ca.crt', 'secret_key');

/** The other kinds the policies match. */
export const otherObjects: fc.Arbitrary<any> = fc.oneof(
  fc.record({
    apiVersion: fc.constant('rbac.authorization.k8s.io/v1'),
    kind: fc.constant('ClusterRole'),
    metadata: fc.record({ name: fc.constant('aggregated') }),
    aggregationRule: fc.record({ clusterRoleSelectors: opt(fc.array(selector, { maxLength: 2 })) }, { requiredKeys: [] }),
  }),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('ConfigMap'),
    metadata: meta('cm'),
    data: opt(fc.dictionary(credentialKey, fc.constantFrom('', ' ', '\u00a0', 'value', 'hunter2'), { maxKeys: 3 })),
    binaryData: opt(fc.dictionary(credentialKey, fc.constantFrom('', 'aGVsbG8='), { maxKeys: 2 })),
  }),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('PersistentVolume'),
    metadata: fc.record({ name: fc.constant('pv') }),
    spec: fc.oneof(
      fc.record({ hostPath: fc.record({ path: fc.constantFrom('/data', '/') }) }),
      fc.record({ local: fc.record({ path: fc.constantFrom('/mnt/disks/ssd0', '/mnt/disks', '/mnt/disks-evil', '/mnt//disks/./a', '/mnt/disks/../etc', '/etc', '/', 'mnt/disks/b', '') }) }),
      fc.record({ nfs: fc.record({ server: fc.constant('nfs.example.com'), path: fc.constant('/') }) }),
    ).map((spec) => ({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], ...spec })),
  }),
  fc.record({
    apiVersion: fc.constant('rbac.authorization.k8s.io/v1'),
    kind: fc.constantFrom('Role', 'ClusterRole'),
    metadata: meta('r'),
    rules: opt(fc.array(policyRule, { maxLength: 3 })),
  }).map((r) => (r.kind === 'ClusterRole' ? { ...r, metadata: { name: r.metadata.name, ...(r.metadata.annotations ? { annotations: r.metadata.annotations } : {}) } } : r)),
  fc.record({
    apiVersion: fc.constant('rbac.authorization.k8s.io/v1'),
    kind: fc.constantFrom('RoleBinding', 'ClusterRoleBinding'),
    metadata: meta('b'),
    roleRef: fc.record({ apiGroup: fc.constant('rbac.authorization.k8s.io'), kind: fc.constantFrom('ClusterRole', 'Role'), name: fc.constantFrom('admin', 'edit', 'view', 'cluster-admin') }),
    subjects: opt(fc.array(fc.oneof(
      fc.record({ kind: fc.constant('Group'), apiGroup: fc.constant('rbac.authorization.k8s.io'), name: fc.constantFrom('system:authenticated', 'system:masters', 'system:serviceaccounts', 'system:serviceaccounts:apps', 'devs') }),
      fc.record({ kind: fc.constant('User'), apiGroup: fc.constant('rbac.authorization.k8s.io'), name: fc.constantFrom('system:anonymous', 'alice') }),
      fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom('default', 'web'), namespace: fc.constant('apps') }),
    ), { maxLength: 2 })),
  }).map((b) => (b.kind === 'ClusterRoleBinding' ? { ...b, metadata: { name: b.metadata.name } } : b)),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Service'),
    metadata: meta('s'),
    spec: fc.record({
      type: opt(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer')),
      externalIPs: opt(fc.array(fc.constant('192.0.2.1'), { maxLength: 1 })),
      ports: fc.constant([{ port: 80 }]),
    }, { requiredKeys: ['ports'] }),
  }),
  fc.record({
    apiVersion: fc.constant('networking.k8s.io/v1'),
    kind: fc.constant('Ingress'),
    metadata: meta('i'),
    spec: fc.record({
      defaultBackend: opt(fc.constant({ service: { name: 'web', port: { number: 80 } } })),
      rules: opt(fc.array(fc.record({ host: opt(fc.constantFrom('shop.example.com', '*.example.com', 'a.b.example.com', 'Shop.Example.com', '')) }, { requiredKeys: [] }), { maxLength: 2 })),
      tls: opt(fc.array(fc.record({
        hosts: opt(fc.array(fc.constantFrom('shop.example.com', '*.example.com', 'SHOP.example.com', ' shop.example.com ', '*.b.example.com', 'other.org', '\u212a.example.com'), { maxLength: 2 })),
        secretName: opt(fc.constant('cert')),
      }, { requiredKeys: [] }), { maxLength: 2 })),
    }, { requiredKeys: [] }),
  }),
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Secret'),
    metadata: fc.record({ name: fc.constant('token'), namespace: fc.constant('apps'), annotations: fc.constant({ 'kubernetes.io/service-account.name': 'web' }) }),
    type: opt(fc.constantFrom('Opaque', 'kubernetes.io/service-account-token', 'kubernetes.io/tls')),
  }),
  sealedSecrets,
  fc.record({
    apiVersion: fc.constant('v1'),
    kind: fc.constant('Namespace'),
    metadata: fc.record({ name: fc.constant('apps'), labels: opt(fc.dictionary(fc.constantFrom('pod-security.kubernetes.io/enforce', 'team'), fc.constantFrom('restricted', 'baseline'), { maxKeys: 2 })) }, { requiredKeys: ['name'] }),
  }),
).map(compact);

/**
 * Workloads of every pod shape that the API server's validation admits (mostly), with the
 * fields the fixes change at their edges: for the mutation tests, which compare what the
 * server admits after mutation with what it admits after `kubeharden fix`.
 */
const validProfile = fc.oneof(
  fc.constant({ type: 'RuntimeDefault' }),
  fc.constant({ type: 'Unconfined' }),
  fc.constant({ type: 'Localhost', localhostProfile: 'p.json' }),
);
const validArmor = fc.oneof(
  fc.constant({ type: 'RuntimeDefault' }),
  fc.constant({ type: 'Unconfined' }),
  fc.constant({ type: 'Localhost', localhostProfile: 'p' }),
);
const validContainerSc = opt(fc.record({
  privileged: opt(fc.boolean()),
  allowPrivilegeEscalation: opt(fc.boolean()),
  runAsNonRoot: opt(fc.boolean()),
  runAsUser: opt(fc.constantFrom(0, 1000)),
  capabilities: opt(fc.record({ add: caps, drop: opt(fc.array(fc.constantFrom('ALL', 'NET_RAW', 'CHOWN'), { maxLength: 2 })) }, { requiredKeys: [] })),
  seccompProfile: opt(validProfile),
  appArmorProfile: opt(validArmor),
  procMount: opt(fc.constantFrom('Default', 'Unmasked')),
}, { requiredKeys: [] }));
const validPorts = opt(fc.array(fc.record({ containerPort: fc.constantFrom(80, 8080), hostPort: opt(fc.constantFrom(0, 80, 8080)) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })
  .map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.containerPort === p.containerPort) === i)));
const validSpec = fc.record({
  containers: fc.array(fc.record({ name: fc.constant('c'), image: fc.constant('nginx:1.27'), ports: validPorts, securityContext: validContainerSc }, { requiredKeys: ['name', 'image'] }), { minLength: 1, maxLength: 3 })
    .map((cs) => cs.map((c, i) => ({ ...c, name: `c${i}` }))),
  initContainers: opt(fc.array(fc.record({ name: fc.constant('init'), image: fc.constant('busybox:1.36'), securityContext: validContainerSc }, { requiredKeys: ['name', 'image'] }), { maxLength: 1 })),
  hostUsers: opt(fc.constant(false)),
  hostNetwork: opt(fc.boolean()),
  hostPID: opt(fc.boolean()),
  hostIPC: opt(fc.boolean()),
  os: opt(fc.constantFrom({ name: 'linux' }, { name: 'windows' })),
  securityContext: opt(fc.record({
    runAsNonRoot: opt(fc.boolean()),
    runAsUser: opt(fc.constantFrom(0, 1000)),
    seccompProfile: opt(validProfile),
    appArmorProfile: opt(validArmor),
    // (rarely: every linux pod refuses it)
    windowsOptions: fc.constantFrom(undefined, undefined, undefined, undefined, { hostProcess: true }),
  }, { requiredKeys: [] })),
}, { requiredKeys: ['containers'] });
const validAnnotations = opt(fc.dictionary(
  fc.constantFrom('seccomp.security.alpha.kubernetes.io/pod', 'container.seccomp.security.alpha.kubernetes.io/c0',
    'container.apparmor.security.beta.kubernetes.io/c0', 'container.apparmor.security.beta.kubernetes.io/c1',
    'ignore.kubeharden.io/pss-privileged', 'ignore.kubeharden.io/pss-run-as-non-root', 'ignore.kubeharden.io/pss-capabilities-restricted',
    'ignore.kubeharden.io/pss-host-namespaces', 'example.com/team'),
  fc.constantFrom('runtime/default', 'unconfined', 'localhost/p.json', 'a reason that is long enough', 'too short'),
  { maxKeys: 3 },
));
const validTemplate = fc.record({ annotations: validAnnotations, spec: validSpec }, { requiredKeys: ['spec'] })
  .map((t) => ({ metadata: { labels: { app: 'w' }, ...(t.annotations ? { annotations: t.annotations } : {}) }, spec: t.spec }));

export const fixablePodObjects: fc.Arbitrary<any> = fc.oneof(
  fc.record({ annotations: validAnnotations, spec: validSpec })
    .map(({ annotations: a, spec }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(a ? { annotations: a } : {}) }, spec })),
  validTemplate.map((t) => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: t })),
  fc.tuple(fc.constantFrom('Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'), validTemplate).map(([kind, t]) => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'w' },
    spec: { selector: { matchLabels: { app: 'w' } }, template: t },
  })),
  validTemplate.map((t) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { ...t, spec: { ...t.spec, restartPolicy: 'Never' } } } })),
  validTemplate.map((t) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cj' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { ...t, spec: { ...t.spec, restartPolicy: 'Never' } } } } },
  })),
).map(compact);
