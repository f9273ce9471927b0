/*
 * Hardened: every container and init container sets a CPU request.
 *
 * Checked fields:
 *   spec.containers[*].resources.requests.cpu
 *   spec.initContainers[*].resources.requests.cpu
 *
 * Allowed values: any quantity (a number or a non-empty string). One finding per
 * container without one. Ephemeral containers cannot set resources and are skipped.
 * A container that sets resources.limits.cpu and no resources.requests.cpu passes:
 * the API server defaults the request to the limit (SetDefaults_Pod; see
 * resource-requirement.ts).
 *
 * Why: without a request the scheduler places the pod as if it needed no CPU, and
 * under contention the container is the first to be starved (BestEffort QoS).
 */
import { checkResourceRequirement, DEFAULT_QUANTITY_OPTION, resourceAdmission, resourceFix } from './resource-requirement';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

/** The fix: the quantity of the rule option `default`, where a container has none. */
const fix = resourceFix('requests.cpu');

export const cpuRequests = definePodRule({
  id: 'cpu-requests',
  title: 'Containers set a CPU request',
  severity: Severity.LOW,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/resource-policies',
    'kube-linter:unset-cpu-requirements',
    'polaris:cpuRequestsMissing',
    'kyverno:require-requests-limits',
    'checkov:CKV_K8S_10',
    'trivy:KSV-0015',
  ],
  rationale: 'Requests tell the scheduler what a container needs. Without them pods are packed onto nodes that cannot serve them, and one busy workload degrades its neighbours.',
  remediation: 'Set `resources.requests.cpu` on every container and init container (for example `100m`), sized from observed usage. A container that sets only `resources.limits.cpu` gets a request equal to the limit.',
  kinds: POD_KINDS,
  options: [DEFAULT_QUANTITY_OPTION],
}, (pod) => checkResourceRequirement(pod, { kind: 'requests', resource: 'cpu' }), fix, resourceAdmission({ kind: 'requests', resource: 'cpu' }));
