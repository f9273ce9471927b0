/*
 * Pod Security Standards, baseline: host ports (pod-security-admission check `hostPorts`).
 *
 * HostPorts should be disallowed entirely.
 *
 * Restricted fields:
 *   spec.containers[*].ports[*].hostPort
 *   spec.initContainers[*].ports[*].hostPort
 *   spec.ephemeralContainers[*].ports[*].hostPort
 *
 * Allowed values: undefined/null, 0
 *
 * Versions: 1.0+ unchanged.
 */
import { containerLabel, pathOf } from './helpers';
import { indexPath } from '../../engine/json-path';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

export const hostPorts = definePssRule({
  id: 'pss-host-ports',
  checkId: 'hostPorts',
  level: Profile.BASELINE,
  title: 'Containers must not bind host ports',
  severity: Severity.MEDIUM,
  category: 'pod-security',
  controls: ['cis:5.2.13', 'nsa:network-separation', 'polaris:hostPortSet', 'kyverno:disallow-host-ports', 'checkov:CKV_K8S_26', 'trivy:KSV-0024'],
  rationale: 'A host port exposes the container on the node address, bypassing Services and NetworkPolicies, and ties the pod to nodes where the port is free.',
  remediation: 'Remove `hostPort` from the container ports (or set it to 0) and expose the container through a Service.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      for (const c of containersOf(pod)) {
        const base = pathOf(c.path, 'ports');
        arr(prop(c.container, 'ports')).forEach((p, i) => {
          const hp = prop(p, 'hostPort');
          if (typeof hp !== 'number' || hp === 0) return;
          out.push({
            path: pathOf(indexPath(base, i), 'hostPort'),
            message: `${containerLabel(c)} must not use hostPort ${hp}: remove hostPort (or set it to 0) and expose the port through a Service`,
          });
        });
      }
      return out;
    },
  }],
});
