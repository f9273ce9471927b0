/*
 * Pod Security Standards, restricted: seccomp (pod-security-admission check
 * `seccompProfile_restricted`).
 *
 * Seccomp profile must be explicitly set to one of the allowed values. Both the Unconfined
 * profile and the absence of a profile are prohibited.
 *
 * Restricted fields:
 *   spec.securityContext.seccompProfile.type
 *   spec.containers[*].securityContext.seccompProfile.type
 *   spec.initContainers[*].securityContext.seccompProfile.type
 *   spec.ephemeralContainers[*].securityContext.seccompProfile.type
 *
 * Allowed values: 'RuntimeDefault', 'Localhost'. Container-level fields may be undefined/null
 * when the pod-level field is set to an allowed value.
 *
 * Versions: 1.19+, replacing `seccompProfile_baseline` at the restricted level (before 1.19 the
 * baseline annotation check applies); from 1.25 Windows pods (spec.os.name: windows) are exempt
 * ("Pod API validation would have failed if podOS == Windows and if secCompProfile has been set").
 *
 * kubeharden: a Windows pod exempted here is still judged by the baseline check it replaces
 * (no Unconfined profile), so that the restricted profile never passes a field that the
 * baseline profile fails; the API server refuses such a pod anyway.
 *
 * Severity: high, as `seccompProfile_baseline`. This check replaces the baseline one, so it
 * reports the explicitly Unconfined profiles the baseline check reports (high there); one
 * severity per rule means the missing profile is high here too. A stricter profile never
 * reports a field at a lower severity than baseline does (test/rules/pss/severity-never-drops).
 */
import { containerLabel, containerSc, containerScPath, forbiddenProfileType, forbiddenProfileTypeCel, podSc, podScPath, windowsExempt } from './helpers';
import { FORBIDDEN_SECCOMP_FIELDS_CEL, forbiddenSeccompFields, seccompFixPatches } from './seccomp-profile-baseline';
import { setAt, valueAt } from '../../engine/fix-paths';
import { containersOf, PodView } from '../../engine/pod-spec';
import { MutationContext } from '../../engine/admission';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject } from '../../engine/values';
import { pathFix, podSpecSegmentsOf, setProfileType } from '../fixes';
import { POD, WINDOWS_POD, concat, containerMessages, messageIf, present, str } from '../cel';

function check(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  const podProfile = podSc(pod, 'seccompProfile');
  const podFinding = forbiddenProfileType(podProfile, 'seccompProfile', 'pod', podScPath(pod, 'seccompProfile', 'type'));
  if (podFinding) out.push(podFinding);
  const podSet = isObject(podProfile) && !podFinding;
  const podBad = out.length > 0;
  for (const c of containersOf(pod)) {
    const profile = containerSc(c, 'seccompProfile');
    if (isObject(profile)) {
      const finding = forbiddenProfileType(profile, 'seccompProfile', containerLabel(c), containerScPath(c, 'seccompProfile', 'type'));
      if (finding) out.push(finding);
    } else if (!podSet && !podBad) {
      // (when the pod sets a forbidden type, the pod finding above already covers this container)
      out.push({
        path: containerScPath(c, 'seccompProfile', 'type'),
        message: `${containerLabel(c)} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must set spec.securityContext.seccompProfile.type)`,
      });
    }
  }
  return out;
}

/**
 * The fix: `RuntimeDefault` on the pod when neither the pod nor the container sets a
 * profile (one setting covers every container), otherwise in place of the forbidden type.
 */
const fix = pathFix('sets `seccompProfile.type: RuntimeDefault`: on the pod when neither the pod nor the container sets a profile, otherwise in place of the forbidden type', (object, segments) => {
  if (isObject(valueAt(object, segments.slice(0, -1)))) return setProfileType(object, segments, 'RuntimeDefault');
  const spec = podSpecSegmentsOf(segments);
  if (spec) {
    const podProfile = [...spec, 'securityContext', 'seccompProfile'];
    const current = valueAt(object, podProfile);
    if (current === undefined || current === null) return setAt(object, podProfile, { type: 'RuntimeDefault' });
    // the pod's profile (set for an earlier container of this pass) covers a container that sets none
    if (isObject(current) && (current.type === 'RuntimeDefault' || current.type === 'Localhost')) return undefined;
  }
  return setProfileType(object, segments, 'RuntimeDefault');
});

/** The fix at admission: the same profiles (see seccompFixPatches). */
function fixPatches({ pssMinor, podPointer }: MutationContext): string | undefined {
  if (pssMinor < 19) return undefined;
  return seccompFixPatches(podPointer, true);
}

export const seccompProfileRestricted = definePssRule({
  id: 'pss-seccomp-profile-restricted',
  checkId: 'seccompProfile_restricted',
  level: Profile.RESTRICTED,
  title: 'Pods must set a RuntimeDefault or Localhost seccomp profile',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.7.2', 'nsa:pod-security/hardening-container-environments', 'kyverno:restrict-seccomp-strict', 'checkov:CKV_K8S_31', 'trivy:KSV-0030'],
  rationale: 'Without a seccomp profile (or with Unconfined) a container may call every system call of the node kernel; RuntimeDefault blocks the rarely needed, often exploited ones. High, like the baseline check it replaces, so that the restricted profile never reports an Unconfined profile at a lower severity than baseline.',
  remediation: 'Set `spec.securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a profile on the nodes), and do not set `Unconfined` on any container.',
  versions: [
    { minimumVersion: '1.19', overrides: ['seccompProfile_baseline'], check },
    windowsExempt('1.25', check, ['seccompProfile_baseline'], forbiddenSeccompFields),
  ],
  fix: { ...fix, admission: { patches: fixPatches } },
  admission: {
    violations: ({ pssMinor }) => {
      const podSet = present(POD, 'securityContext', 'seccompProfile');
      const cel = concat(
        messageIf(`${present(POD, 'securityContext')} && ${forbiddenProfileTypeCel(`${POD}.securityContext`, 'seccompProfile')}`, str('pod must set securityContext.seccompProfile.type to RuntimeDefault or Localhost')),
        containerMessages((c) => `(${present(c, 'securityContext', 'seccompProfile')} ? ${forbiddenProfileTypeCel(`${c}.securityContext`, 'seccompProfile')} : !${podSet})`,
          () => str('must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)')),
      );
      return pssMinor >= 25 ? `(${WINDOWS_POD} ? ${FORBIDDEN_SECCOMP_FIELDS_CEL} : ${cel})` : cel;
    },
  },
});
