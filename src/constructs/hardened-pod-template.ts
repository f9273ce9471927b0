import { ApiObject, Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { checkAbsolute, DNS_LABEL } from './checks';
import { flowRule, DNS_PORTS, KUBE_DNS_PEER, networkPolicy, NetworkPeer, NetworkPort, NetworkProtocol, PeerFlow } from './default-deny-network-policy';
import { Loosening, looseningAnnotations, LOOSENINGS } from './loosening';
import { Acknowledgement } from './suppressions';

/**
 * A container port.
 *
 * @example
 * const http: ContainerPort = { port: 8080, name: 'http' };
 */
export interface ContainerPort {
  /** Port number (1-65535). Ports below 1024 need NET_BIND_SERVICE; prefer a high port. */
  readonly port: number;
  /**
   * Port name (IANA_SVC_NAME: at most 15 lowercase alphanumerics and dashes).
   * @default - `http` for the first port, `port-<number>` for the others
   */
  readonly name?: string;
  /**
   * Protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}

/**
 * A health probe: an HTTP GET (`httpPath`), a command (`command`), or a TCP
 * connection (neither).
 *
 * @example
 * const ready: HealthProbe = { httpPath: '/healthz', periodSeconds: 5 };
 * const alive: HealthProbe = { command: ['/bin/check'] };
 */
export interface HealthProbe {
  /**
   * Path of an HTTP GET probe.
   * @default - not an HTTP probe
   */
  readonly httpPath?: string;
  /**
   * Command of an exec probe.
   * @default - not an exec probe
   */
  readonly command?: string[];
  /**
   * Port of an HTTP or TCP probe.
   * @default - the first container port
   */
  readonly port?: number;
  /**
   * Seconds before the first probe.
   * @default - Kubernetes default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default 1
   */
  readonly timeoutSeconds?: number;
  /**
   * Failures before the probe gives up.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * CPU and memory requests and limits of the container.
 *
 * @example
 * const resources: ContainerResources = { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
 */
export interface ContainerResources {
  /**
   * CPU request.
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * CPU limit.
   * @default '500m'
   */
  readonly cpuLimit?: string;
  /**
   * Memory request.
   * @default '128Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Memory limit.
   * @default '256Mi'
   */
  readonly memoryLimit?: string;
}

/**
 * A key of a Secret, as an environment value (see `SealedSecretRef.envValue`).
 *
 * @example
 * const password: SecretKeyReference = { secretName: 'db-credentials', key: 'password' };
 */
export interface SecretKeyReference {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Key in the Secret. */
  readonly key: string;
}

/**
 * A Secret mounted as files (see `SealedSecretRef.volume`).
 *
 * @example
 * const tls: SecretVolume = { secretName: 'web-tls', mountPath: '/etc/tls' };
 */
export interface SecretVolume {
  /** Name of the Secret. */
  readonly secretName: string;
  /** Directory the keys appear in (read-only). */
  readonly mountPath: string;
  /**
   * Keys to mount.
   * @default - every key of the Secret
   */
  readonly keys?: string[];
}

/**
 * Options shared by every hardened workload: the container, its configuration
 * and the (rare, reasoned) loosenings of the hardened defaults. Only `image` is required.
 *
 * @example
 * const props: HardenedWorkloadProps = {
 *   image: 'registry.example.com/api:1.4.2',
 *   ports: [{ port: 8080 }],
 *   env: { LOG_LEVEL: 'info' },
 *   secretEnv: { DB_PASSWORD: dbCredentials.envValue('password') },
 *   readinessProbe: { httpPath: '/ready' },
 * };
 */
export interface HardenedWorkloadProps {
  /**
   * Container image with a version tag or a digest (`:latest` and untagged images are refused).
   */
  readonly image: string;
  /**
   * Name of the workload object.
   * @default - a unique name generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Name of the container.
   * @default 'main'
   */
  readonly containerName?: string;
  /**
   * Entrypoint (replaces the image's ENTRYPOINT).
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments (replace the image's CMD).
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Container ports.
   * @default - none
   */
  readonly ports?: ContainerPort[];
  /**
   * Configuration values as environment variables (never secrets: use `secretEnv`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secret keys (e.g. `SealedSecretRef.envValue('password')`).
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * Secrets mounted as read-only files (e.g. `SealedSecretRef.volume('/etc/tls')`).
   * @default - none
   */
  readonly secretVolumes?: SecretVolume[];
  /**
   * Extra writable directories (each an emptyDir), besides /tmp.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Size limit of each writable emptyDir.
   * @default '64Mi'
   */
  readonly writableSizeLimit?: string;
  /**
   * CPU and memory requests and limits.
   * @default - 100m/500m CPU, 128Mi/256Mi memory
   */
  readonly resources?: ContainerResources;
  /**
   * Liveness probe.
   * @default - none
   */
  readonly livenessProbe?: HealthProbe;
  /**
   * Readiness probe.
   * @default - none
   */
  readonly readinessProbe?: HealthProbe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startupProbe?: HealthProbe;
  /**
   * Non-root user id the container runs as.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Non-root group id the container runs as (also the fsGroup).
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Extra labels of the pods (and of the workload).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Extra annotations of the pods.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Peers allowed to connect to the pods, on the container ports. Every other
   * ingress is denied by the workload's own NetworkPolicy.
   * @default - no ingress
   */
  readonly allowFrom?: NetworkPeer[];
  /**
   * Flows the pods may open. Every other egress (except DNS, see `allowDns`) is
   * denied by the workload's own NetworkPolicy.
   * @default - no egress but DNS
   */
  readonly allowTo?: PeerFlow[];
  /**
   * Allow DNS queries to kube-dns.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Loosening: make the root filesystem writable.
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: Acknowledgement;
  /**
   * Loosening: mount the ServiceAccount token (for workloads that call the Kubernetes API).
   * @default - the token is not mounted
   */
  readonly mountServiceAccountToken?: Acknowledgement;
  /**
   * Loosening: let processes gain more privileges than their parent (setuid binaries).
   * Fails the Pod Security Standards restricted profile.
   * @default - privilege escalation is disallowed
   */
  readonly allowPrivilegeEscalation?: Acknowledgement;
}

const DEFAULT_ID = 10001;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The hardened pod shared by every kubeharden workload: a dedicated
 * ServiceAccount without token automount and a pod spec that passes the Pod
 * Security Standards restricted profile and the kubeharden hardened rules.
 *
 * Defaults: runAsNonRoot with a non-root user and group, seccomp RuntimeDefault
 * at pod level, every capability dropped, no privilege escalation, a read-only
 * root filesystem with a writable emptyDir at /tmp, CPU and memory requests and
 * limits, no host namespaces, ports or paths, and a refused `latest`/untagged image.
 * Workloads (HardenedDeployment, HardenedStatefulSet, HardenedJob, HardenedCronJob)
 * create one; use it directly to build a workload kind of your own.
 *
 * @example
 * const pod = new HardenedPodTemplate(chart, 'worker', { image: 'registry.example.com/worker:3.1.0' }, 'HardenedDaemonWorker');
 * new ApiObject(chart, 'rs', { apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { selector: { matchLabels: pod.selectorLabels }, template: pod.template } });
 */
export class HardenedPodTemplate extends Construct {
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** Name of the dedicated ServiceAccount. */
  public readonly serviceAccountName: string;
  /** Labels that select the pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** Every label of the pods (selector labels and extra labels). */
  public readonly podLabels: { [key: string]: string };
  /** The pod template (`metadata` and `spec`), as JSON. */
  public readonly template: any;
  /**
   * Annotations the workload object must carry: the suppressions (with reasons)
   * of the loosenings in use.
   */
  public readonly workloadAnnotations: { [key: string]: string };
  /** The container ports. */
  public readonly ports: number[];
  /** Namespace of the objects (undefined: the chart's namespace). */
  public readonly namespace?: string;
  private readonly name?: string;

  /**
   * @param workloadKind the kind of the workload that embeds the pod (for suppressions and errors)
   */
  constructor(scope: Construct, id: string, props: HardenedWorkloadProps, workloadKind: string = 'Pod') {
    super(scope, id);
    const where = `${workloadKind} ${scope.node.path}`;
    validateImage(props.image, where);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.name = props.name;

    const instance = Names.toLabelValue(scope);
    const appName = props.name ?? (scope.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'app');
    this.selectorLabels = { 'app.kubernetes.io/name': appName, 'app.kubernetes.io/instance': instance };
    this.podLabels = { ...(props.labels ?? {}), ...this.selectorLabels };

    const annotations: { [key: string]: string } = {};
    const loosen = (ack: Acknowledgement | undefined, l: Loosening, kind: string, into: { [key: string]: string }) => {
      if (ack === undefined) return false;
      Object.assign(into, looseningAnnotations(l, ack, kind, where));
      return true;
    };
    const writableRoot = loosen(props.writableRootFilesystem, LOOSENINGS.writableRootFilesystem, workloadKind, annotations);
    const escalation = loosen(props.allowPrivilegeEscalation, LOOSENINGS.allowPrivilegeEscalation, workloadKind, annotations);
    const saAnnotations: { [key: string]: string } = {};
    const mountToken = loosen(props.mountServiceAccountToken, LOOSENINGS.mountServiceAccountToken, workloadKind, annotations);
    if (mountToken) loosen(props.mountServiceAccountToken, LOOSENINGS.mountServiceAccountToken, 'ServiceAccount', saAnnotations);
    this.workloadAnnotations = annotations;

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        ...(props.name !== undefined ? { name: props.name } : {}),
        namespace: this.namespace,
        labels: { ...this.selectorLabels },
        ...(Object.keys(saAnnotations).length ? { annotations: saAnnotations } : {}),
      },
      automountServiceAccountToken: mountToken,
    });
    this.serviceAccountName = this.serviceAccount.name;

    const ports = (props.ports ?? []).map((p, i) => renderContainerPort(p, i, where));
    this.ports = ports.map((p) => p.containerPort);
    const uid = nonRootId(props.runAsUser, 'runAsUser', where);
    const gid = nonRootId(props.runAsGroup, 'runAsGroup', where);

    const volumes: any[] = [];
    const mounts: any[] = [];
    const writable = ['/tmp', ...(props.writablePaths ?? [])];
    const sizeLimit = props.writableSizeLimit ?? '64Mi';
    writable.forEach((path, i) => {
      checkAbsolute(path, 'writable path', where);
      const name = i === 0 ? 'tmp' : `writable-${i}`;
      volumes.push({ name, emptyDir: { sizeLimit } });
      mounts.push({ name, mountPath: path });
    });
    (props.secretVolumes ?? []).forEach((sv, i) => {
      checkAbsolute(sv.mountPath, 'secret mount path', where);
      const name = `secret-${i}`;
      volumes.push({
        name,
        secret: {
          secretName: sv.secretName,
          defaultMode: 0o440,
          ...(sv.keys && sv.keys.length ? { items: sv.keys.map((k) => ({ key: k, path: k })) } : {}),
        },
      });
      mounts.push({ name, mountPath: sv.mountPath, readOnly: true });
    });

    const env: any[] = [];
    for (const [name, value] of Object.entries(props.env ?? {})) {
      checkEnvName(name, where);
      env.push({ name, value: String(value) });
    }
    for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
      checkEnvName(name, where);
      if (env.some((e) => e.name === name)) throw new Error(`${where}: environment variable ${name} is set both in env and secretEnv`);
      env.push({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
    }

    const r = props.resources ?? {};
    const container: any = {
      name: props.containerName ?? 'main',
      image: props.image,
      imagePullPolicy: 'IfNotPresent',
      ...(props.command ? { command: props.command.slice() } : {}),
      ...(props.args ? { args: props.args.slice() } : {}),
      ...(ports.length ? { ports } : {}),
      ...(env.length ? { env } : {}),
      resources: {
        requests: { cpu: r.cpuRequest ?? '100m', memory: r.memoryRequest ?? '128Mi' },
        limits: { cpu: r.cpuLimit ?? '500m', memory: r.memoryLimit ?? '256Mi' },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        privileged: false,
        allowPrivilegeEscalation: escalation,
        readOnlyRootFilesystem: !writableRoot,
        capabilities: { drop: ['ALL'] },
      },
      volumeMounts: mounts,
    };
    for (const [field, probe] of [['livenessProbe', props.livenessProbe], ['readinessProbe', props.readinessProbe], ['startupProbe', props.startupProbe]] as const) {
      if (probe) container[field] = renderProbe(probe, this.ports[0], `${where} ${field}`);
    }

    this.template = {
      metadata: {
        labels: { ...this.podLabels },
        ...(props.podAnnotations && Object.keys(props.podAnnotations).length ? { annotations: { ...props.podAnnotations } } : {}),
      },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: mountToken,
        enableServiceLinks: false,
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: uid,
          runAsGroup: gid,
          fsGroup: gid,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [container],
        volumes,
      },
    };
  }

  /**
   * Metadata of the workload object: name, namespace, labels and loosening annotations.
   * @internal
   */
  public _workloadMetadata(): any {
    return {
      ...(this.name !== undefined ? { name: this.name } : {}),
      namespace: this.namespace,
      labels: { ...this.podLabels },
      ...(Object.keys(this.workloadAnnotations).length ? { annotations: { ...this.workloadAnnotations } } : {}),
    };
  }

  /**
   * Service ports for the container ports.
   * @internal
   */
  public _servicePorts(): any[] {
    return (this.template.spec.containers[0].ports ?? []).map((p: any) => ({
      name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol,
    }));
  }

  /**
   * Metadata of a companion object (Service, …): name, namespace and selector labels.
   * @internal
   */
  public _companionMetadata(): any {
    return {
      ...(this.name !== undefined ? { name: this.name } : {}),
      namespace: this.namespace,
      labels: { ...this.selectorLabels },
    };
  }
}

