/*
 * A namespace that holds workloads must have a default-deny NetworkPolicy for both
 * directions (set-level: judged over the whole input).
 *
 * Kubernetes semantics: a pod is isolated for a direction when at least one
 * NetworkPolicy that selects it has that direction in `policyTypes` (when
 * `policyTypes` is omitted: Ingress always, Egress when the policy has egress rules);
 * an isolated pod then only gets the traffic that some selecting policy's rules allow.
 * Default deny therefore means: policies with an empty `podSelector` (every pod of the
 * namespace) isolate both Ingress and Egress, and none of their rules allows all
 * traffic (a rule without peers and without ports, e.g. `ingress: [{}]`). An egress
 * rule that only opens ports (typically DNS on 53) keeps the default deny.
 *
 * Objects without `metadata.namespace` go wherever they are applied; they are judged
 * together, and are covered by a default-deny policy that also has no namespace.
 *
 * The finding (path: the whole object, line: where the object starts) is reported on
 * the Namespace object when the input holds it, otherwise
 * on the first workload of the namespace.
 */
import { isWorkloadKind, WORKLOAD_KINDS } from '../../engine/pod-spec';
import { defineSetRule } from '../../engine/set-rule';
import { Profile, SetFinding, SetMember, Severity } from '../../engine/types';
import { arr, isObject, prop, str } from '../../engine/values';

type Collected =
  | { type: 'namespace'; name: string }
  | { type: 'workload'; namespace: string }
  | { type: 'policy'; namespace: string; ingress: boolean; egress: boolean };

function isEmptySelector(selector: unknown): boolean {
  if (!isObject(selector)) return selector === undefined || selector === null;
  const labels = prop(selector, 'matchLabels');
  const exprs = prop(selector, 'matchExpressions');
  return (!isObject(labels) || Object.keys(labels).length === 0) && arr(exprs).length === 0;
}

/** A rule that lets every peer in on every port. */
function allowsAll(rule: unknown, peersField: 'from' | 'to'): boolean {
  if (!isObject(rule)) return false;
  return arr(prop(rule, peersField)).length === 0 && arr(prop(rule, 'ports')).length === 0;
}

/** Which directions an empty-selector policy denies by default. */
function defaultDenies(spec: unknown): { ingress: boolean; egress: boolean } {
  if (!isObject(spec) || !isEmptySelector(prop(spec, 'podSelector'))) return { ingress: false, egress: false };
  const ingressRules = arr(prop(spec, 'ingress'));
  const egressRules = arr(prop(spec, 'egress'));
  const declared = prop(spec, 'policyTypes');
  const types: string[] = Array.isArray(declared)
    ? declared.filter((t): t is string => typeof t === 'string')
    : ['Ingress', ...(egressRules.length > 0 ? ['Egress'] : [])];
  return {
    ingress: types.includes('Ingress') && !ingressRules.some((r) => allowsAll(r, 'from')),
    egress: types.includes('Egress') && !egressRules.some((r) => allowsAll(r, 'to')),
  };
}

export const namespaceDefaultDeny = defineSetRule({
  id: 'namespace-default-deny-network-policy',
  title: 'Namespaces with workloads have a default-deny NetworkPolicy for ingress and egress',
  severity: Severity.MEDIUM,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.3.2', 'nsa:network-separation/network-policies', 'kyverno:add-network-policy', 'checkov:CKV2_K8S_6'],
  rationale: 'Without a NetworkPolicy every pod accepts traffic from and sends traffic to any pod in the cluster: one compromised pod can reach every database and API. A default-deny policy makes every allowed flow explicit.',
  remediation: 'Add to the namespace a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no allow-all rules, then allow the needed flows (DNS egress, ingress from the right pods) with further policies.',
  kinds: ['Namespace', 'NetworkPolicy', ...WORKLOAD_KINDS],
}, {
  collect: (object): Collected | undefined => {
    const kind = prop(object, 'kind');
    const metadata = prop(object, 'metadata');
    const namespace = str(prop(metadata, 'namespace')) ?? '';
    if (kind === 'Namespace') {
      const name = str(prop(metadata, 'name'));
      return name ? { type: 'namespace', name } : undefined;
    }
    if (kind === 'NetworkPolicy') return { type: 'policy', namespace, ...defaultDenies(prop(object, 'spec')) };
    if (isWorkloadKind(kind)) return { type: 'workload', namespace };
    return undefined;
  },
  checkSet: (members: SetMember[]): SetFinding[] => {
    const groups = new Map<string, { workloads: number[]; namespace?: number; ingress: boolean; egress: boolean }>();
    const group = (ns: string) => {
      let g = groups.get(ns);
      if (!g) {
        g = { workloads: [], ingress: false, egress: false };
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
        group(d.namespace).workloads.push(i);
      } else {
        const g = group(d.namespace);
        g.ingress ||= d.ingress;
        g.egress ||= d.egress;
      }
    });
    const out: SetFinding[] = [];
    for (const [ns, g] of groups) {
      if (g.workloads.length === 0 || (g.ingress && g.egress)) continue;
      const missing = !g.ingress && !g.egress ? 'ingress and egress' : !g.ingress ? 'ingress' : 'egress';
      const where = ns === '' ? 'objects without a namespace' : `namespace "${ns}"`;
      const count = `${g.workloads.length} workload${g.workloads.length === 1 ? '' : 's'}`;
      out.push({
        member: g.namespace ?? g.workloads[0],
        path: '',
        message: `${where} holds ${count} but no default-deny NetworkPolicy for ${missing}: add one with podSelector: {} and policyTypes: [Ingress, Egress], then allow the needed flows`,
      });
    }
    return out;
  },
});
