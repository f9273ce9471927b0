/*
 * Pod Security Standards, baseline: host namespaces (pod-security-admission check `hostNamespaces`).
 *
 * Sharing the host namespaces must be disallowed.
 *
 * Restricted fields:
 *   spec.hostNetwork
 *   spec.hostPID
 *   spec.hostIPC
 *
 * Allowed values: false, undefined/null
 *
 * Versions: 1.0+ unchanged.
 */
import { pathOf } from './helpers';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { setValue } from '../fixes';
import { CONTAINER_LISTS, POD, concat, equals, messageIf, str, unless } from '../cel';
import { patchIf, replacePatch } from '../cel-patch';

/** windowsOptions.hostProcess on the pod or on a container. */
const HOST_PROCESS_POD = `(${equals(POD, ['securityContext', 'windowsOptions', 'hostProcess'], 'true')} || ${
  CONTAINER_LISTS.map(({ list }) => `variables.${list}.exists(c, ${equals('c', ['securityContext', 'windowsOptions', 'hostProcess'], 'true')})`).join(' || ')})`;

const NAMESPACES: { field: string; what: string }[] = [
  { field: 'hostNetwork', what: 'the node network namespace' },
  { field: 'hostPID', what: 'the node process namespace' },
  { field: 'hostIPC', what: 'the node IPC namespace' },
];

/** The fix: the host namespace off. */
const fix = {
  ...setValue('sets `hostNetwork`, `hostPID` or `hostIPC` to false', false),
  // at admission the API server has already defaulted each container port's hostPort to its
  // containerPort in a hostNetwork pod; pss-host-ports' own admission fix removes them once
  // hostNetwork is off, which is what the fix pass leaves (no host port was ever written).
  // A HostProcess pod must keep the host network (the API server refuses it otherwise), and
  // the fix pass then keeps none of the rule's changes to that pod.
  admission: {
    patches: ({ podPointer }: { podPointer: string }) => unless(`${equals(POD, ['hostNetwork'], 'true')} && ${HOST_PROCESS_POD}`,
      concat(...NAMESPACES.map((ns) => patchIf(equals(POD, [ns.field], 'true'), replacePatch(str(podPointer), [ns.field], 'false'))))),
  },
};

export const hostNamespaces = definePssRule({
  id: 'pss-host-namespaces',
  checkId: 'hostNamespaces',
  level: Profile.BASELINE,
  title: 'Pods must not share the host network, PID or IPC namespace',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.3', 'cis:5.2.4', 'cis:5.2.5', 'nsa:pod-security/host-isolation', 'kube-linter:host-network', 'kube-linter:host-pid', 'kube-linter:host-ipc', 'polaris:hostNetworkSet', 'polaris:hostPIDSet', 'polaris:hostIPCSet', 'kyverno:disallow-host-namespaces', 'checkov:CKV_K8S_17', 'checkov:CKV_K8S_18', 'checkov:CKV_K8S_19', 'trivy:KSV-0008', 'trivy:KSV-0009', 'trivy:KSV-0010'],
  rationale: 'A pod in a host namespace sees the node network interfaces, every process on the node, or its shared memory: it can sniff traffic, signal or inspect other workloads, and bypass network policy.',
  remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      for (const ns of NAMESPACES) {
        if (prop(pod.spec, ns.field) === true) {
          out.push({
            path: pathOf(pod.specPath, ns.field),
            message: `pod must not set ${ns.field} to true (it shares ${ns.what}): remove it or set it to false`,
          });
        }
      }
      return out;
    },
  }],
  fix,
  admission: {
    violations: () => concat(...NAMESPACES.map((ns) =>
      messageIf(equals(POD, [ns.field], 'true'), str(`pod must not set ${ns.field} to true (it shares ${ns.what})`)))),
  },
});
