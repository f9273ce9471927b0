'use strict';
// Deterministic benchmark corpus for kubeharden: mixed Kubernetes objects as multi-document
// YAML files, shaped like what cdk8s-plus, Helm and kustomize emit. The same seed always gives
// the same bytes, so runs on different machines check the same input.
//
//   node bench/generate.js [outDir] [--objects N]
//
// Written under bench/out/ (git-ignored). Used by bench/run.js.

const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const DEFAULT_OBJECTS = 20000;
const OBJECTS_PER_FILE = 500;
const CORPUS_VERSION = 1; // bump when the shape of the corpus changes

/** mulberry32: small, fast, deterministic. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['web', 'api', 'cart', 'checkout', 'search', 'auth', 'billing', 'catalog', 'orders', 'users',
  'payments', 'gateway', 'worker', 'indexer', 'mailer', 'reports', 'ingest', 'cache', 'proxy', 'scheduler'];
const NAMESPACES = ['shop', 'payments', 'platform', 'data', 'monitoring', 'default', 'team-a', 'team-b'];
const REGISTRIES = ['ghcr.io/acme', 'registry.example.com/platform', 'docker.io/library', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'];
const IMAGES = ['nginx', 'redis', 'node', 'python', 'busybox', 'envoy', 'postgres', 'api-server', 'worker'];

function makeGen(seed) {
  const r = rng(seed);
  const g = {
    r,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    pick: (a) => a[Math.floor(r() * a.length)],
    chance: (p) => r() < p,
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
      return s;
    },
  };
  return g;
}

function image(g) {
  const tagged = g.chance(0.7);
  const img = `${g.pick(REGISTRIES)}/${g.pick(IMAGES)}`;
  if (g.chance(0.15)) return `${img}@sha256:${g.hex(64)}`;
  return tagged ? `${img}:${g.int(1, 9)}.${g.int(0, 30)}.${g.int(0, 9)}` : `${img}:latest`;
}

function labels(g, app, addr) {
  const l = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'shop' };
  if (addr) l['cdk8s.io/metadata.addr'] = addr;
  if (g.chance(0.5)) l['app.kubernetes.io/version'] = `${g.int(1, 5)}.${g.int(0, 20)}.${g.int(0, 9)}`;
  if (g.chance(0.3)) l.team = g.pick(['core', 'growth', 'infra', 'data']);
  return l;
}

/** A container in the cdk8s-plus style; `secure` decides whether it passes the hardened profile. */
function container(g, name, secure, withProbes) {
  const port = g.pick([80, 3000, 8000, 8080, 8443, 9090]);
  const c = {
    env: [],
    image: image(g),
    imagePullPolicy: g.pick(['Always', 'IfNotPresent']),
    name,
    ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }],
  };
  const envCount = g.int(1, 5);
  for (let i = 0; i < envCount; i++) {
    const k = g.int(0, 9);
    if (k < 6) c.env.push({ name: `${name.toUpperCase().replace(/-/g, '_')}_SETTING_${i}`, value: g.chance(0.3) ? String(g.int(1, 9999)) : `value-${g.hex(8)}` });
    else if (k < 8) c.env.push({ name: `SECRET_${i}`, valueFrom: { secretKeyRef: { key: 'password', name: `${name}-credentials` } } });
    else c.env.push({ name: `POD_${i}`, valueFrom: { fieldRef: { fieldPath: g.pick(['metadata.name', 'metadata.namespace', 'status.podIP']) } } });
  }
  if (g.chance(0.3)) c.args = ['--port', String(port), '--log-level', g.pick(['info', 'debug', 'warn'])];
  if (g.chance(0.2)) c.command = ['/bin/sh', '-c', `exec /app/start --listen :${port}`];
  if (withProbes) {
    c.readinessProbe = g.chance(0.5)
      ? { failureThreshold: 3, httpGet: { path: '/healthz', port, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1 }
      : { failureThreshold: 3, tcpSocket: { port } };
    c.livenessProbe = { failureThreshold: 3, httpGet: { path: '/livez', port }, initialDelaySeconds: 15, periodSeconds: 20 };
    if (g.chance(0.3)) c.startupProbe = { failureThreshold: 30, httpGet: { path: '/healthz', port }, periodSeconds: 5 };
  }
  if (secure || g.chance(0.6)) {
    c.resources = {
      limits: { cpu: `${g.pick([250, 500, 1000, 1500, 2000])}m`, memory: `${g.pick([256, 512, 1024, 2048])}Mi` },
      requests: { cpu: `${g.pick([100, 250, 500, 1000])}m`, memory: `${g.pick([128, 256, 512])}Mi` },
    };
  }
  if (secure) {
    c.securityContext = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: g.int(1000, 65000),
      seccompProfile: { type: 'RuntimeDefault' },
    };
  } else {
    const k = g.int(0, 9);
    if (k === 0) c.securityContext = { privileged: true };
    else if (k === 1) c.securityContext = { capabilities: { add: [g.pick(['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'])] } };
    else if (k === 2) c.securityContext = { allowPrivilegeEscalation: true, runAsUser: 0 };
    else if (k < 6) c.securityContext = { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: g.chance(0.5), runAsNonRoot: true };
    // else: no securityContext at all
  }
  c.volumeMounts = [{ mountPath: '/tmp', name: 'tmp' }];
  if (g.chance(0.5)) c.volumeMounts.push({ mountPath: '/etc/config', name: 'config', readOnly: true });
  return c;
}

