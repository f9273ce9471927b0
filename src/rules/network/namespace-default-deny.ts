/*
 * A namespace that holds workloads must be default-deny for ingress and egress
 * (set-level: judged over the whole input).
 *
 * What Kubernetes enforces (k8s.io/api networking/v1 types.go, NetworkPolicySpec and
 * its rules; SetDefaults_NetworkPolicy in pkg/apis/networking/v1/defaults.go):
 *   podSelector  "An empty selector matches all pods in the policy's namespace. Multiple
 *                network policies can select the same set of pods. In this case, the
 *                ingress rules for each are combined additively." Unset, it is empty.
 *   ingress      "Traffic is allowed to a pod if there are no NetworkPolicies selecting
 *                the pod [...] OR if the traffic matches at least one ingress rule across
 *                all of the NetworkPolicy objects whose podSelector matches the pod. If
 *                this field is empty then this NetworkPolicy does not allow any traffic
 *                (and serves solely to ensure that the pods it selects are isolated by
 *                default)"; egress reads the same for outgoing traffic.
 *   policyTypes  when empty, the API server sets it to [Ingress], plus Egress when the
 *                policy has egress rules. Rules of a direction not listed do not apply.
 *   from / to    "If this field is empty or missing, this rule matches all sources"
 *                (destinations).
 *   ports        "If this field is empty or missing, this rule matches all ports"; a port
 *                entry without `port` "matches all port names and numbers" of its
 *                protocol (TCP when unset).
 * Policies are therefore a union: an isolated pod gets every flow that any policy
 * selecting it allows. A second policy with `podSelector: {}` and `ingress: [{}]` undoes
 * the strictest default-deny policy beside it.
 *
 * The verdict, per direction D (Ingress, Egress), over the NetworkPolicies of the
 * namespace whose apiVersion is networking.k8s.io/v1 (the only NetworkPolicy the API
 * server serves: an extensions/v1beta1 one, or a CNI's own NetworkPolicy kind, is not
 * enforced by Kubernetes and does not count):
 *   isolated(D)  some policy with an empty podSelector has D in its policyTypes;
 *   opened(D)    some policy with an empty podSelector has D in its policyTypes and a
 *                D rule that allows every peer on every port of some protocol: its peers
 *                are missing or empty, or one of them is every address (an ipBlock with
 *                a /0 cidr and no except, e.g. 0.0.0.0/0) or every pod of the cluster
 *                (namespaceSelector: {} without a podSelector, or with an empty one);
 *                and its ports are missing or empty, or one of them has no port number
 *                (`ports: [{protocol: TCP}]` is all TCP traffic);
 *   default-deny(D) = isolated(D) and not opened(D).
 * A rule that opens chosen ports to every peer (DNS egress on 53), or all ports to chosen
 * peers, is an intended flow and keeps the default deny; so is a policy that opens
 * everything to some pods only (a non-empty podSelector). A `null` rule or port entry
 * decodes as an empty one (`{}`: every peer, every port); an empty peer (`{}` or `null`,
 * which validation refuses) is no one. A policy with a rule, peer or port of another
 * type than a mapping cannot be decoded by the API server and does not count.
 *
 * Objects without `metadata.namespace` go wherever they are applied; they are judged
 * together, and are covered by policies that also have no namespace.
 *
 * The finding (path: the whole object, line: where the object starts) is reported on
 * the Namespace object when the input holds it, otherwise on the first workload of the
 * namespace.
 */
import { isWorkloadKind, WORKLOAD_KINDS } from '../../engine/pod-spec';
import { defineSetRule } from '../../engine/set-rule';
import { Profile, SetFinding, SetMember, Severity } from '../../engine/types';
import { arr, isObject, prop, str } from '../../engine/values';

/** The only NetworkPolicy apiVersion Kubernetes enforces. */
const NETWORK_POLICY_API = 'networking.k8s.io/v1';

type Direction = 'ingress' | 'egress';
const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];
const PEERS: { [d in Direction]: 'from' | 'to' } = { ingress: 'from', egress: 'to' };
const TYPE: { [d in Direction]: string } = { ingress: 'Ingress', egress: 'Egress' };

/** What an empty-podSelector policy does to a direction. */
interface DirectionEffect {
  /** The policy isolates every pod of the namespace for the direction. */
  readonly isolates: boolean;
  /** The policy allows all traffic of some protocol from/to everything, for every pod. */
  readonly opens: boolean;
}

