/*
 * Hardened: every container and init container sets a CPU limit.
 *
 * Checked fields:
 *   spec.containers[*].resources.limits.cpu
 *   spec.initContainers[*].resources.limits.cpu
 *
 * Allowed values: any quantity (a number or a non-empty string). One finding per
 * container without one. Ephemeral containers cannot set resources and are skipped.
 *
 * Why: an unlimited container can take every CPU cycle of its node, which a
 * compromised or runaway workload uses to deny service to its neighbours (for
 * example when cryptomining). Teams that deliberately run without CPU limits
 * disable this rule in kubeharden.config.yaml.
 */
import { checkResourceRequirement, DEFAULT_QUANTITY_OPTION, resourceAdmission, resourceFix } from './resource-requirement';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

/** The fix: the quantity of the rule option `default`, where a container has none. */
const fix = resourceFix('limits.cpu');

export const cpuLimits = definePodRule({
  id: 'cpu-limits',
  title: 'Containers set a CPU limit',
  severity: Severity.LOW,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:network-separation/resource-policies',
    'kube-linter:unset-cpu-requirements',
    'polaris:cpuLimitsMissing',
    'kyverno:require-requests-limits',
    'checkov:CKV_K8S_11',
    'trivy:KSV-0011',
  ],
  rationale: 'A container without a CPU limit can consume all CPU of its node; a compromised workload (for example a cryptominer) then starves every other pod scheduled there.',
  remediation: 'Set `resources.limits.cpu` on every container and init container, or disable this rule in kubeharden.config.yaml if your platform deliberately runs without CPU limits.',
  kinds: POD_KINDS,
  options: [DEFAULT_QUANTITY_OPTION],
}, (pod) => checkResourceRequirement(pod, { kind: 'limits', resource: 'cpu' }), fix, resourceAdmission({ kind: 'limits', resource: 'cpu' }));