function podSpec(g, app, secure) {
  const spec = {
    automountServiceAccountToken: secure ? false : g.chance(0.5),
    containers: [container(g, 'main', secure, true)],
    dnsPolicy: 'ClusterFirst',
    hostNetwork: false,
    restartPolicy: 'Always',
    securityContext: secure
      ? { fsGroup: 2000, fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }
      : { fsGroupChangePolicy: 'Always', runAsNonRoot: g.chance(0.5) },
    setHostnameAsFQDN: false,
    terminationGracePeriodSeconds: 30,
    volumes: [{ emptyDir: {}, name: 'tmp' }, { configMap: { name: `${app}-config` }, name: 'config' }],
  };
  if (g.chance(0.3)) spec.containers.push(container(g, 'sidecar', secure, false));
  if (g.chance(0.25)) {
    const init = container(g, 'init', secure, false);
    delete init.ports;
    spec.initContainers = [init];
  }
  if (!secure) {
    const k = g.int(0, 19);
    if (k === 0) spec.hostNetwork = true;
    else if (k === 1) spec.hostPID = true;
    else if (k === 2) spec.volumes.push({ hostPath: { path: '/var/run/docker.sock', type: 'Socket' }, name: 'docker' });
    else if (k === 3) spec.containers[0].ports[0].hostPort = spec.containers[0].ports[0].containerPort;
    else if (k === 4) spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }];
  }
  if (g.chance(0.2)) spec.serviceAccountName = `${app}-sa`;
  if (g.chance(0.15)) spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
  if (g.chance(0.1)) spec.tolerations = [{ effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: app }];
  return spec;
}

function meta(g, name, ns, app, annotate) {
  const m = { labels: labels(g, app), name, namespace: ns };
  if (annotate) {
    m.annotations = { 'kubeharden.io/owner': `${app}-team` };
    if (g.chance(0.1)) m.annotations['ignore.kubeharden.io/pss-privileged'] = 'debug agent needs privileged access to the node';
  }
  return m;
}

function template(g, app, addr, secure) {
  return { metadata: { labels: labels(g, app, addr) }, spec: podSpec(g, app, secure) };
}

