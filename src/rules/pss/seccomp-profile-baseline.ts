/*
 * Pod Security Standards, baseline: seccomp (pod-security-admission check `seccompProfile_baseline`).
 *
 * Seccomp profile must not be explicitly set to Unconfined.
 *
 * v1.0 - v1.18:
 *   Restricted fields:
 *     metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']
 *     metadata.annotations['container.seccomp.security.alpha.kubernetes.io/<container name>']
 *       (for each container, init container and ephemeral container of the pod)
 *   Allowed values: undefined, 'runtime/default', 'docker/default', 'localhost/*'
 *     (a present but empty annotation is not allowed)
 *
 * v1.19+:
 *   Restricted fields:
 *     spec.securityContext.seccompProfile.type
 *     spec.containers[*].securityContext.seccompProfile.type
 *     spec.initContainers[*].securityContext.seccompProfile.type
 *     spec.ephemeralContainers[*].securityContext.seccompProfile.type
 *   Allowed values: undefined/null (no seccompProfile), 'RuntimeDefault', 'Localhost'
 *
 * At the restricted level, `seccompProfile_restricted` replaces this check from 1.19.
 */
import { containerLabel, containerSc, containerScPath, forbiddenProfileType, forbiddenProfileTypeCel, pathOf, podSc, podScPath, quote } from './helpers';
import { setAt } from '../../engine/fix-paths';
import { containersOf, PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { isAnnotationPath, pathFix, setProfileType } from '../fixes';
import { CONTAINER_LISTS, POD, POD_ANNOTATIONS, WINDOWS_POD, concat, containerMessages, messageIf, podAndContainerSc, present, str } from '../cel';
import { containerPatches, patchIf, setPatch } from '../cel-patch';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function allowedAnnotationValue(v: unknown): boolean {
  return v === 'runtime/default' || v === 'docker/default' || (typeof v === 'string' && v.startsWith('localhost/'));
}

function annotationsCheck(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  const annotations = prop(pod.metadata, 'annotations');
  const inspect = (key: string) => {
    const value = prop(annotations, key);
    if (value === undefined || value === null || allowedAnnotationValue(value)) return;
    out.push({
      path: pathOf(pod.metadataPath, 'annotations', key),
      message: `annotation ${key}=${quote(value)} is a forbidden seccomp profile: set it to runtime/default or localhost/<profile>, or remove it`,
    });
  };
  inspect(POD_ANNOTATION);
  const seen = new Set<string>();
  for (const c of containersOf(pod)) {
    const key = CONTAINER_ANNOTATION_PREFIX + c.name;
    if (seen.has(key)) continue;
    seen.add(key);
    inspect(key);
  }
  return out;
}

/**
 * The 1.19+ baseline check: Unconfined (or any type but RuntimeDefault and Localhost) in the
 * pod's or a container's seccompProfile (also used by `seccompProfile_restricted` for the
 * Windows pods it exempts).
 */
export function forbiddenSeccompFields(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  const podFinding = forbiddenProfileType(podSc(pod, 'seccompProfile'), 'seccompProfile', 'pod', podScPath(pod, 'seccompProfile', 'type'));
  if (podFinding) out.push(podFinding);
  for (const c of containersOf(pod)) {
    const finding = forbiddenProfileType(containerSc(c, 'seccompProfile'), 'seccompProfile', containerLabel(c), containerScPath(c, 'seccompProfile', 'type'));
    if (finding) out.push(finding);
  }
  return out;
}

/** allowedAnnotationValue in CEL. */
function allowedAnnotationCel(v: string): string {
  return `(${v} == 'runtime/default' || ${v} == 'docker/default' || ${v}.startsWith('localhost/'))`;
}

/** forbiddenSeccompFields in CEL. */
export const FORBIDDEN_SECCOMP_FIELDS_CEL = podAndContainerSc((sc) => forbiddenProfileTypeCel(sc, 'seccompProfile'),
  str('pod must set securityContext.seccompProfile.type to RuntimeDefault or Localhost'),
  () => str('must set securityContext.seccompProfile.type to RuntimeDefault or Localhost'));

/** The legacy annotation values that stand for a profile other than RuntimeDefault (src/engine/api-validation.ts). */
function conflictingAnnotation(key: string): string {
  const v = `${POD_ANNOTATIONS}[${key}]`;
  return `(${key} in ${POD_ANNOTATIONS} && (${v} == 'unconfined' || ${v}.startsWith('localhost/')))`;
}

/**
 * The seccomp fixes at admission (the fields, from Pod Security Standards 1.19): RuntimeDefault
 * in place of a forbidden type on the pod and on each container, and, with `podWhenUnset`
 * (the restricted check), on the pod when it sets no profile and a container sets none.
 * Where the pod keeps a legacy seccomp annotation that would then disagree with a field
 * changed, the API server would refuse the object: the fix pass leaves it unchanged, and so
 * does this.
 */
export function seccompFixPatches(podPointer: string, podWhenUnset: boolean): string {
  const runtimeDefault = "{'type': 'RuntimeDefault'}";
  const profile = ['securityContext', 'seccompProfile'];
  const podForbidden = `${present(POD, 'securityContext')} && ${forbiddenProfileTypeCel(`${POD}.securityContext`, 'seccompProfile')}`;
  const containerForbidden = (c: string) => `${present(c, 'securityContext')} && ${forbiddenProfileTypeCel(`${c}.securityContext`, 'seccompProfile')}`;
  const anyUnset = CONTAINER_LISTS.map(({ list }) => `variables.${list}.exists(c, !${present('c', ...profile)})`).join(' || ');
  const podChanged = podWhenUnset ? `(${podForbidden}) || (!${present(POD, ...profile)} && (${anyUnset}))` : podForbidden;
  const containerKey = (c: string) => `${str(CONTAINER_ANNOTATION_PREFIX)} + ${c}.name`;
  const conflict = `(${podChanged}) && ${conflictingAnnotation(str(POD_ANNOTATION))}`
    + ` || ${CONTAINER_LISTS.map(({ list }) => `variables.${list}.exists(c, (${containerForbidden('c')}) && ${conflictingAnnotation(containerKey('c'))})`).join(' || ')}`;
  const patches = `(${patchIf(podChanged, setPatch(POD, str(podPointer), profile, runtimeDefault))}`
    + ` + ${containerPatches(podPointer, containerForbidden, (c, pointer) => setPatch(c, pointer, profile, runtimeDefault))})`;
  // (nor on a Windows pod: the API server refuses seccomp profiles there, at every version)
  return `(${WINDOWS_POD} || ${conflict} ? [] : ${patches})`;
}

/** The fix: RuntimeDefault in place of Unconfined, in the field or the legacy annotation. */
const fix = pathFix('sets the seccomp profile to RuntimeDefault in place of Unconfined (`runtime/default` in a legacy annotation)', (object, segments) =>
  (isAnnotationPath(segments) ? setAt(object, segments, 'runtime/default') : setProfileType(object, segments, 'RuntimeDefault')));

export const seccompProfileBaseline = definePssRule({
  id: 'pss-seccomp-profile-baseline',
  checkId: 'seccompProfile_baseline',
  level: Profile.BASELINE,
  title: 'Pods must not run with an Unconfined seccomp profile',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.7.2', 'nsa:pod-security/hardening-container-environments', 'kyverno:restrict-seccomp', 'trivy:KSV-0104'],
  rationale: 'Seccomp filters the system calls a container may make; Unconfined exposes the whole kernel syscall surface to an attacker in the container.',
  remediation: 'Set `securityContext.seccompProfile.type` to `RuntimeDefault` or `Localhost` (not `Unconfined`), and remove `unconfined` seccomp annotations.',
  versions: [
    { minimumVersion: '1.0', note: 'checks the seccomp alpha annotations', check: annotationsCheck },
    { minimumVersion: '1.19', note: 'checks securityContext.seccompProfile instead of the annotations', check: forbiddenSeccompFields },
  ],
  // before 1.19 the check reads the legacy annotations, which the fix at admission does not write
  fix: { ...fix, admission: { patches: ({ pssMinor, podPointer }) => (pssMinor >= 19 ? seccompFixPatches(podPointer, false) : undefined) } },
  admission: {
    violations: ({ pssMinor }) => (pssMinor >= 19 ? FORBIDDEN_SECCOMP_FIELDS_CEL : concat(
      messageIf(`${str(POD_ANNOTATION)} in ${POD_ANNOTATIONS} && !${allowedAnnotationCel(`${POD_ANNOTATIONS}[${str(POD_ANNOTATION)}]`)}`,
        str(`annotation ${POD_ANNOTATION} is a forbidden seccomp profile`)),
      containerMessages((c) => {
        const key = `(${str(CONTAINER_ANNOTATION_PREFIX)} + ${c}.name)`;
        return `${key} in ${POD_ANNOTATIONS} && !${allowedAnnotationCel(`${POD_ANNOTATIONS}[${key}]`)}`;
      }, () => str('has a forbidden seccomp profile in its annotation')),
    )),
  },
});
