/*
 * Hardened: Services do not set externalIPs.
 *
 * Checked field:
 *   spec.externalIPs (kind Service)
 *
 * A finding when it is a non-empty list.
 *
 * Why: CVE-2020-8554. Any user who may create or patch a Service can set
 * externalIPs to an address they do not own, and kube-proxy then redirects the
 * cluster's traffic to that address (for example a DNS server or an external API)
 * to the attacker's pods. The fix upstream is to forbid the field (the
 * DenyServiceExternalIPs admission plugin); manifests should not need it.
 */
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';
import { listOf, messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(`has(object.spec) && size(${listOf('object.spec', 'externalIPs')}) > 0`, str('remove spec.externalIPs')),
};

export const serviceExternalIps = defineRule({
  id: 'service-external-ips',
  title: 'Services do not set externalIPs',
  severity: Severity.HIGH,
  category: 'network',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/network-policies',
    'kyverno:restrict-external-ips',
    'trivy:KSV-0108',
  ],
  rationale: 'Service externalIPs let whoever can write a Service intercept cluster traffic addressed to any IP (CVE-2020-8554, a man-in-the-middle that has no fix in kube-proxy other than forbidding the field).',
  remediation: 'Remove `spec.externalIPs`; expose the Service through a LoadBalancer, an Ingress or a Gateway instead, and enable the DenyServiceExternalIPs admission plugin on the API server.',
  kinds: ['Service'],
}, (object) => {
  const ips = arr(prop(prop(object, 'spec'), 'externalIPs'));
  if (ips.length === 0) return [];
  return [{ path: 'spec.externalIPs', message: `remove spec.externalIPs (${ips.length} address${ips.length === 1 ? '' : 'es'}): external IPs allow traffic interception (CVE-2020-8554)` }];
}, undefined, admission);