function workload(g, kind, n) {
  const app = `${g.pick(WORDS)}-${n}`;
  const ns = g.pick(NAMESPACES);
  const secure = g.chance(0.3);
  const addr = `chart-${app}-c8${g.hex(6)}`;
  const metadata = meta(g, `${app}-c8${g.hex(6)}`, ns, app, g.chance(0.4));
  const selector = { matchLabels: { 'cdk8s.io/metadata.addr': addr } };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata, spec: podSpec(g, app, secure) };
    case 'PodTemplate':
      return { apiVersion: 'v1', kind, metadata, template: template(g, app, addr, secure) };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1', kind, metadata,
        spec: {
          minReadySeconds: 0, progressDeadlineSeconds: 600, replicas: g.int(1, 6), selector,
          strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
          template: template(g, app, addr, secure),
        },
      };
    case 'ReplicaSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas: g.int(1, 4), selector, template: template(g, app, addr, secure) } };
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1', kind, metadata,
        spec: {
          podManagementPolicy: 'OrderedReady', replicas: g.int(1, 3), selector, serviceName: app,
          template: template(g, app, addr, secure),
          updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${g.pick([1, 10, 50])}Gi` } } } }],
        },
      };
    case 'DaemonSet':
      return { apiVersion: 'apps/v1', kind, metadata, spec: { minReadySeconds: 0, selector, template: template(g, app, addr, secure), updateStrategy: { type: 'RollingUpdate' } } };
    case 'Job': {
      const t = template(g, app, addr, secure);
      t.spec.restartPolicy = 'Never';
      return { apiVersion: 'batch/v1', kind, metadata, spec: { backoffLimit: 6, template: t, ttlSecondsAfterFinished: 3600 } };
    }
    case 'CronJob': {
      const t = template(g, app, addr, secure);
      t.spec.restartPolicy = 'OnFailure';
      return {
        apiVersion: 'batch/v1', kind, metadata,
        spec: { concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 2, template: t } }, schedule: `${g.int(0, 59)} ${g.int(0, 23)} * * *`, successfulJobsHistoryLimit: 3 },
      };
    }
    case 'ReplicationController':
      return { apiVersion: 'v1', kind, metadata, spec: { replicas: g.int(1, 3), selector: { app }, template: template(g, app, addr, secure) } };
    default:
      throw new Error(kind);
  }
}

function rbac(g, n) {
  const app = `${g.pick(WORDS)}-${n}`;
  const ns = g.pick(NAMESPACES);
  const k = g.int(0, 3);
  const dangerous = g.chance(0.3);
  const rules = [
    { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
  ];
  if (dangerous) rules.push(g.pick([
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
  ]));
  const subjects = [{ kind: 'ServiceAccount', name: `${app}-sa`, namespace: ns }];
  if (g.chance(0.1)) subjects.push({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g.pick(['system:authenticated', 'developers']) });
  switch (k) {
    case 0: return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${app}-role`, namespace: ns }, rules };
    case 1: return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${app}-clusterrole`, labels: labels(g, app) }, rules };
    case 2: return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${app}-binding`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${app}-role` }, subjects };
    default: return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${app}-clusterbinding` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: g.chance(0.2) ? 'cluster-admin' : `${app}-clusterrole` }, subjects };
  }
}

function service(g, n) {
  const app = `${g.pick(WORDS)}-${n}`;
  const type = g.pick(['ClusterIP', 'ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']);
  const port = g.pick([80, 443, 8080]);
  const s = {
    apiVersion: 'v1', kind: 'Service', metadata: meta(g, app, g.pick(NAMESPACES), app, g.chance(0.3)),
    spec: { externalIPs: [], ports: [{ name: 'http', port, protocol: 'TCP', targetPort: g.pick([8080, 3000, 'http']) }], selector: { 'cdk8s.io/metadata.addr': `chart-${app}-c8${g.hex(6)}` }, type },
  };
  if (type === 'NodePort') s.spec.ports[0].nodePort = g.int(30000, 32767);
  if (type === 'LoadBalancer' && g.chance(0.5)) s.spec.loadBalancerSourceRanges = ['10.0.0.0/8'];
  return s;
}

function networkPolicy(g, n) {
  const app = `${g.pick(WORDS)}-${n}`;
  const ns = g.pick(NAMESPACES);
  if (g.chance(0.3)) {
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  }
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `${app}-allow`, namespace: ns },
    spec: {
      egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] }],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': g.pick(WORDS) } } }, ...(g.chance(0.2) ? [{ ipBlock: { cidr: '0.0.0.0/0' } }] : [])], ports: [{ port: 8080, protocol: 'TCP' }] }],
      podSelector: { matchLabels: { 'app.kubernetes.io/name': app } },
      policyTypes: ['Ingress', 'Egress'],
    },
  };
}

