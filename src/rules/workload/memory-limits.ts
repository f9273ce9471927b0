/*
 * Hardened: every container and init container sets a memory limit.
 *
 * Checked fields:
 *   spec.containers[*].resources.limits.memory
 *   spec.initContainers[*].resources.limits.memory
 *
 * Allowed values: any quantity (a number or a non-empty string). One finding per
 * container without one. Ephemeral containers cannot set resources and are skipped.
 *
 * Why: memory is not compressible. A container without a limit can exhaust its
 * node's memory, and the kernel's OOM killer then takes down other pods and node
 * daemons with it.
 */
import { checkResourceRequirement, DEFAULT_QUANTITY_OPTION, resourceAdmission, resourceFix } from './resource-requirement';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

/** The fix: the quantity of the rule option `default`, where a container has none. */
const fix = resourceFix('limits.memory');

export const memoryLimits = definePodRule({
  id: 'memory-limits',
  title: 'Containers set a memory limit',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/resource-policies',
    'kube-linter:unset-memory-requirements',
    'polaris:memoryLimitsMissing',
    'kyverno:require-requests-limits',
    'checkov:CKV_K8S_13',
    'trivy:KSV-0018',
  ],
  rationale: 'Memory cannot be throttled: a container without a memory limit (leaking, or abused by an attacker) can exhaust its node, and the OOM killer then terminates other pods and node daemons.',
  remediation: 'Set `resources.limits.memory` on every container and init container, at or above its memory request.',
  kinds: POD_KINDS,
  options: [DEFAULT_QUANTITY_OPTION],
}, (pod) => checkResourceRequirement(pod, { kind: 'limits', resource: 'memory' }), fix, resourceAdmission({ kind: 'limits', resource: 'memory' }));
