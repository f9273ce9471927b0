/*
 * Pod Security Standards, restricted: /proc mount type (pod-security-admission check
 * `procMount_restricted`).
 *
 * The default /proc masks are set up to reduce attack surface, and should be required, also
 * for pods in a user namespace.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.procMount
 *   spec.initContainers[*].securityContext.procMount
 *   spec.ephemeralContainers[*].securityContext.procMount
 *
 * Allowed values: undefined/null, "Default" (whatever spec.hostUsers says)
 *
 * Versions: 1.35+, replacing the baseline `procMount` check (whose 1.35 behaviour relaxes
 * the rule for `hostUsers: false` pods) at the restricted level.
 */
import { NON_DEFAULT_PROC_MOUNTS_CEL, nonDefaultProcMounts, procMountPatches } from './proc-mount';
import { definePssRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { removeValue } from '../fixes';

/** The fix: procMount removed (the default masks /proc). */
const fix = removeValue('removes `securityContext.procMount` (the default, Default, masks /proc)');

export const procMountRestricted = definePssRule({
  id: 'pss-proc-mount-restricted',
  checkId: 'procMount_restricted',
  level: Profile.RESTRICTED,
  title: 'Containers must use the default /proc mount, even in a user namespace',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['nsa:pod-security/hardening-container-environments', 'kyverno:disallow-proc-mount', 'trivy:KSV-0027'],
  rationale: 'An Unmasked /proc exposes kernel interfaces that the runtime normally hides; the restricted level keeps the default masks even when the pod runs in a user namespace.',
  remediation: 'Remove `securityContext.procMount` or set it to `Default` on every container.',
  versions: [{
    minimumVersion: '1.35',
    overrides: ['procMount'],
    note: 'replaces procMount at the restricted level',
    check: nonDefaultProcMounts,
  }],
  fix: { ...fix, admission: { patches: ({ podPointer }) => procMountPatches(podPointer) } },
  admission: { violations: () => NON_DEFAULT_PROC_MOUNTS_CEL },
});
