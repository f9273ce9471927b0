import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkAbsolute, DNS_LABEL, wholeNumber } from './checks';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-pod-template';

/**
 * A persistent volume of each StatefulSet pod (a volumeClaimTemplate), mounted writable.
 *
 * @example
 * const data: PersistentStorage = { name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi', storageClassName: 'encrypted-ssd' };
 */
export interface PersistentStorage {
  /** Name of the claim (a DNS label). */
  readonly name: string;
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /**
   * Requested size.
   * @default '1Gi'
   */
  readonly size?: string;
  /**
   * Storage class.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
}

/**
 * Options of a HardenedStatefulSet. Only `image` is required.
 *
 * @example
 * const props: HardenedStatefulSetProps = {
 *   image: 'registry.example.com/postgres:16.4',
 *   ports: [{ port: 5432, name: 'postgres' }],
 *   storage: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi' }],
 * };
 */
export interface HardenedStatefulSetProps extends HardenedWorkloadProps {
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Persistent volumes of each pod.
   * @default - none
   */
  readonly storage?: PersistentStorage[];
}

/**
 * A StatefulSet with the hardened pod of every kubeharden workload (see
 * HardenedDeployment), its headless governing Service, persistent volumes from
 * volumeClaimTemplates, and a NetworkPolicy denying every flow not allowed.
 *
 * @example
 * const db = new HardenedStatefulSet(chart, 'db', {
 *   image: 'registry.example.com/postgres:16.4@sha256:4a1c...',
 *   ports: [{ port: 5432, name: 'postgres' }],
 *   secretEnv: { POSTGRES_PASSWORD: credentials.envValue('password') },
 *   storage: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: '20Gi' }],
 *   writablePaths: ['/var/run/postgresql'],
 * });
 * db.allowFrom(api.peer());
 */
export class HardenedStatefulSet extends HardenedWorkload {
  /** The StatefulSet. */
  public readonly apiObject: ApiObject;
  /** The headless governing Service. */
  public readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    super(scope, id, props, 'StatefulSet');
    const where = `StatefulSet ${this.node.path}`;
    const replicas = wholeNumber(props.replicas ?? 1, 0, 'replicas', where);

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.pod._companionMetadata(),
      spec: {
        clusterIP: 'None',
        selector: { ...this.pod.selectorLabels },
        ports: Lazy.any({ produce: () => this.pod._servicePorts() }),
      },
    });

    const claims: any[] = [];
    const names = new Set<string>();
    for (const s of props.storage ?? []) {
      if (!DNS_LABEL.test(s.name) || s.name.length > 63 || names.has(s.name)) {
        throw new Error(`${where}: storage name "${s.name}" must be a unique DNS label`);
      }
      checkAbsolute(s.mountPath, 'storage mount path', where);
      names.add(s.name);
      claims.push({
        metadata: { name: s.name, labels: { ...this.pod.selectorLabels } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(s.storageClassName !== undefined ? { storageClassName: s.storageClassName } : {}),
          resources: { requests: { storage: s.size ?? '1Gi' } },
        },
      });
      this.pod._mountInMain([{ name: s.name, mountPath: s.mountPath }]);
    }

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: this.pod._workloadMetadata(),
      spec: {
        replicas,
        serviceName: this.service.name,
        revisionHistoryLimit: 5,
        podManagementPolicy: 'OrderedReady',
        selector: { matchLabels: { ...this.pod.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate' },
        template: Lazy.any({ produce: () => this.pod.template }),
        ...(claims.length ? { volumeClaimTemplates: claims } : {}),
      },
    });
    this.pod._registerWorkload(this.apiObject);
  }
}
