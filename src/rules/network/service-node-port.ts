/*
 * Hardened: Services are not of type NodePort.
 *
 * Checked field:
 *   spec.type (kind Service)
 *
 * A finding when it is `NodePort`. (LoadBalancer Services are the concern of
 * service-load-balancer.)
 *
 * Why: a NodePort opens the same port on every node of the cluster, on every node
 * address, bypassing the ingress layer where TLS, authentication and rate limits
 * live; node firewalls are often not written with 30000-32767 in mind.
 */
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { equals, messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(`has(object.spec) && ${equals('object.spec', ['type'], "'NodePort'")}`, str('Service type NodePort opens a port on every node')),
};

export const serviceNodePort = defineRule({
  id: 'service-node-port',
  title: 'Services are not exposed as NodePort',
  severity: Severity.MEDIUM,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/network-policies',
    'kube-linter:exposed-services',
    'kyverno:restrict-node-port',
  ],
  rationale: 'A NodePort Service listens on every node\'s addresses, so the workload is reachable by anyone who can reach any node, around the ingress controller and its TLS and authentication.',
  remediation: 'Use `type: ClusterIP` and expose the workload through an Ingress or Gateway; if it must be reachable from outside, prefer a LoadBalancer restricted with `loadBalancerSourceRanges`.',
  kinds: ['Service'],
}, (object) => {
  if (prop(prop(object, 'spec'), 'type') !== 'NodePort') return [];
  return [{ path: 'spec.type', message: 'Service type NodePort opens a port on every node; use type ClusterIP behind an Ingress or Gateway' }];
}, undefined, admission);