type Collected =
  | { type: 'namespace'; name: string; dedupeKey: string }
  | { type: 'workload'; namespace: string; dedupeKey: string; dedupeCount?: number }
  | { type: 'policy'; namespace: string; name: string; ingress: DirectionEffect; egress: DirectionEffect; dedupeKey?: string };

const NONE: DirectionEffect = { isolates: false, opens: false };

/** Thrown (and caught in effectsOf) for a policy the API server would refuse to decode. */
class Undecodable {}

/** A list field: null and missing are empty; entries that are null decode as `{}`. */
function entries(v: unknown): { [key: string]: any }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Undecodable();
  return v.map((e) => {
    if (e === null) return {};
    if (!isObject(e)) throw new Undecodable();
    return e;
  });
}

function isEmptySelector(selector: unknown): boolean {
  if (selector === undefined || selector === null) return true;
  if (!isObject(selector)) throw new Undecodable();
  const labels = prop(selector, 'matchLabels');
  const exprs = prop(selector, 'matchExpressions');
  return (!isObject(labels) || Object.keys(labels).length === 0) && arr(exprs).length === 0;
}

/** A peer that is every source or destination there is. */
function isEveryone(peer: { [key: string]: any }): boolean {
  const block = prop(peer, 'ipBlock');
  if (isObject(block)) {
    const cidr = str(prop(block, 'cidr'));
    return cidr !== undefined && cidr.endsWith('/0') && arr(prop(block, 'except')).length === 0;
  }
  const namespaces = prop(peer, 'namespaceSelector');
  if (namespaces === undefined || namespaces === null) return false;
  return isEmptySelector(namespaces) && isEmptySelector(prop(peer, 'podSelector'));
}

/** A rule that lets every peer in (or out) on every port of at least one protocol. */
function opensAll(rule: { [key: string]: any }, direction: Direction): boolean {
  const peers = entries(prop(rule, PEERS[direction]));
  const ports = entries(prop(rule, 'ports'));
  const everyPeer = peers.length === 0 || peers.some(isEveryone);
  const everyPort = ports.length === 0 || ports.some((p) => prop(p, 'port') === undefined || prop(p, 'port') === null);
  return everyPeer && everyPort;
}

/** What a NetworkPolicy does for each direction to all the pods of its namespace. */
function effectsOf(spec: unknown): { ingress: DirectionEffect; egress: DirectionEffect } {
  try {
    if (spec !== undefined && spec !== null && !isObject(spec)) return { ingress: NONE, egress: NONE };
    const rules = { ingress: entries(prop(spec, 'ingress')), egress: entries(prop(spec, 'egress')) };
    if (!isEmptySelector(prop(spec, 'podSelector'))) return { ingress: NONE, egress: NONE };
    const declared = prop(spec, 'policyTypes');
    const listed = declared === undefined || declared === null ? [] : Array.isArray(declared) ? declared : undefined;
    if (listed === undefined) return { ingress: NONE, egress: NONE };
    // SetDefaults_NetworkPolicy: an empty list is defaulted as a missing one
    const types: unknown[] = listed.length > 0 ? listed : ['Ingress', ...(rules.egress.length > 0 ? ['Egress'] : [])];
    const effect = (d: Direction): DirectionEffect => {
      if (!types.includes(TYPE[d])) return NONE;
      return { isolates: true, opens: rules[d].some((r) => opensAll(r, d)) };
    };
    return { ingress: effect('ingress'), egress: effect('egress') };
  } catch (e) {
    if (e instanceof Undecodable) return { ingress: NONE, egress: NONE };
    throw e;
  }
}

