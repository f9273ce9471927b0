import { ApiObject, Chart, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { checkAbsolute } from './checks';
import {
  ContainerBuild, ContainerField, ContainerLoosening, ContainerOptions, HardenedContainerProps,
  HardenedInitContainerProps, PlainContainer, plainContainer, VolumeCounter,
} from './container';
import { flowRule, DNS_PORTS, KUBE_DNS_PEER, networkPolicy, NetworkPeer, NetworkPort, PeerFlow } from './default-deny-network-policy';
import { LOOSENED_PREFIX, Loosening, LOOSENINGS, rulesLoosenedBy } from './loosening';
import { PodSpecJson, PodTemplateJson, VolumeJson, VolumeMountJson } from './pod-json';
import { applySecureDefaults, SecureDefaultsOptions } from './secure-defaults';
import { Acknowledgement, validateReason } from './suppressions';
import { nonRootId } from './validators';
import { SUPPRESSION_PREFIX } from '../engine/suppressions';

/**
 * Options shared by every hardened workload: the main container (its image and
 * `ContainerOptions`), the other containers, the pod's identity and network flows, and
 * the (rare, reasoned) loosenings of the hardened defaults. Only `image` is required.
 *
 * @example
 * const props: HardenedWorkloadProps = {
 *   image: 'registry.example.com/api:1.4.2',
 *   ports: [{ port: 8080 }],
 *   env: { LOG_LEVEL: 'info' },
 *   secretEnv: { DB_PASSWORD: dbCredentials.envValue('password') },
 *   readinessProbe: { httpPath: '/ready' },
 *   sidecars: [{ name: 'log-shipper', image: 'registry.example.com/fluent-bit:3.1.4' }],
 * };
 */
export interface HardenedWorkloadProps extends ContainerOptions {
  /**
   * Image of the main container, with a version tag or a digest (`:latest` and untagged
   * images are refused with the message of the image-latest-tag rule).
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
   * Name of the main container.
   * @default 'main'
   */
  readonly containerName?: string;
  /**
   * Containers beside the main one, each with the same hardened defaults (see also `addContainer`).
   * @default - none
   */
  readonly sidecars?: HardenedContainerProps[];
  /**
   * Init containers, run in order before the containers start; with
   * `restartPolicy: ContainerRestartPolicy.ALWAYS`, native sidecars. Each has the same hardened defaults.
   * @default - none
   */
  readonly initContainers?: HardenedInitContainerProps[];
  /**
   * Extra writable directories, besides /tmp: every container whose root filesystem is
   * read-only gets an emptyDir at /tmp and at each of them.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Size limit of each writable emptyDir.
   * @default '64Mi'
   */
  readonly writableSizeLimit?: string;
  /**
   * User id the containers run as (pod `securityContext.runAsUser`). Choose the UID the
   * image was built for: a `USER 101` image needs 101; an image that names its user
   * (`USER nginx`) needs that user's numeric id (see the README). `runAsNonRoot: true` is
   * always set, so an image whose user is root fails to start rather than run as root.
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group id the containers run as (pod `securityContext.runAsGroup`).
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns the pod's volumes (pod `securityContext.fsGroup`), so that a non-root
   * user can write to them.
   * @default - the `runAsGroup`
   */
  readonly fsGroup?: number;
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
   * Loosening: mount the ServiceAccount token (for workloads that call the Kubernetes API).
   * @default - the token is not mounted
   */
  readonly mountServiceAccountToken?: Acknowledgement;
}

const DEFAULT_ID = 10001;
const DEFAULT_RESOURCES = { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '256Mi' };

/**
 * The hardened pod shared by every kubeharden workload: a dedicated ServiceAccount and a
 * pod spec whose secure defaults are the rules' fixes, applied to the pod the props
 * describe with the profile hardened, so that it passes the Pod Security Standards
 * restricted profile and the kubeharden hardened rules.
 *
 * Defaults (each a fix of the rule that requires it): runAsNonRoot and seccomp
 * RuntimeDefault at pod level, every capability dropped, no privilege escalation, a
 * read-only root filesystem with a writable emptyDir at /tmp (and each writable path),
 * CPU and memory requests and limits, the token not mounted; the user and group ids are
 * props. Images are checked with the engine's image rules. The spec is built at synth,
 * so containers added with `addContainer` after construction are hardened the same way.
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
  /** The container ports of the main container and the sidecars given in the props. */
  public readonly ports: number[];
  /** Namespace of the objects (undefined: the chart's namespace). */
  public readonly namespace?: string;
  private readonly name?: string;
  private readonly where: string;
  private readonly workloadKind: string;
  private readonly containers: PlainContainer[] = [];
  private readonly extraVolumes: VolumeJson[] = [];
  private readonly podLoosenings: ContainerLoosening[] = [];
  private readonly counter: VolumeCounter = { secret: 0, config: 0, claim: 0, token: 0 };
  private readonly options: SecureDefaultsOptions;
  private readonly securityContext: { runAsUser: number; runAsGroup: number; fsGroup: number };
  private readonly sizeLimit: string;
  private readonly podAnnotations?: { [key: string]: string };
  private readonly workloadObjects: ApiObject[] = [];
  private rendered?: PodTemplateJson;

  /**
   * @param workloadKind the kind of the workload that embeds the pod (for suppressions and errors)
   */
  constructor(scope: Construct, id: string, props: HardenedWorkloadProps, workloadKind: string = 'Pod') {
    super(scope, id);
    this.workloadKind = workloadKind;
    this.where = `${workloadKind} ${scope.node.path}`;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.name = props.name;

    const instance = Names.toLabelValue(scope);
    const appName = props.name ?? (scope.node.id.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'app');
    this.selectorLabels = { 'app.kubernetes.io/name': appName, 'app.kubernetes.io/instance': instance };
    this.podLabels = { ...(props.labels ?? {}), ...this.selectorLabels };
    this.podAnnotations = props.podAnnotations && Object.keys(props.podAnnotations).length ? { ...props.podAnnotations } : undefined;

    const uid = nonRootId(props.runAsUser ?? DEFAULT_ID, 'runAsUser', this.where);
    const gid = nonRootId(props.runAsGroup ?? DEFAULT_ID, 'runAsGroup', this.where);
    const fsGroup = nonRootId(props.fsGroup ?? gid, 'fsGroup', this.where);
    this.securityContext = { runAsUser: uid, runAsGroup: gid, fsGroup };
    const writablePaths = ['/tmp', ...(props.writablePaths ?? [])];
    for (const path of writablePaths) checkAbsolute(path, 'writable path', this.where);
    this.sizeLimit = props.writableSizeLimit ?? '64Mi';
    this.options = { writablePaths, uid, ...DEFAULT_RESOURCES };

    if (props.mountServiceAccountToken !== undefined) {
      const reason = validateReason(props.mountServiceAccountToken?.reason, `loosening "${LOOSENINGS.mountServiceAccountToken.option}"`, this.where);
      this.podLoosenings.push({ loosening: LOOSENINGS.mountServiceAccountToken, reason, container: '' });
    }

    this.ports = [];
    this.add({ field: 'containers', image: props.image, name: props.containerName ?? 'main', options: props, main: true, where: this.where });
    for (const s of props.sidecars ?? []) this.addContainer(s);
    for (const i of props.initContainers ?? []) this.addInitContainer(i);

    const token = this.podLoosenings.length > 0;
    const saAnnotations = token ? this.annotationsFor('ServiceAccount', this.podLoosenings) : {};
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        ...(props.name !== undefined ? { name: props.name } : {}),
        namespace: this.namespace,
        labels: { ...this.selectorLabels },
        ...(Object.keys(saAnnotations).length ? { annotations: saAnnotations } : {}),
      },
      // the ServiceAccount says what the hardened pod spec says
      automountServiceAccountToken: Lazy.any({ produce: () => this.typedTemplate().spec.automountServiceAccountToken }),
    });
    this.serviceAccountName = this.serviceAccount.name;
  }

  /**
   * The pod template (`metadata` and `spec`), as JSON: the plain template of the props
   * with the rules' fixes applied (built when read, so it includes every added container).
   *
   * Typed as JSON, as cdk8s's own `ApiObject.toJson()` is: a jsii struct would drop, in
   * Python and the other jsii languages, every field it does not declare, and the fixes
   * may set any field of the pod. Inside the construct it is a typed `PodTemplateJson`.
   */
  public get template(): any {
    return this.typedTemplate();
  }

  /** The pod template, typed. */
  private typedTemplate(): PodTemplateJson {
    this.rendered ??= this.render();
    return this.rendered;
  }

  /**
   * Annotations the workload object must carry: the suppressions (with reasons) of the
   * loosenings in use, and their `loosened.kubeharden.io/` records.
   */
  public get workloadAnnotations(): { [key: string]: string } {
    return this.annotationsFor(this.workloadKind, [...this.containers.flatMap((c) => c.loosenings), ...this.podLoosenings]);
  }

  /**
   * Adds a container beside the main one, with the same hardened defaults.
   *
   * @throws if a prop is invalid, the image is refused, or the name is taken
   * @example
   * pod.addContainer({ name: 'metrics', image: 'registry.example.com/exporter:0.15.0', ports: [{ port: 9100, name: 'metrics' }] });
   */
  public addContainer(container: HardenedContainerProps): void {
    this.add({ field: 'containers', image: container.image, name: container.name, options: container, main: false, where: this.where });
  }

  /**
   * Adds an init container (a native sidecar with `restartPolicy: ContainerRestartPolicy.ALWAYS`),
   * with the same hardened defaults.
   *
   * @throws if a prop is invalid, the image is refused, or the name is taken
   * @example
   * pod.addInitContainer({ name: 'wait-for-db', image: 'registry.example.com/wait:1.0.0', args: ['db:5432'] });
   */
  public addInitContainer(container: HardenedInitContainerProps): void {
    const { image, name, restartPolicy } = container;
    this.add({ field: 'initContainers', image, name, options: container, restartPolicy, main: false, where: this.where });
  }

  /** Mounts volumes of the pod in the main container (a StatefulSet's claims). @internal */
  public _mountInMain(mounts: VolumeMountJson[]): void {
    const main = this.containers[0].json;
    main.volumeMounts = [...(main.volumeMounts ?? []), ...mounts];
    this.rendered = undefined;
  }

  /** Adds a volume to the pod. @internal */
  public _addVolume(volume: VolumeJson): void {
    this.extraVolumes.push(volume);
    this.rendered = undefined;
  }

  /** Registers the workload object, which carries the loosening annotations of containers added later. @internal */
  public _registerWorkload(object: ApiObject): void {
    this.workloadObjects.push(object);
  }

  /**
   * Metadata of the workload object: name, namespace, labels and loosening annotations.
   * @internal
   */
  public _workloadMetadata(): any {
    const annotations = this.workloadAnnotations;
    return {
      ...(this.name !== undefined ? { name: this.name } : {}),
      namespace: this.namespace,
      labels: { ...this.podLabels },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    };
  }

  /**
   * Service ports for the ports of the main container, the sidecars and the native
   * sidecars (not those of plain init containers, which have exited by then), except those
   * with `service: false`.
   * @internal
   */
  public _servicePorts(): any[] {
    return this.containers
      .filter((c) => c.field === 'containers' || c.json.restartPolicy !== undefined)
      .flatMap((c) => c.servicePorts)
      .map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol }));
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

  private add(build: ContainerBuild): void {
    if (this.containers.some((c) => c.json.name === build.name)) {
      throw new Error(`${this.where}: container name "${build.name}" is used twice`);
    }
    const container = plainContainer(build, this.counter);
    // the containers of a pod share its network: a port name or number is the pod's
    for (const p of container.ports) {
      for (const other of this.containers) {
        const taken = other.ports.find((q) => q.name === p.name || (q.containerPort === p.containerPort && q.protocol === p.protocol));
        if (taken) {
          throw new Error(`${this.where}: container "${build.name}" port ${taken.name === p.name ? `name "${p.name}"` : `${p.containerPort}/${p.protocol}`} is taken by container "${other.json.name}"`);
        }
      }
    }
    this.containers.push(container);
    if (build.field === 'containers' || build.restartPolicy !== undefined) this.ports.push(...container.ports.map((p) => p.containerPort));
    this.rendered = undefined;
    if (container.loosenings.length) {
      const annotations = this.workloadAnnotations;
      for (const o of this.workloadObjects) for (const [k, v] of Object.entries(annotations)) o.metadata.addAnnotation(k, v);
    }
  }

  /** The annotations recording the loosenings on an object of `kind`: one reason, or each container's. */
  private annotationsFor(kind: string, loosenings: ContainerLoosening[]): { [key: string]: string } {
    const byOption = new Map<Loosening, ContainerLoosening[]>();
    for (const l of loosenings) byOption.set(l.loosening, [...(byOption.get(l.loosening) ?? []), l]);
    const out: { [key: string]: string } = {};
    for (const [loosening, list] of byOption) {
      const reason = list.length === 1 ? list[0].reason : list.map((l) => `container ${l.container}: ${l.reason}`).join('; ');
      out[`${LOOSENED_PREFIX}${loosening.option}`] = reason;
      for (const id of rulesLoosenedBy(loosening, kind)) out[`${SUPPRESSION_PREFIX}${id}`] = reason;
    }
    return out;
  }

  private render(): PodTemplateJson {
    const of = (field: ContainerField) => this.containers.filter((c) => c.field === field).map((c) => JSON.parse(JSON.stringify(c.json)));
    const initContainers = of('initContainers');
    const volumes: VolumeJson[] = [...this.containers.flatMap((c) => c.volumes), ...this.extraVolumes].map((v) => JSON.parse(JSON.stringify(v)));
    const spec: PodSpecJson = {
      serviceAccountName: this.serviceAccountName,
      ...(this.podLoosenings.length ? { automountServiceAccountToken: true } : {}),
      enableServiceLinks: false,
      securityContext: { ...this.securityContext },
      ...(initContainers.length ? { initContainers } : {}),
      containers: of('containers'),
      ...(volumes.length ? { volumes } : {}),
    };
    const plain: PodTemplateJson = {
      metadata: { labels: { ...this.podLabels }, ...(this.podAnnotations ? { annotations: { ...this.podAnnotations } } : {}) },
      spec,
    };
    const fixed = applySecureDefaults(plain, this.containers.flatMap((c) => c.loosenings), this.podLoosenings.map((l) => l.loosening), this.options);
    // the writable emptyDirs the fix added get the size limit of the props
    const own = new Set(volumes.map((v) => v.name));
    for (const v of fixed.spec.volumes ?? []) {
      if (!own.has(v.name) && v.emptyDir && v.emptyDir.sizeLimit === undefined) v.emptyDir.sizeLimit = this.sizeLimit;
    }
    return fixed;
  }
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

  /**
   * Adds a container beside the main one, with the same hardened defaults (the pod spec
   * is built at synth, so this composes after construction).
   *
   * @throws if a prop is invalid, the image is refused, or the name is taken
   * @example
   * web.addContainer({ name: 'metrics', image: 'registry.example.com/exporter:0.15.0', ports: [{ port: 9100, name: 'metrics' }] });
   */
  public addContainer(container: HardenedContainerProps): void {
    this.pod.addContainer(container);
  }

  /**
   * Adds an init container (a native sidecar with `restartPolicy: ContainerRestartPolicy.ALWAYS`),
   * with the same hardened defaults.
   *
   * @throws if a prop is invalid, the image is refused, or the name is taken
   * @example
   * api.addInitContainer({ name: 'migrate', image: 'registry.example.com/migrate:5.0.0', args: ['up'] });
   */
  public addInitContainer(container: HardenedInitContainerProps): void {
    this.pod.addInitContainer(container);
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
