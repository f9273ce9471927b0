import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeNumber } from './checks';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-pod-template';

/**
 * Options of a HardenedDaemonSet (one pod on every node, such as a log shipper or a node
 * exporter). Only `image` is required. A node agent that needs host access says so with a
 * loosening and its reason, like every other workload.
 *
 * @example
 * const props: HardenedDaemonSetProps = {
 *   image: 'registry.example.com/node-exporter:1.8.2',
 *   ports: [{ port: 9100, name: 'metrics' }],
 * };
 */
export interface HardenedDaemonSetProps extends HardenedWorkloadProps {
  /**
   * How many pods may be unavailable during a rolling update.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Create a ClusterIP Service for the container ports.
   * @default false
   */
  readonly service?: boolean;
}

/**
 * A DaemonSet with the hardened defaults of every kubeharden workload (the rules' fixes
 * applied to its pod), its own ServiceAccount without a mounted token, and default-deny
 * NetworkPolicies with `allowFrom`/`allowTo`.
 *
 * @example
 * new HardenedDaemonSet(chart, 'node-exporter', {
 *   image: 'registry.example.com/node-exporter:1.8.2@sha256:0d4f2b6a8c1e3f5a7b9d0c2e4f6a8b1d3c5e7f9a0b2d4c6e8f1a3b5d7c9e0f2a',
 *   ports: [{ port: 9100, name: 'metrics' }],
 * });
 */
export class HardenedDaemonSet extends HardenedWorkload {
  /** The DaemonSet. */
  public readonly apiObject: ApiObject;
  /** The ClusterIP Service, when asked for. */
  public readonly service?: ApiObject;

  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    super(scope, id, props, 'DaemonSet');
    const maxUnavailable = wholeNumber(props.maxUnavailable ?? 1, 1, 'maxUnavailable', `DaemonSet ${this.node.path}`);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: this.pod._workloadMetadata(),
      spec: {
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.pod.selectorLabels } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } },
        template: Lazy.any({ produce: () => this.pod.template }),
      },
    });
    this.pod._registerWorkload(this.apiObject);
    if (props.service === true) {
      if (this.pod.ports.length === 0) throw new Error(`DaemonSet ${this.node.path}: a Service needs container ports`);
      this.service = new ApiObject(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: this.pod._companionMetadata(),
        spec: { type: 'ClusterIP', selector: { ...this.pod.selectorLabels }, ports: Lazy.any({ produce: () => this.pod._servicePorts() }) },
      });
    }
  }
}
