import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Network protocol of a port.
 *
 * @example
 * const dns: NetworkPort = { port: 53, protocol: NetworkProtocol.UDP };
 */
export enum NetworkProtocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. */
  SCTP = 'SCTP',
}

/**
 * A port of an allowed flow.
 *
 * @example
 * const https: NetworkPort = { port: 443 };
 * const dns: NetworkPort = { port: 53, protocol: NetworkProtocol.UDP };
 */
export interface NetworkPort {
  /** Port number (1-65535). */
  readonly port: number;
  /**
   * Last port of a range starting at `port`.
   * @default - a single port
   */
  readonly endPort?: number;
  /**
   * Protocol.
   * @default NetworkProtocol.TCP
   */
  readonly protocol?: NetworkProtocol;
}

/**
 * The other end of an allowed flow: pods by label (in this namespace, in
 * namespaces by label or name), whole namespaces, or an IP block.
 *
 * Exactly one of `podLabels`, `namespaceLabels`, `namespaceName` (alone or
 * combined with `podLabels`) and `cidr` describes the peer.
 *
 * @example
 * // the pods labelled app=web in this namespace
 * const web: NetworkPeer = { podLabels: { app: 'web' } };
 * // the ingress controller pods of the ingress-nginx namespace
 * const ingress: NetworkPeer = { namespaceName: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
 * // an external API
 * const payments: NetworkPeer = { cidr: '203.0.113.0/24' };
 */
export interface NetworkPeer {
  /**
   * Labels of the peer pods.
   * @default - every pod of the selected namespaces (or of this namespace)
   */
  readonly podLabels?: { [key: string]: string };
  /**
   * Labels of the peer namespaces.
   * @default - the policy's own namespace, unless `namespaceName` is set
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Name of the peer namespace (matched on its `kubernetes.io/metadata.name` label).
   * @default - the policy's own namespace, unless `namespaceLabels` is set
   */
  readonly namespaceName?: string;
  /**
   * An IP block in CIDR notation.
   * @default - no IP block
   */
  readonly cidr?: string;
  /**
   * CIDRs excluded from `cidr`.
   * @default - none
   */
  readonly except?: string[];
}

/**
 * A peer and the ports of a flow.
 *
 * @example
 * const toDb: PeerFlow = { peer: { podLabels: { app: 'db' } }, ports: [{ port: 5432 }] };
 */
export interface PeerFlow {
  /** The other end of the flow. */
  readonly peer: NetworkPeer;
  /**
   * Ports the flow may use (on the receiving side).
   * @default - every port
   */
  readonly ports?: NetworkPort[];
}

/**
 * An allowed flow between pods of the namespace and a peer.
 *
 * @example
 * policy.allowEgress({ peer: { cidr: '10.0.12.0/24' }, ports: [{ port: 5432 }], podLabels: { app: 'api' } });
 */
export interface NetworkFlow extends PeerFlow { /**
   * Labels of the pods of this namespace the flow applies to.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
}

/**
 * Options of a DefaultDenyNetworkPolicy.
 *
 * @example
 * const props: DefaultDenyNetworkPolicyProps = { namespace: 'shop', allowDns: true };
 */
export interface DefaultDenyNetworkPolicyProps {
  /**
   * Namespace to protect.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Allow every pod of the namespace to resolve names through kube-dns
   * (UDP and TCP 53 to `k8s-app: kube-dns` pods in kube-system).
   * @default true
   */
  readonly allowDns?: boolean;
}

/** The kube-dns pods. */
export const KUBE_DNS_PEER: NetworkPeer = {
  namespaceName: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
};

/** The ports DNS uses. */
export const DNS_PORTS: NetworkPort[] = [
  { port: 53, protocol: NetworkProtocol.UDP },
  { port: 53, protocol: NetworkProtocol.TCP },
];

/**
 * Denies all ingress and egress traffic of every pod in a namespace: a
 * NetworkPolicy with an empty pod selector and both policy types, and no rule.
 * Allowed flows are added as separate NetworkPolicies with the helpers, which
 * NetworkPolicy semantics add up (a flow is allowed when any policy allows it).
 *
 * @example
 * const deny = new DefaultDenyNetworkPolicy(chart, 'deny', { namespace: 'shop' });
 * deny.allowIngress({ peer: { namespaceName: 'ingress-nginx' }, ports: [{ port: 8080 }], podLabels: { app: 'web' } });
 * deny.allowEgress({ peer: { podLabels: { app: 'db' } }, ports: [{ port: 5432 }], podLabels: { app: 'api' } });
 */
export class DefaultDenyNetworkPolicy extends Construct {
  /** The deny-all NetworkPolicy. */
  public readonly apiObject: ApiObject;
  /** The namespace the policy protects (undefined: the chart's default namespace). */
  public readonly namespace?: string;
  private allowCount = 0;

  constructor(scope: Construct, id: string, props: DefaultDenyNetworkPolicyProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.apiObject = networkPolicy(this, 'Resource', {
      namespace: this.namespace,
      podLabels: {},
      ingress: [],
      egress: [],
    });
    if (props.allowDns ?? true) this.allowDnsEgress();
  }

