import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeNumber } from './checks';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-pod-template';

/**
 * Options of a HardenedDeployment. Only `image` is required.
 *
 * @example
 * const props: HardenedDeploymentProps = {
 *   image: 'registry.example.com/web:2.0.1',
 *   replicas: 3,
 *   ports: [{ port: 8080 }],
 *   readinessProbe: { httpPath: '/ready' },
 * };
 */
export interface HardenedDeploymentProps extends HardenedWorkloadProps {
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Create a ClusterIP Service for the container ports.
   * @default - true when the container has ports
   */
  readonly service?: boolean;
}

/**
 * A Deployment that passes the Pod Security Standards restricted profile and the
 * kubeharden hardened rules by default, with its own ServiceAccount (token not
 * mounted), a ClusterIP Service for its ports, and a NetworkPolicy that denies
 * every flow but DNS and those allowed with `allowFrom`/`allowTo`.
 *
 * Loosening a default takes an option with a reason, which lands in the manifest
 * as the suppression annotation of the rule it loosens.
 *
 * @example
 * const db = new SealedSecretRef(chart, 'db', { name: 'db-credentials', encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA...' } });
 * const api = new HardenedDeployment(chart, 'api', {
 *   image: 'registry.example.com/api:1.4.2@sha256:0d1c...',
 *   ports: [{ port: 8080 }],
 *   env: { LOG_LEVEL: 'info' },
 *   secretEnv: { DB_PASSWORD: db.envValue('password') },
 *   readinessProbe: { httpPath: '/ready' },
 *   livenessProbe: { httpPath: '/healthz' },
 * });
 * api.allowFrom(web.peer());
 */
export class HardenedDeployment extends HardenedWorkload {
  /** The Deployment. */
  public readonly apiObject: ApiObject;
  /** The ClusterIP Service, when the container has ports. */
  public readonly service?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, props, 'Deployment');
    const replicas = wholeNumber(props.replicas ?? 2, 0, 'replicas', `Deployment ${this.node.path}`);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.pod._workloadMetadata(),
      spec: {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.pod.selectorLabels } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: Lazy.any({ produce: () => this.pod.template }),
      },
    });
    this.pod._registerWorkload(this.apiObject);
    if (props.service ?? this.pod.ports.length > 0) {
      if (this.pod.ports.length === 0) throw new Error(`Deployment ${this.node.path}: a Service needs container ports`);
      this.service = new ApiObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: this.pod._companionMetadata(),
        spec: {
          type: 'ClusterIP',
          selector: { ...this.pod.selectorLabels },
          ports: Lazy.any({ produce: () => this.pod._servicePorts() }),
        },
      });
    }
  }
}
