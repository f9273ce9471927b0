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
 *
 * Defaulting. pod-security-admission judges a Pod as the API server stores it, after
 * defaulting, and SetDefaults_Pod (pkg/apis/core/v1/defaults.go) gives every port of a
 * `hostNetwork: true` pod a host port: "With host networking default all container ports
 * to host ports" (defaultHostNetworkPorts: hostPort 0 becomes containerPort, for
 * spec.containers and spec.initContainers). So in a hostNetwork pod a container port
 * without hostPort (or with hostPort 0) is host port <containerPort>, and is reported
 * here, at the hostPort it gets; a containerPort of 0 stays hostPort 0 and passes.
 * Ephemeral containers are not defaulted (and API validation allows them no ports).
 *
 * Pod templates (Deployment, DaemonSet, ...): until 1.27 SetDefaults_PodSpec defaulted
 * the template too; from 1.28 (feature gate DefaultHostNetworkHostPortsInPodTemplates, off
 * from 1.28 and removed in 1.31) only Pods are defaulted, so PSA's warning and audit on a
 * template object no longer see the host port. Every Pod created from the template is
 * defaulted, though, and enforcement judges those Pods: this rule reports the template
 * too, at every version, because the Pods it produces are rejected.
 */
import { containerLabel, pathOf } from './helpers';
import { removeAt } from '../../engine/fix-paths';
import { indexPath } from '../../engine/json-path';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';
import { pathFix } from '../fixes';
import { POD, containerMessages, equals, str, unless } from '../cel';
import { containerItemPatches, removePatch } from '../cel-patch';

/** The fix: the host port removed (the container port stays, reachable through the pod IP and Services). */
const fix = {
  ...pathFix('removes the `hostPort` of the container port (the port stays reachable through the pod IP and Services)', (object, segments) =>
    (segments[segments.length - 1] === 'hostPort' ? removeAt(object, segments) : 'the finding is not about a hostPort')),
  // at admission, not in a hostNetwork pod: there the API server requires hostPort to equal
  // containerPort (and defaults it so), as it puts back a removed one
  admission: {
    patches: ({ podPointer }: { podPointer: string }) => unless(equals(POD, ['hostNetwork'], 'true'),
      containerItemPatches(podPointer, 'ports', (p) => `has(${p}.hostPort) && ${p}.hostPort != 0`, (_p, pointer) => removePatch(pointer, ['hostPort']))),
  },
};

export const hostPorts = definePssRule({
  id: 'pss-host-ports',
  checkId: 'hostPorts',
  level: Profile.BASELINE,
  title: 'Containers must not bind host ports',
  severity: Severity.MEDIUM,
  category: 'pod-security',
  controls: ['cis:5.2.13', 'nsa:network-separation', 'polaris:hostPortSet', 'kyverno:disallow-host-ports', 'checkov:CKV_K8S_26', 'trivy:KSV-0024'],
  rationale: 'A host port exposes the container on the node address, bypassing Services and NetworkPolicies, and ties the pod to nodes where the port is free.',
  remediation: 'Remove `hostPort` from the container ports (or set it to 0) and expose the container through a Service. In a `hostNetwork: true` pod every container port is a host port (hostPort defaults to containerPort): remove `hostNetwork` as well.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      const hostNetwork = prop(pod.spec, 'hostNetwork') === true;
      for (const c of containersOf(pod)) {
        const base = pathOf(c.path, 'ports');
        const defaulted = hostNetwork && c.field !== 'ephemeralContainers';
        arr(prop(c.container, 'ports')).forEach((p, i) => {
          const hp = prop(p, 'hostPort');
          const path = pathOf(indexPath(base, i), 'hostPort');
          if (typeof hp === 'number' && hp !== 0) {
            out.push({
              path,
              message: `${containerLabel(c)} must not use hostPort ${hp}: remove hostPort (or set it to 0) and expose the port through a Service`,
            });
            return;
          }
          const cp = prop(p, 'containerPort');
          if (!defaulted || (hp !== undefined && hp !== null && hp !== 0) || typeof cp !== 'number' || cp === 0) return;
          out.push({
            path,
            message: `${containerLabel(c)} binds host port ${cp}: with hostNetwork: true every container port is also a host port (hostPort defaults to containerPort); remove hostNetwork and expose the port through a Service`,
          });
        });
      }
      return out;
    },
  }],
  fix,
  admission: {
    violations: () => {
      const hostNetwork = equals(POD, ['hostNetwork'], 'true');
      const own = '(has(p.hostPort) && p.hostPort != 0)';
      const defaulted = '((!has(p.hostPort) || p.hostPort == 0) && has(p.containerPort) && p.containerPort != 0)';
      return containerMessages(
        (c, list) => `has(${c}.ports) && ${c}.ports.exists(p, ${own}${list === 'ephemeralContainers' ? '' : ` || (${hostNetwork} && ${defaulted})`})`,
        () => str('must not use a host port (a hostPort, or hostNetwork: true, which makes every container port a host port)'));
    },
  },
});