  /**
   * Allows DNS queries to kube-dns.
   *
   * @param podLabels labels of the pods allowed to resolve names (default: every pod of the namespace)
   * @example
   * deny.allowDnsEgress({ app: 'api' });
   */
  public allowDnsEgress(podLabels?: { [key: string]: string }): ApiObject {
    return this.allowEgress({ peer: KUBE_DNS_PEER, ports: DNS_PORTS, podLabels });
  }

  /**
   * Allows traffic from a peer into pods of the namespace.
   *
   * @example
   * deny.allowIngress({ peer: { podLabels: { app: 'web' } }, ports: [{ port: 8080 }], podLabels: { app: 'api' } });
   */
  public allowIngress(flow: NetworkFlow): ApiObject {
    return networkPolicy(this, `Allow${++this.allowCount}`, {
      namespace: this.namespace,
      podLabels: flow.podLabels ?? {},
      ingress: [flowRule(flow, 'from')],
    });
  }

  /**
   * Allows traffic from pods of the namespace to a peer.
   *
   * @example
   * deny.allowEgress({ peer: { cidr: '203.0.113.0/24' }, ports: [{ port: 443 }], podLabels: { app: 'api' } });
   */
  public allowEgress(flow: NetworkFlow): ApiObject {
    return networkPolicy(this, `Allow${++this.allowCount}`, {
      namespace: this.namespace,
      podLabels: flow.podLabels ?? {},
      egress: [flowRule(flow, 'to')],
    });
  }
}

/** What a NetworkPolicy object is made of. @internal */
export interface NetworkPolicySpec {
  readonly namespace?: string;
  readonly podLabels: { [key: string]: string };
  /** Ingress rules; undefined leaves ingress out of the policy types. */
  readonly ingress?: any[];
  /** Egress rules; undefined leaves egress out of the policy types. */
  readonly egress?: any[];
  readonly annotations?: { [key: string]: string };
}

/** Creates a networking.k8s.io/v1 NetworkPolicy; rule lists are read at synth time. @internal */
export function networkPolicy(scope: Construct, id: string, spec: NetworkPolicySpec): ApiObject {
  const policyTypes: string[] = [];
  if (spec.ingress) policyTypes.push('Ingress');
  if (spec.egress) policyTypes.push('Egress');
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { namespace: spec.namespace, annotations: spec.annotations },
    spec: Lazy.any({
      produce: () => ({
        podSelector: Object.keys(spec.podLabels).length > 0 ? { matchLabels: { ...spec.podLabels } } : {},
        policyTypes,
        ...(spec.ingress ? { ingress: spec.ingress.slice() } : {}),
        ...(spec.egress ? { egress: spec.egress.slice() } : {}),
      }),
    }),
  });
}

/** The NetworkPolicy rule of a flow. @internal */
export function flowRule(flow: PeerFlow, direction: 'from' | 'to'): any {
  const rule: any = { [direction]: [renderPeer(flow.peer)] };
  if (flow.ports && flow.ports.length > 0) rule.ports = flow.ports.map(renderPort);
  return rule;
}

/** A NetworkPolicyPeer. @internal */
function renderPeer(peer: NetworkPeer): any {
  const hasPods = peer.podLabels !== undefined;
  const hasNs = peer.namespaceLabels !== undefined || peer.namespaceName !== undefined;
  if (peer.cidr !== undefined) {
    if (hasPods || hasNs) throw new Error('a network peer is either a CIDR or pods/namespaces, not both');
    if (!isCidr(peer.cidr)) throw new Error(`"${peer.cidr}" is not a CIDR (e.g. 10.0.0.0/16)`);
    for (const e of peer.except ?? []) if (!isCidr(e)) throw new Error(`"${e}" is not a CIDR (e.g. 10.0.3.0/24)`);
    return { ipBlock: { cidr: peer.cidr, ...(peer.except?.length ? { except: peer.except.slice() } : {}) } };
  }
  if (!hasPods && !hasNs) {
    throw new Error('a network peer needs podLabels, namespaceLabels, namespaceName or cidr');
  }
  if (peer.namespaceLabels !== undefined && peer.namespaceName !== undefined) {
    throw new Error('a network peer takes namespaceLabels or namespaceName, not both');
  }
  const out: any = {};
  if (peer.namespaceName !== undefined) {
    out.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespaceName } };
  } else if (peer.namespaceLabels !== undefined) {
    out.namespaceSelector = selector(peer.namespaceLabels);
  }
  if (hasPods) out.podSelector = selector(peer.podLabels!);
  return out;
}

function selector(labels: { [key: string]: string }): any {
  return Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

/** A NetworkPolicyPort. @internal */
function renderPort(p: NetworkPort): any {
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`network port ${p.port} is not in 1-65535`);
  if (p.endPort !== undefined && (!Number.isInteger(p.endPort) || p.endPort < p.port || p.endPort > 65535)) {
    throw new Error(`network endPort ${p.endPort} must be in ${p.port}-65535`);
  }
  return {
    protocol: p.protocol ?? NetworkProtocol.TCP,
    port: p.port,
    ...(p.endPort !== undefined ? { endPort: p.endPort } : {}),
  };
}

function isCidr(s: string): boolean {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(s);
  if (!m) return false;
  const bits = Number(m[2]);
  if (m[1].includes(':')) return bits <= 128;
  const octets = m[1].split('.');
  return bits <= 32 && octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
