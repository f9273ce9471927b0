/*
 * Pod Security Standards, baseline: AppArmor (pod-security-admission check `appArmorProfile`).
 *
 * On supported hosts, the RuntimeDefault AppArmor profile is applied by default. The baseline
 * policy should prevent overriding or disabling the default AppArmor profile, or restrict
 * overrides to an allowed set of profiles.
 *
 * Restricted fields:
 *   spec.securityContext.appArmorProfile.type
 *   spec.containers[*].securityContext.appArmorProfile.type
 *   spec.initContainers[*].securityContext.appArmorProfile.type
 *   spec.ephemeralContainers[*].securityContext.appArmorProfile.type
 * Allowed values: undefined/null (no appArmorProfile), 'RuntimeDefault', 'Localhost'
 *
 * Restricted fields:
 *   metadata.annotations['container.apparmor.security.beta.kubernetes.io/*']
 * Allowed values: undefined, '' (empty), 'runtime/default', 'localhost/*'
 *
 * Versions: one behaviour from 1.0. The annotation is deprecated since the fields went GA
 * (1.30/1.31) but pod-security-admission still checks both channels. The field check was
 * added to the 1.0 behaviour rather than as a new version, so it applies at every version.
 */
import { containerLabel, containerSc, containerScPath, forbiddenProfileType, forbiddenProfileTypeCel, pathOf, podSc, podScPath, quote } from './helpers';
import { setAt } from '../../engine/fix-paths';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { keys, prop } from '../../engine/values';
import { isAnnotationPath, pathFix, setProfileType } from '../fixes';
import { POD_ANNOTATIONS, concat, podAndContainerSc, str } from '../cel';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

/** The fix: RuntimeDefault in place of Unconfined, in the field or the legacy annotation. */
const fix = pathFix('sets the AppArmor profile to RuntimeDefault in place of Unconfined (`runtime/default` in a legacy annotation)', (object, segments) =>
  (isAnnotationPath(segments) ? setAt(object, segments, 'runtime/default') : setProfileType(object, segments, 'RuntimeDefault')));

export const appArmorProfile = definePssRule({
  id: 'pss-app-armor-profile',
  checkId: 'appArmorProfile',
  level: Profile.BASELINE,
  title: 'Containers must not disable or override the default AppArmor profile',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['nsa:pod-security/hardening-container-environments', 'kyverno:restrict-apparmor-profiles', 'trivy:KSV-0002'],
  rationale: 'AppArmor confines what a container process may do on the node; an Unconfined profile removes that layer of defence.',
  remediation: 'Use `securityContext.appArmorProfile.type: RuntimeDefault` (or `Localhost` with a profile installed on the nodes), and remove `unconfined` AppArmor annotations.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      const podFinding = forbiddenProfileType(podSc(pod, 'appArmorProfile'), 'appArmorProfile', 'pod', podScPath(pod, 'appArmorProfile', 'type'));
      if (podFinding) out.push(podFinding);
      for (const c of containersOf(pod)) {
        const finding = forbiddenProfileType(containerSc(c, 'appArmorProfile'), 'appArmorProfile', containerLabel(c), containerScPath(c, 'appArmorProfile', 'type'));
        if (finding) out.push(finding);
      }
      const annotations = prop(pod.metadata, 'annotations');
      for (const key of keys(annotations).sort()) {
        if (!key.startsWith(ANNOTATION_PREFIX)) continue;
        const value = annotations[key];
        if (typeof value !== 'string' || allowedAnnotationValue(value)) continue;
        out.push({
          path: pathOf(pod.metadataPath, 'annotations', key),
          message: `annotation ${key}=${quote(value)} disables or overrides the default AppArmor profile: set it to runtime/default or localhost/<profile>, or remove it`,
        });
      }
      return out;
    },
  }],
  fix,
  admission: {
    violations: () => {
      const bad = (sc: string) => forbiddenProfileTypeCel(sc, 'appArmorProfile');
      const value = `${POD_ANNOTATIONS}[k]`;
      return concat(
        podAndContainerSc(bad, str('pod must set securityContext.appArmorProfile.type to RuntimeDefault or Localhost'),
          () => str('must set securityContext.appArmorProfile.type to RuntimeDefault or Localhost')),
        `${POD_ANNOTATIONS}.filter(k, k.startsWith(${str(ANNOTATION_PREFIX)}) && !(${value} == '' || ${value} == 'runtime/default' || ${value}.startsWith('localhost/')))`
        + `.map(k, ${str('annotation ')} + k + ${str(' disables or overrides the default AppArmor profile')})`,
      );
    },
  },
});