/**
 * Throws unless the image names a version tag or a digest (and not `latest`).
 * @internal
 */
function validateImage(image: string, where: string): void {
  if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image)) {
    throw new Error(`${where}: image must be a non-empty image reference, got ${JSON.stringify(image)}`);
  }
  const at = image.indexOf('@');
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  if (digest !== undefined && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/.test(digest)) {
    throw new Error(`${where}: image "${image}" has a malformed digest; expected <name>@sha256:<64 hex digits>`);
  }
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
  const repo = colon >= 0 ? nameAndTag.slice(0, colon) : nameAndTag;
  if (tag !== undefined && tag.toLowerCase() === 'latest') {
    throw new Error(`${where}: image "${image}" uses the mutable "latest" tag; pin a version tag (e.g. ${repo}:1.2.3) or a digest (${repo}@sha256:...)`);
  }
  if (tag === undefined && digest === undefined) {
    throw new Error(`${where}: image "${image}" has no tag, which means "latest"; pin a version tag (e.g. ${repo}:1.2.3) or a digest (${repo}@sha256:...)`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new Error(`${where}: image "${image}" has an invalid tag "${tag}"`);
  }
}

function renderContainerPort(p: ContainerPort, i: number, where: string): any {
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`${where}: container port ${p.port} is not in 1-65535`);
  const name = p.name ?? (i === 0 ? 'http' : `port-${p.port}`);
  if (name.length > 15 || !DNS_LABEL.test(name) || !/[a-z]/.test(name)) {
    throw new Error(`${where}: port name "${name}" must be at most 15 lowercase letters, digits and dashes, with a letter`);
  }
  return { name, containerPort: p.port, protocol: p.protocol ?? NetworkProtocol.TCP };
}

