/*
 * Pod Security Standards, baseline: capabilities (pod-security-admission check `capabilities_baseline`).
 *
 * Adding additional capabilities beyond those listed below must be disallowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.capabilities.add
 *   spec.initContainers[*].securityContext.capabilities.add
 *   spec.ephemeralContainers[*].securityContext.capabilities.add
 *
 * Allowed values: undefined/empty, or a subset of
 *   AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
 *   SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT
 *   (exact, case-sensitive names; NET_RAW is not allowed)
 *
 * Versions: 1.0+ unchanged. At the restricted level, `capabilities_restricted` replaces this
 * check from 1.22.
 */
import { containerLabel, containerSc, containerScPath, quote } from './helpers';
import { indexPath } from '../../engine/json-path';
import { containersOf, PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';
import { removeValue } from '../fixes';
import { WINDOWS_POD, containerMessages, present, strList, unless } from '../cel';
import { containerPatches, replacePatch } from '../cel-patch';

/** The capabilities a baseline container may add. */
const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** The same set, in CEL. */
export const BASELINE_CEL = strList([...BASELINE_ALLOWED_CAPABILITIES]);

/**
 * The baseline check: one finding per added capability outside the default set (also used
 * by `capabilities_restricted` for the Windows pods it exempts).
 */
export function capabilitiesBeyondBaseline(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const add = arr(prop(containerSc(c, 'capabilities'), 'add'));
    add.forEach((cap, i) => {
      if (typeof cap === 'string' && BASELINE_ALLOWED_CAPABILITIES.has(cap)) return;
      out.push({
        path: indexPath(containerScPath(c, 'capabilities', 'add'), i),
        message: `${containerLabel(c)} must not add capability ${quote(cap)}: remove it from securityContext.capabilities.add`,
      });
    });
  }
  return out;
}

/** capabilitiesBeyondBaseline in CEL. */
export const capabilitiesBeyondBaselineCel = containerMessages(
  (c) => `${present(c, 'securityContext', 'capabilities', 'add')} && ${c}.securityContext.capabilities.add.exists(a, !(a in ${BASELINE_CEL}))`,
  (c) => `'must not add capabilities ' + ${c}.securityContext.capabilities.add.filter(a, !(a in ${BASELINE_CEL})).join(', ')`);

/** The fix: the capability taken out of `add`. */
const fix = {
  ...removeValue('removes the capability from `securityContext.capabilities.add`'),
  admission: {
    // (not on a Windows pod: the API server refuses capabilities there, fixed or not)
    patches: ({ podPointer }: { podPointer: string }) => unless(WINDOWS_POD, containerPatches(podPointer,
      (c) => `${present(c, 'securityContext', 'capabilities', 'add')} && ${c}.securityContext.capabilities.add.exists(a, !(a in ${BASELINE_CEL}))`,
      (c, pointer) => replacePatch(pointer, ['securityContext', 'capabilities', 'add'], `${c}.securityContext.capabilities.add.filter(a, a in ${BASELINE_CEL})`))),
  },
};

export const capabilitiesBaseline = definePssRule({
  id: 'pss-capabilities-baseline',
  checkId: 'capabilities_baseline',
  level: Profile.BASELINE,
  title: 'Containers must not add capabilities beyond the default set',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.8', 'cis:5.2.9', 'nsa:pod-security/non-root-and-unprivileged', 'polaris:dangerousCapabilities', 'kyverno:disallow-capabilities', 'checkov:CKV_K8S_25', 'trivy:KSV-0022'],
  rationale: 'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container root-like powers over the node kernel, other processes or the network.',
  remediation: 'Remove every capability from `securityContext.capabilities.add` that is not one of AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.',
  versions: [{ minimumVersion: '1.0', check: capabilitiesBeyondBaseline }],
  fix,
  admission: { violations: () => capabilitiesBeyondBaselineCel },
});