export const namespaceDefaultDeny = defineSetRule({
  id: 'namespace-default-deny-network-policy',
  title: 'Namespaces with workloads have a default-deny NetworkPolicy for ingress and egress',
  severity: Severity.MEDIUM,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.3.2', 'nsa:network-separation/network-policies', 'kyverno:add-network-policy', 'checkov:CKV2_K8S_6'],
  rationale: 'Without a NetworkPolicy every pod accepts traffic from and sends traffic to any pod in the cluster: one compromised pod can reach every database and API. A default-deny policy makes every allowed flow explicit; NetworkPolicies add up, so a policy that allows everything to every pod of the namespace cancels it.',
  remediation: 'Add to the namespace a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no allow-all rules, then allow the needed flows (DNS egress, ingress from the right pods) with further policies; no policy that selects every pod may allow all traffic (`ingress: [{}]`, or ports without port numbers and no peers).',
  kinds: ['Namespace', 'NetworkPolicy', ...WORKLOAD_KINDS],
}, {
  collect: (object): Collected | undefined => {
    const kind = prop(object, 'kind');
    const metadata = prop(object, 'metadata');
    const namespace = str(prop(metadata, 'namespace')) ?? '';
    // Members are kept until the report: one per namespace and kind of effect is enough
    // (dedupeKey), except for the policies that open a direction, whose names the finding
    // gives. The finding points at the first Namespace object of a name, or else at the
    // first workload, which the first member of each key is.
    if (kind === 'Namespace') {
      const name = str(prop(metadata, 'name'));
      return name ? { type: 'namespace', name, dedupeKey: JSON.stringify(['namespace', name]) } : undefined;
    }
    if (kind === 'NetworkPolicy') {
      if (prop(object, 'apiVersion') !== NETWORK_POLICY_API) return undefined;
      const effects = effectsOf(prop(object, 'spec'));
      const { ingress, egress } = effects;
      // a policy that isolates no direction and opens none changes nothing for the namespace
      if (!ingress.isolates && !egress.isolates && !ingress.opens && !egress.opens) return undefined;
      const name = str(prop(metadata, 'name')) ?? '';
      if (ingress.opens || egress.opens) return { type: 'policy', namespace, name, ...effects };
      return { type: 'policy', namespace, name, ...effects, dedupeKey: JSON.stringify(['policy', namespace, ingress.isolates, egress.isolates]) };
    }
    // one member per namespace is enough (the engine counts the others)
    if (isWorkloadKind(kind)) return { type: 'workload', namespace, dedupeKey: `workload/${namespace}` };
    return undefined;
  },
  checkSet: (members: SetMember[]): SetFinding[] => {
    interface Group {
      workloads: number[];
      /** How many workloads the namespace holds (a member may stand for several). */
      count: number;
      namespace?: number;
      isolated: { [d in Direction]: boolean };
      /** Names of the policies that open the direction to everything, for every pod. */
      openedBy: { [d in Direction]: string[] };
    }
    const groups = new Map<string, Group>();
    const group = (ns: string) => {
      let g = groups.get(ns);
      if (!g) {
        g = { workloads: [], count: 0, isolated: { ingress: false, egress: false }, openedBy: { ingress: [], egress: [] } };
        groups.set(ns, g);
      }
      return g;
    };
    members.forEach((m, i) => {
      const d = m.data as Collected;
      if (d.type === 'namespace') {
        const g = group(d.name);
        if (g.namespace === undefined) g.namespace = i;
      } else if (d.type === 'workload') {
        const g = group(d.namespace);
        g.workloads.push(i);
        g.count += typeof d.dedupeCount === 'number' ? d.dedupeCount : 1;
      } else {
        const g = group(d.namespace);
        for (const dir of DIRECTIONS) {
          if (d[dir].isolates) g.isolated[dir] = true;
          if (d[dir].opens) g.openedBy[dir].push(d.name);
        }
      }
    });
    const out: SetFinding[] = [];
    for (const [ns, g] of groups) {
      const failing = DIRECTIONS.filter((d) => !g.isolated[d] || g.openedBy[d].length > 0);
      if (g.workloads.length === 0 || failing.length === 0) continue;
      const where = ns === '' ? 'objects without a namespace' : `namespace "${ns}"`;
      const count = `${g.count} workload${g.count === 1 ? '' : 's'}`;
      const missing = failing.join(' and ');
      const notIsolated = failing.filter((d) => !g.isolated[d]);
      const opened = failing.filter((d) => g.isolated[d]);
      const reasons: string[] = [];
      if (notIsolated.length > 0) {
        reasons.push(`add one with podSelector: {} and policyTypes: [Ingress, Egress]${opened.length === 0 ? ', then allow the needed flows' : ''}`);
      }
      for (const d of opened) {
        const names = g.openedBy[d].map((n) => `"${n}"`).join(', ');
        reasons.push(`NetworkPolicy ${names} allows all ${d} traffic for every pod, and policies add up: remove that rule, or narrow its podSelector, ${PEERS[d]} or port numbers`);
      }
      out.push({
        member: g.namespace ?? g.workloads[0],
        path: '',
        message: `${where} holds ${count} but no default-deny NetworkPolicy for ${missing}: ${reasons.join('; ')}`,
      });
    }
    return out;
  },
});