function renderProbe(probe: HealthProbe, defaultPort: number | undefined, where: string): any {
  if (probe.httpPath !== undefined && probe.command !== undefined) {
    throw new Error(`${where}: a probe is either httpPath or command, not both`);
  }
  const timing = {
    ...(probe.initialDelaySeconds !== undefined ? { initialDelaySeconds: probe.initialDelaySeconds } : {}),
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
  if (probe.command !== undefined) {
    if (probe.command.length === 0) throw new Error(`${where}: an exec probe needs a command`);
    return { exec: { command: probe.command.slice() }, ...timing };
  }
  const port = probe.port ?? defaultPort;
  if (port === undefined) throw new Error(`${where}: the probe needs a port (the container declares none)`);
  if (probe.httpPath !== undefined) {
    if (!probe.httpPath.startsWith('/')) throw new Error(`${where}: probe path "${probe.httpPath}" must start with /`);
    return { httpGet: { path: probe.httpPath, port, scheme: 'HTTP' }, ...timing };
  }
  return { tcpSocket: { port }, ...timing };
}

function nonRootId(id: number | undefined, field: string, where: string): number {
  const v = id ?? DEFAULT_ID;
  if (!Number.isInteger(v) || v < 1 || v > 2147483647) {
    throw new Error(`${where}: ${field} must be a non-root id (1-2147483647), got ${v}`);
  }
  return v;
}

function checkEnvName(name: string, where: string): void {
  if (!ENV_NAME.test(name)) throw new Error(`${where}: "${name}" is not a valid environment variable name`);
}

/**
 * Base of the hardened workloads: the hardened pod, and a NetworkPolicy that
 * selects the pods and denies every flow not allowed with `allowFrom`/`allowTo`
 * (DNS egress to kube-dns is allowed unless `allowDns: false`).
 * HardenedDeployment, HardenedStatefulSet, HardenedJob and HardenedCronJob extend it.
 *
 * @example
 * const workloads: HardenedWorkload[] = [web, api, db];
 * for (const w of workloads) role.bindWorkload(w);
 * db.allowFrom(api.peer());
 */
export abstract class HardenedWorkload extends Construct {
  /** The hardened pod template and its ServiceAccount. */
  public readonly pod: HardenedPodTemplate;
  /** The workload's NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  private readonly ingress: any[] = [];
  private readonly egress: any[] = [];

  /**
   * @param kind the workload kind
   */
  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps, kind: string) {
    super(scope, id);
    this.pod = new HardenedPodTemplate(this, 'Pod', props, kind);
    this.networkPolicy = networkPolicy(this, 'NetworkPolicy', {
      namespace: this.pod.namespace,
      podLabels: this.pod.selectorLabels,
      ingress: this.ingress,
      egress: this.egress,
    });
    if (props.allowDns ?? true) this.egress.push(flowRule({ peer: KUBE_DNS_PEER, ports: DNS_PORTS }, 'to'));
    for (const peer of props.allowFrom ?? []) this.allowFrom(peer);
    for (const flow of props.allowTo ?? []) this.allowTo(flow.peer, flow.ports);
  }

  /** Name of the workload's ServiceAccount (e.g. to bind a LeastPrivilegeRole to). */
  public get serviceAccountName(): string {
    return this.pod.serviceAccountName;
  }

  /**
   * The workload's pods as a network peer, for other workloads' `allowFrom`/`allowTo`.
   *
   * @example
   * api.allowFrom(web.peer());
   */
  public peer(): NetworkPeer {
    return {
      podLabels: { ...this.pod.selectorLabels },
      ...(this.pod.namespace !== undefined ? { namespaceName: this.pod.namespace } : {}),
    };
  }

  /**
   * Allows a peer to connect to the pods.
   *
   * @param ports ports to allow (default: the container ports, or every port when there is none)
   * @example
   * api.allowFrom(web.peer());
   */
  public allowFrom(peer: NetworkPeer, ports?: NetworkPort[]): void {
    const p = ports ?? this.pod.ports.map((port) => ({ port }));
    this.ingress.push(flowRule({ peer, ports: p }, 'from'));
  }

  /**
   * Allows the pods to open connections to a peer.
   *
   * @param ports ports to allow (default: every port)
   * @example
   * web.allowTo(api.peer(), [{ port: 8080 }]);
   */
  public allowTo(peer: NetworkPeer, ports?: NetworkPort[]): void {
    this.egress.push(flowRule({ peer, ports }, 'to'));
  }
}
