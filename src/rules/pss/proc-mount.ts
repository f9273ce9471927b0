/*
 * Pod Security Standards, baseline: /proc mount type (pod-security-admission check `procMount`).
 *
 * The default /proc masks are set up to reduce attack surface, and should be required.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.procMount
 *   spec.initContainers[*].securityContext.procMount
 *   spec.ephemeralContainers[*].securityContext.procMount
 *
 * Allowed values: undefined/null, "Default"
 *
 * Versions: 1.0; from 1.35 a pod in a user namespace (`spec.hostUsers: false`) is allowed any
 * procMount (the relaxation of KEP-127, unconditional from policy version 1.35). At the
 * restricted level `procMount_restricted` replaces this check from 1.35, so the relaxation
 * only applies at baseline.
 */
import { containerLabel, containerSc, containerScPath, quote, userNamespaceExempt } from './helpers';
import { containersOf, PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { removeValue } from '../fixes';
import { USER_NAMESPACE_POD, containerMessages, present, str, unless } from '../cel';
import { containerPatches, removePatch } from '../cel-patch';

/** Findings for every container that sets a procMount other than Default. */
export function nonDefaultProcMounts(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const pm = containerSc(c, 'procMount');
    if (pm === undefined || pm === null || pm === 'Default') continue;
    out.push({
      path: containerScPath(c, 'procMount'),
      message: `${containerLabel(c)} must not set securityContext.procMount to ${quote(pm)}: remove it or set it to Default`,
    });
  }
  return out;
}

/** nonDefaultProcMounts in CEL. */
export const NON_DEFAULT_PROC_MOUNTS_CEL = containerMessages(
  (c) => `${present(c, 'securityContext', 'procMount')} && ${c}.securityContext.procMount != 'Default'`,
  () => str('must not set securityContext.procMount other than Default'));

/** The fix: procMount removed (the default masks /proc). */
const fix = removeValue('removes `securityContext.procMount` (the default, Default, masks /proc)');

/** The fix at admission: procMount removed where it is not Default. */
export function procMountPatches(podPointer: string): string {
  return containerPatches(podPointer,
    (c) => `${present(c, 'securityContext', 'procMount')} && ${c}.securityContext.procMount != 'Default'`,
    (_c, pointer) => removePatch(pointer, ['securityContext', 'procMount']));
}

export const procMount = definePssRule({
  id: 'pss-proc-mount',
  checkId: 'procMount',
  level: Profile.BASELINE,
  title: 'Containers must use the default /proc mount',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['nsa:pod-security/hardening-container-environments', 'kyverno:disallow-proc-mount', 'trivy:KSV-0027'],
  rationale: 'An Unmasked /proc exposes kernel interfaces that the runtime normally hides, which helps a container escape to the node.',
  remediation: 'Remove `securityContext.procMount` or set it to `Default` (or, at baseline from Kubernetes 1.35, run the pod in a user namespace with `hostUsers: false`).',
  versions: [
    { minimumVersion: '1.0', check: nonDefaultProcMounts },
    userNamespaceExempt('1.35', nonDefaultProcMounts, 'pods with spec.hostUsers: false may set any procMount'),
  ],
  fix: {
    ...fix,
    admission: {
      patches: ({ pssMinor, podPointer }) => (pssMinor >= 35
        ? unless(USER_NAMESPACE_POD, procMountPatches(podPointer))
        : procMountPatches(podPointer)),
    },
  },
  admission: {
    violations: ({ pssMinor }) => (pssMinor >= 35 ? unless(USER_NAMESPACE_POD, NON_DEFAULT_PROC_MOUNTS_CEL) : NON_DEFAULT_PROC_MOUNTS_CEL),
  },
});
