/*
 * Hardened: Services are not of type LoadBalancer.
 *
 * Checked field:
 *   spec.type (kind Service)
 *
 * A finding when it is `LoadBalancer`. The message says whether
 * `spec.loadBalancerSourceRanges` restricts who may connect.
 *
 * Why: each LoadBalancer Service provisions an external (often internet-facing)
 * load balancer straight to the pods, outside the ingress layer, and, unless
 * allocateLoadBalancerNodePorts is false, a NodePort on every node as well. The
 * few Services that should be public (the ingress controller itself) are
 * suppressed with a reason.
 */
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';
import { equals, messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(`has(object.spec) && ${equals('object.spec', ['type'], "'LoadBalancer'")}`, str('Service type LoadBalancer exposes the workload on an external load balancer')),
};

export const serviceLoadBalancer = defineRule({
  id: 'service-load-balancer',
  title: 'Services are not exposed as LoadBalancer',
  severity: Severity.LOW,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/network-policies',
    'kube-linter:exposed-services',
  ],
  rationale: 'A LoadBalancer Service gives the workload its own external address, outside the ingress layer where TLS, authentication and rate limits are enforced, and usually opens node ports too.',
  remediation: 'Use `type: ClusterIP` behind an Ingress or Gateway. For a Service that must have its own load balancer (an ingress controller), restrict `loadBalancerSourceRanges` and suppress this rule on it with `ignore.kubeharden.io/service-load-balancer: "<reason>"`.',
  kinds: ['Service'],
}, (object) => {
  const spec = prop(object, 'spec');
  if (prop(spec, 'type') !== 'LoadBalancer') return [];
  const restricted = arr(prop(spec, 'loadBalancerSourceRanges')).length > 0;
  return [{
    path: 'spec.type',
    message: restricted
      ? 'Service type LoadBalancer exposes the workload on an external load balancer; use type ClusterIP behind an Ingress or Gateway'
      : 'Service type LoadBalancer exposes the workload on an external load balancer open to any source; use type ClusterIP behind an Ingress or Gateway, or at least set spec.loadBalancerSourceRanges',
  }];
}, undefined, admission);
