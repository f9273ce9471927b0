/*
 * Pod Security Standards, restricted: privilege escalation (pod-security-admission check
 * `allowPrivilegeEscalation`).
 *
 * Privilege escalation (such as via set-user-ID or set-group-ID file mode) should not be allowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.allowPrivilegeEscalation
 *   spec.initContainers[*].securityContext.allowPrivilegeEscalation
 *   spec.ephemeralContainers[*].securityContext.allowPrivilegeEscalation
 *
 * Allowed values: false (it must be set explicitly: undefined means true)
 *
 * Versions: 1.8+ (the field exists from Kubernetes 1.8); from 1.25 Windows pods
 * (spec.os.name: windows) are exempt.
 */
import { containerLabel, containerSc, containerScPath, windowsExempt } from './helpers';
import { setAt } from '../../engine/fix-paths';
import { containersOf, PodView } from '../../engine/pod-spec';
import { MutationContext } from '../../engine/admission';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject } from '../../engine/values';
import { addedCapabilities, holderAt, pathFix } from '../fixes';
import { WINDOWS_POD, containerMessages, equals, present, str, unless } from '../cel';
import { containerPatches, setPatch } from '../cel-patch';

function check(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const v = containerSc(c, 'allowPrivilegeEscalation');
    if (v === false) continue;
    out.push({
      path: containerScPath(c, 'allowPrivilegeEscalation'),
      message: v === true
        ? `${containerLabel(c)} must set securityContext.allowPrivilegeEscalation to false, not true`
        : `${containerLabel(c)} must set securityContext.allowPrivilegeEscalation to false (it defaults to true)`,
    });
  }
  return out;
}

/**
 * The fix: `allowPrivilegeEscalation: false`, except on a container that is privileged or
 * adds SYS_ADMIN: the API server refuses false beside privileged (and beside CAP_SYS_ADMIN),
 * and such a container can escalate anyway. Those stay findings until that is changed.
 */
const fix = pathFix('sets `securityContext.allowPrivilegeEscalation: false` (not on a privileged container or one that adds SYS_ADMIN)', (object, segments) => {
  const holder = holderAt(object, segments);
  if (holder && isObject(holder.securityContext) && holder.securityContext.privileged === true) return 'the container is privileged: turn privileged off first';
  if (addedCapabilities(holder).some((c) => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN')) return 'the container adds SYS_ADMIN: remove it first';
  return setAt(object, segments, false);
});

/** The fix at admission: the same change, on the same containers. */
function fixPatches({ podPointer }: MutationContext): string {
  const field = ['securityContext', 'allowPrivilegeEscalation'];
  const adds = (c: string) => `${present(c, 'securityContext', 'capabilities', 'add')} && ${c}.securityContext.capabilities.add.exists(a, a == 'SYS_ADMIN' || a == 'CAP_SYS_ADMIN')`;
  const patches = containerPatches(podPointer,
    (c) => `!${equals(c, field, 'false')} && !${equals(c, ['securityContext', 'privileged'], 'true')} && !(${adds(c)})`,
    (c, pointer) => setPatch(c, pointer, field, 'false'));
  // the API server refuses these Linux-only fields on a Windows pod, at every version: the fix
  // pass declines there (src/engine/api-validation.ts), and so does this
  return unless(WINDOWS_POD, patches);
}

export const allowPrivilegeEscalation = definePssRule({
  id: 'pss-allow-privilege-escalation',
  checkId: 'allowPrivilegeEscalation',
  level: Profile.RESTRICTED,
  title: 'Containers must set allowPrivilegeEscalation to false',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.6', 'nsa:pod-security/non-root-and-unprivileged', 'kube-linter:privilege-escalation-container', 'polaris:privilegeEscalationAllowed', 'kyverno:disallow-privilege-escalation', 'checkov:CKV_K8S_20', 'trivy:KSV-0001'],
  rationale: 'Without no_new_privs a process in the container can gain privileges through set-user-ID binaries or file capabilities.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container.',
  versions: [
    { minimumVersion: '1.8', check },
    windowsExempt('1.25', check),
  ],
  fix: { ...fix, admission: { patches: fixPatches } },
  admission: {
    violations: ({ pssMinor }) => {
      const cel = containerMessages((c) => `!${equals(c, ['securityContext', 'allowPrivilegeEscalation'], 'false')}`,
        () => str('must set securityContext.allowPrivilegeEscalation to false'));
      return pssMinor >= 25 ? unless(WINDOWS_POD, cel) : cel;
    },
  },
});
