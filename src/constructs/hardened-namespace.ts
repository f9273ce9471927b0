import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { DNS_LABEL } from './checks';
import { DefaultDenyNetworkPolicy } from './default-deny-network-policy';

/**
 * A ResourceQuota of a namespace. Every field is optional; NodePort and
 * LoadBalancer Services are forbidden by default.
 *
 * @example
 * const quota: NamespaceQuota = { requestsCpu: '4', limitsCpu: '8', requestsMemory: '8Gi', limitsMemory: '16Gi', pods: 50 };
 */
export interface NamespaceQuota {
  /**
   * Sum of CPU requests.
   * @default - unbounded
   */
  readonly requestsCpu?: string;
  /**
   * Sum of CPU limits.
   * @default - unbounded
   */
  readonly limitsCpu?: string;
  /**
   * Sum of memory requests.
   * @default - unbounded
   */
  readonly requestsMemory?: string;
  /**
   * Sum of memory limits.
   * @default - unbounded
   */
  readonly limitsMemory?: string;
  /**
   * Sum of storage requests.
   * @default - unbounded
   */
  readonly requestsStorage?: string;
  /**
   * Number of pods.
   * @default - unbounded
   */
  readonly pods?: number;
  /**
   * Number of PersistentVolumeClaims.
   * @default - unbounded
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Number of NodePort Services.
   * @default 0
   */
  readonly nodePorts?: number;
  /**
   * Number of LoadBalancer Services.
   * @default 0
   */
  readonly loadBalancers?: number;
}

/**
 * A LimitRange of a namespace: defaults for containers that set no resources, and maxima.
 *
 * @example
 * const limits: ContainerLimits = { defaultCpuLimit: '500m', defaultMemoryLimit: '512Mi', maxMemory: '4Gi' };
 */
export interface ContainerLimits {
  /**
   * Default CPU request.
   * @default '100m'
   */
  readonly defaultCpuRequest?: string;
  /**
   * Default CPU limit.
   * @default '500m'
   */
  readonly defaultCpuLimit?: string;
  /**
   * Default memory request.
   * @default '128Mi'
   */
  readonly defaultMemoryRequest?: string;
  /**
   * Default memory limit.
   * @default '256Mi'
   */
  readonly defaultMemoryLimit?: string;
  /**
   * Largest CPU limit of a container.
   * @default - none
   */
  readonly maxCpu?: string;
  /**
   * Largest memory limit of a container.
   * @default - none
   */
  readonly maxMemory?: string;
}

/**
 * Options of a HardenedNamespace.
 *
 * @example
 * const props: HardenedNamespaceProps = { name: 'shop', podSecurityVersion: 'v1.33', quota: { pods: 50 } };
 */
export interface HardenedNamespaceProps {
  /** Name of the namespace. */
  readonly name: string;
  /**
   * The Pod Security Standards version the restricted level is pinned to.
   * @default 'v1.33'
   */
  readonly podSecurityVersion?: string;
  /**
   * Allow every pod of the namespace to query kube-dns.
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * A ResourceQuota.
   * @default - none
   */
  readonly quota?: NamespaceQuota;
  /**
   * A LimitRange.
   * @default - none
   */
  readonly limits?: ContainerLimits;
  /**
   * Extra labels of the Namespace.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Pinned Pod Security Standards version of HardenedNamespace. */
const DEFAULT_PSS_VERSION = 'v1.33';

/**
 * A Namespace that Pod Security Admission holds to the restricted level (enforce,
 * audit and warn, each pinned to a version), with a DefaultDenyNetworkPolicy and,
 * on request, a ResourceQuota (NodePort and LoadBalancer Services forbidden) and a
 * LimitRange.
 *
 * @example
 * const ns = new HardenedNamespace(chart, 'shop', { name: 'shop', quota: { pods: 50, limitsMemory: '32Gi' } });
 * ns.defaultDeny.allowIngress({ peer: { namespaceName: 'ingress-nginx' }, ports: [{ port: 8080 }], podLabels: { app: 'web' } });
 */
export class HardenedNamespace extends Construct {
  /** The Namespace. */
  public readonly apiObject: ApiObject;
  /** Its name. */
  public readonly name: string;
  /** The namespace's default-deny NetworkPolicy. */
  public readonly defaultDeny: DefaultDenyNetworkPolicy;
  /** The ResourceQuota, when requested. */
  public readonly quota?: ApiObject;
  /** The LimitRange, when requested. */
  public readonly limitRange?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedNamespaceProps) {
    super(scope, id);
    const where = `HardenedNamespace ${this.node.path}`;
    if (typeof props.name !== 'string' || !DNS_LABEL.test(props.name) || props.name.length > 63) {
      throw new Error(`${where}: name must be a DNS label (lowercase letters, digits and "-", at most 63)`);
    }
    const version = props.podSecurityVersion ?? DEFAULT_PSS_VERSION;
    if (!/^v1\.\d+$/.test(version)) {
      throw new Error(`${where}: podSecurityVersion must pin a Kubernetes version (v1.N), got "${version}"`);
    }
    this.name = props.name;
    const psa: { [key: string]: string } = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      psa[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      psa[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: this.name, labels: { ...(props.labels ?? {}), ...psa } },
    });
    if (Chart.of(this).namespace !== undefined) this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.defaultDeny = new DefaultDenyNetworkPolicy(this, 'DefaultDeny', { namespace: this.name, allowDns: props.allowDns ?? true });

    if (props.quota) {
      const q = props.quota;
      const hard: { [key: string]: string } = {};
      const put = (k: string, v: string | number | undefined) => { if (v !== undefined) hard[k] = String(v); };
      put('requests.cpu', q.requestsCpu);
      put('limits.cpu', q.limitsCpu);
      put('requests.memory', q.requestsMemory);
      put('limits.memory', q.limitsMemory);
      put('requests.storage', q.requestsStorage);
      put('pods', q.pods);
      put('persistentvolumeclaims', q.persistentVolumeClaims);
      put('services.nodeports', q.nodePorts ?? 0);
      put('services.loadbalancers', q.loadBalancers ?? 0);
      this.quota = new ApiObject(this, 'Quota', {
        apiVersion: 'v1', kind: 'ResourceQuota', metadata: { namespace: this.name }, spec: { hard },
      });
    }
    if (props.limits) {
      const l = props.limits;
      this.limitRange = new ApiObject(this, 'LimitRange', {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { namespace: this.name },
        spec: {
          limits: [{
            type: 'Container',
            defaultRequest: { cpu: l.defaultCpuRequest ?? '100m', memory: l.defaultMemoryRequest ?? '128Mi' },
            default: { cpu: l.defaultCpuLimit ?? '500m', memory: l.defaultMemoryLimit ?? '256Mi' },
            ...(l.maxCpu !== undefined || l.maxMemory !== undefined ? {
              max: { ...(l.maxCpu !== undefined ? { cpu: l.maxCpu } : {}), ...(l.maxMemory !== undefined ? { memory: l.maxMemory } : {}) },
            } : {}),
          }],
        },
      });
    }
  }
}
