/*
 * Hardened: every container and init container sets a memory request.
 *
 * Checked fields:
 *   spec.containers[*].resources.requests.memory
 *   spec.initContainers[*].resources.requests.memory
 *
 * Allowed values: any quantity (a number or a non-empty string). One finding per
 * container without one. Ephemeral containers cannot set resources and are skipped.
 * A container that sets resources.limits.memory and no resources.requests.memory passes:
 * the API server defaults the request to the limit (SetDefaults_Pod; see
 * resource-requirement.ts).
 *
 * Why: without a memory request the scheduler overcommits nodes, and under memory
 * pressure the container is among the first to be evicted.
 */
import { checkResourceRequirement, DEFAULT_QUANTITY_OPTION, resourceAdmission, resourceFix } from './resource-requirement';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

/** The fix: the quantity of the rule option `default`, where a container has none. */
const fix = resourceFix('requests.memory');

export const memoryRequests = definePodRule({
  id: 'memory-requests',
  title: 'Containers set a memory request',
  severity: Severity.LOW,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/resource-policies',
    'kube-linter:unset-memory-requirements',
    'polaris:memoryRequestsMissing',
    'kyverno:require-requests-limits',
    'checkov:CKV_K8S_12',
    'trivy:KSV-0016',
  ],
  rationale: 'Requests tell the scheduler what a container needs. Without a memory request nodes are overcommitted and the pod is evicted first when memory runs short.',
  remediation: 'Set `resources.requests.memory` on every container and init container (for example `128Mi`), sized from observed usage. A container that sets only `resources.limits.memory` gets a request equal to the limit.',
  kinds: POD_KINDS,
  options: [DEFAULT_QUANTITY_OPTION],
}, (pod) => checkResourceRequirement(pod, { kind: 'requests', resource: 'memory' }), fix, resourceAdmission({ kind: 'requests', resource: 'memory' }));
