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
import { CONTAINER_LISTS, POD, POD_ANNOTATIONS, WINDOWS_POD, concat, podAndContainerSc, present, str } from '../cel';
import { containerPatches, patchIf, setPatch } from '../cel-patch';
import { MutationContext } from '../../engine/admission';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotationValue(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}

/** allowedAnnotationValue in CEL. */
function allowedAnnotationCel(v: string): string {
  return `(${v} == '' || ${v} == 'runtime/default' || ${v}.startsWith('localhost/'))`;
}

/**
 * The fix at admission: the same profiles and annotations. A legacy annotation of a
 * container may disagree with the container's profile (its own, else the pod's), which the
 * API server refuses; where the fix would leave more such disagreements than there were (a
 * Localhost on one side, RuntimeDefault on the other), the fix pass leaves the object
 * unchanged (src/engine/api-validation.ts), and so does this.
 */
function fixPatches({ podPointer, metadataPointer }: MutationContext): string {
  const runtimeDefault = "{'type': 'RuntimeDefault'}";
  const profile = ['securityContext', 'appArmorProfile'];
  const forbidden = (holder: string) => `${present(holder, 'securityContext')} && ${forbiddenProfileTypeCel(`${holder}.securityContext`, 'appArmorProfile')}`;
  // a profile's type before and after the fix, '' without a profile or type
  const typeOf = (holder: string, after: boolean) => `(${after ? `${forbidden(holder)} ? 'RuntimeDefault' : ` : ''}${present(holder, ...profile, 'type')} ? ${holder}.securityContext.appArmorProfile.type : '')`;
  const field = (c: string, after: boolean) => `(${present(c, ...profile)} ? ${typeOf(c, after)} : ${present(POD, ...profile)} ? ${typeOf(POD, after)} : '')`;
  const key = (c: string) => `(${str(ANNOTATION_PREFIX)} + ${c}.name)`;
  const value = (c: string) => `${POD_ANNOTATIONS}[${key(c)}]`;
  // the type a container's annotation stands for, before and after the fix ('' for none)
  const annotation = (c: string, after: boolean) => `(${after ? `!${allowedAnnotationCel(value(c))} || ` : ''}${value(c)} == 'runtime/default' ? 'RuntimeDefault'`
    + ` : ${value(c)} == 'unconfined' ? 'Unconfined' : ${value(c)}.startsWith('localhost/') ? 'Localhost' : '')`;
  const disagreements = (after: boolean) => CONTAINER_LISTS.map(({ list }) => `size(variables.${list}.filter(c, ${key('c')} in ${POD_ANNOTATIONS}`
    + ` && ${annotation('c', after)} != '' && ${field('c', after)} != '' && ${annotation('c', after)} != ${field('c', after)}))`).join(' + ');
  const conflict = `${disagreements(true)} > ${disagreements(false)}`;
  const annotationPatches = `${POD_ANNOTATIONS}.filter(k, k.startsWith(${str(ANNOTATION_PREFIX)}) && !${allowedAnnotationCel(`${POD_ANNOTATIONS}[k]`)})`
    + `.map(k, JSONPatch{op: 'replace', path: ${str(`${metadataPointer}/annotations/`)} + jsonpatch.escapeKey(k), value: 'runtime/default'})`;
  const patches = concat(
    patchIf(forbidden(POD), setPatch(POD, str(podPointer), profile, runtimeDefault)),
    containerPatches(podPointer, forbidden, (c, pointer) => setPatch(c, pointer, profile, runtimeDefault)),
    annotationPatches,
  );
  // (nor on a Windows pod: the API server refuses AppArmor profiles there)
  return `(${WINDOWS_POD} || (${conflict}) ? [] : ${patches})`;
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
  fix: { ...fix, admission: { patches: fixPatches } },
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