function configMap(g, n) {
  const app = `${g.pick(WORDS)}-${n}`;
  const data = {};
  const keys = g.int(2, 8);
  for (let i = 0; i < keys; i++) {
    data[`setting_${i}`] = g.chance(0.5) ? `value-${g.hex(12)}` : String(g.int(0, 100000));
  }
  if (g.chance(0.4)) {
    const lines = [];
    for (let i = 0; i < g.int(5, 25); i++) lines.push(`${g.pick(['server', 'upstream', 'log', 'cache', 'limit'])}.${g.hex(4)} = ${g.hex(10)}`);
    data['app.properties'] = `${lines.join('\n')}\n`;
  }
  if (g.chance(0.05)) data.DATABASE_PASSWORD = `p4ss-${g.hex(10)}`;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(g, `${app}-config`, g.pick(NAMESPACES), app, false), data };
}

const WORKLOAD_KINDS = ['Deployment', 'Deployment', 'Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet', 'ReplicationController', 'PodTemplate'];

/** The n-th object of the corpus, by a fixed mix of kinds. */
function object(g, n) {
  const k = g.int(0, 99);
  if (k < 38) return workload(g, g.pick(WORKLOAD_KINDS), n);
  if (k < 55) return rbac(g, n);
  if (k < 68) return service(g, n);
  if (k < 78) return networkPolicy(g, n);
  return configMap(g, n);
}

const DUMP = { lineWidth: -1, noRefs: true };

/** Renders one document: a List of several objects now and then, as kubectl get -o yaml prints. */
function renderDocs(g, objects) {
  const out = [];
  let i = 0;
  while (i < objects.length) {
    if (g.chance(0.02) && i + 5 <= objects.length) {
      const items = objects.slice(i, i + g.int(2, 5));
      i += items.length;
      out.push(yaml.dump({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, DUMP));
    } else {
      const o = objects[i++];
      // a header comment now and then, as Helm writes it
      const head = g.chance(0.1) ? `# Source: ${o.metadata.name}/templates/${o.kind.toLowerCase()}.yaml\n` : '';
      out.push(head + yaml.dump(o, DUMP));
    }
  }
  return `${out.map((d) => `---\n${d}`).join('')}`;
}

/**
 * Writes the corpus to `dir` (replacing it) and returns a summary.
 * @returns {{dir: string, files: string[], objects: number, bytes: number, kinds: Record<string, number>}}
 */
function generate(dir, total = DEFAULT_OBJECTS) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const g = makeGen(0x6b756265); // 'kube'
  const files = [];
  const kinds = {};
  let bytes = 0;
  let n = 0;
  let fileNo = 0;
  while (n < total) {
    const count = Math.min(OBJECTS_PER_FILE, total - n);
    const objects = [];
    for (let i = 0; i < count; i++) {
      const o = object(g, n + i);
      kinds[o.kind] = (kinds[o.kind] || 0) + 1;
      objects.push(o);
    }
    n += count;
    const text = renderDocs(g, objects);
    const name = path.join(dir, `manifests-${String(fileNo++).padStart(3, '0')}.yaml`);
    fs.writeFileSync(name, text);
    files.push(name);
    bytes += Buffer.byteLength(text);
  }
  const summary = { version: CORPUS_VERSION, objects: n, bytes, fileCount: files.length, kinds };
  // (no .json extension: kubectl, and so kubeharden, reads hidden manifest files in a directory)
  fs.writeFileSync(path.join(dir, '.corpus-summary'), JSON.stringify(summary, null, 2));
  return { dir, files, ...summary };
}

/** The corpus in `dir`, generated when missing or out of date. */
function ensureCorpus(dir, total = DEFAULT_OBJECTS) {
  try {
    const summary = JSON.parse(fs.readFileSync(path.join(dir, '.corpus-summary'), 'utf8'));
    if (summary.version === CORPUS_VERSION && summary.objects === total) {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
      if (files.length === summary.fileCount) return { dir, files, ...summary };
    }
  } catch {
    // missing or unreadable: generate
  }
  return generate(dir, total);
}

module.exports = { generate, ensureCorpus, DEFAULT_OBJECTS };

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--objects');
  const total = i >= 0 ? Number(args[i + 1]) : DEFAULT_OBJECTS;
  const dir = args[0] && !args[0].startsWith('--') ? args[0] : path.join(__dirname, 'out', 'corpus');
  const s = generate(dir, total);
  console.log(`${s.objects} objects, ${s.files.length} files, ${(s.bytes / 1048576).toFixed(1)} MiB in ${dir}`);
  console.log(JSON.stringify(s.kinds));
}
