/*
 * Pod Security Standards, restricted: running as non-root (pod-security-admission check
 * `runAsNonRoot`).
 *
 * Containers must be required to run as non-root users.
 *
 * Restricted fields:
 *   spec.securityContext.runAsNonRoot
 *   spec.containers[*].securityContext.runAsNonRoot
 *   spec.initContainers[*].securityContext.runAsNonRoot
 *   spec.ephemeralContainers[*].securityContext.runAsNonRoot
 *
 * Allowed values: true. A container may leave it undefined/null when the pod sets it to true;
 * nothing may set it to false.
 *
 * Versions: 1.0; from 1.35 a pod in a user namespace (spec.hostUsers: false) is exempt (its
 * root is not root on the node).
 */
import { containerLabel, containerSc, containerScPath, podSc, podScPath, userNamespaceExempt } from './helpers';
import { setAt, valueAt } from '../../engine/fix-paths';
import { containersOf, PodView } from '../../engine/pod-spec';
import { MutationContext } from '../../engine/admission';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject } from '../../engine/values';
import { holderAt, pathFix, podSpecSegmentsOf } from '../fixes';
import { CONTAINER_LISTS, POD, USER_NAMESPACE_POD, concat, containerMessages, equals, messageIf, present, str, unless } from '../cel';
import { containerPatches, patchIf, replacePatch, setPatch } from '../cel-patch';

function check(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  const podValue = podSc(pod, 'runAsNonRoot');
  if (podValue === false) {
    out.push({
      path: podScPath(pod, 'runAsNonRoot'),
      message: 'pod must not set securityContext.runAsNonRoot to false: set it to true',
    });
  }
  for (const c of containersOf(pod)) {
    const v = containerSc(c, 'runAsNonRoot');
    if (v === true) continue;
    if (v === false) {
      out.push({
        path: containerScPath(c, 'runAsNonRoot'),
        message: `${containerLabel(c)} must not set securityContext.runAsNonRoot to false: set it to true`,
      });
    } else if (podValue !== true && podValue !== false) {
      // (when the pod sets false, the pod finding above already covers this container)
      out.push({
        path: containerScPath(c, 'runAsNonRoot'),
        message: `${containerLabel(c)} must set securityContext.runAsNonRoot to true (or the pod must set spec.securityContext.runAsNonRoot to true)`,
      });
    }
  }
  return out;
}

/** The UID a container runs with, from its own securityContext or the pod's. */
function uidOf(container: unknown, podSpec: unknown): unknown {
  const own = isObject(container) && isObject(container.securityContext) ? container.securityContext.runAsUser : undefined;
  if (own !== undefined && own !== null) return own;
  return isObject(podSpec) && isObject(podSpec.securityContext) ? podSpec.securityContext.runAsUser : undefined;
}

/**
 * The fix: `runAsNonRoot: true`, on the pod when neither the pod nor the container sets it,
 * otherwise in place of false. Not for a container that runs as UID 0 (the kubelet would
 * then refuse to start it): that needs a UID, which only the image's owner knows.
 */
const fix = pathFix('sets `runAsNonRoot: true`: on the pod when neither the pod nor the container sets it, otherwise in place of false (not for a container that runs as UID 0)', (object, segments) => {
  const holder = holderAt(object, segments);
  const spec = podSpecSegmentsOf(segments);
  const podSpec = spec ? valueAt(object, spec) : undefined;
  if (uidOf(holder, podSpec) === 0) return 'the container runs as UID 0: set a non-zero runAsUser first';
  // the pod's own false, turned true: every container that sets nothing takes it
  if (!spec && isObject(holder)) {
    const own = (c: unknown) => (isObject(c) && isObject(c.securityContext) ? c.securityContext.runAsNonRoot : undefined);
    const inheritors = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((f) => (Array.isArray(holder[f]) ? holder[f] : []))
      .filter((c: unknown) => own(c) === undefined || own(c) === null);
    if (inheritors.some((c: unknown) => uidOf(c, holder) === 0)) return 'a container that takes the pod\'s setting runs as UID 0: set a non-zero runAsUser first';
  }
  if (valueAt(object, segments) === false || !spec || !isObject(podSpec)) return setAt(object, segments, true);
  const podPath = [...spec, 'securityContext', 'runAsNonRoot'];
  const podValue = valueAt(object, podPath);
  const all = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((f) => (Array.isArray(podSpec[f]) ? podSpec[f] : []));
  if ((podValue === undefined || podValue === null) && !all.some((c: unknown) => uidOf(c, podSpec) === 0)) return setAt(object, podPath, true);
  // the pod's setting (made for an earlier container of this pass) covers a container that sets none
  const own = valueAt(object, segments);
  if (podValue === true && (own === undefined || own === null)) return undefined;
  return setAt(object, segments, true);
});

/** uidOf in CEL: the container's runAsUser, else the pod's, else -1 (none). */
function uidCel(c: string): string {
  const pod = `(${present(POD, 'securityContext', 'runAsUser')} ? ${POD}.securityContext.runAsUser : -1)`;
  return `(${present(c, 'securityContext', 'runAsUser')} ? ${c}.securityContext.runAsUser : ${pod})`;
}

/**
 * The fix at admission: the same settings. When the pod sets nothing and no container runs
 * as UID 0, the pod gets `runAsNonRoot: true` (covering every container that sets none);
 * otherwise each container that needs it does, but for those that run as UID 0.
 */
const FIELD = ['securityContext', 'runAsNonRoot'];
const POD_UNSET = `!${present(POD, ...FIELD)}`;

/** Whether the pod itself gets `runAsNonRoot: true`: it sets nothing, a container sets nothing, and none runs as UID 0. */
function podGetsItCel(): string {
  const noRootContainer = CONTAINER_LISTS.map(({ list }) => `variables.${list}.all(c, ${uidCel('c')} != 0)`).join(' && ');
  const anyUnset = CONTAINER_LISTS.map(({ list }) => `variables.${list}.exists(c, !${present('c', ...FIELD)})`).join(' || ');
  return `${POD_UNSET} && (${anyUnset}) && ${noRootContainer}`;
}

function fixPatches({ pssMinor, podPointer }: MutationContext): string {
  const field = FIELD;
  const pointer = str(podPointer);
  const podUnset = POD_UNSET;
  const podRunsAsRoot = `(${present(POD, 'securityContext', 'runAsUser')} && ${POD}.securityContext.runAsUser == 0)`;
  // every container that sets nothing takes the pod's value: none of them may run as UID 0
  const inheritorsNonRoot = CONTAINER_LISTS.map(({ list }) => `variables.${list}.all(c, ${present('c', ...field)} || ${uidCel('c')} != 0)`).join(' && ');
  const podGetsIt = 'variables.podGetsRunAsNonRoot';
  const patches = concat(
    // the pod's false, turned true (unless the pod runs as UID 0)
    patchIf(`${equals(POD, field, 'false')} && !${podRunsAsRoot} && ${inheritorsNonRoot}`, replacePatch(pointer, field, 'true')),
    patchIf(podGetsIt, setPatch(POD, pointer, field, 'true')),
    containerPatches(podPointer,
      (c) => `${uidCel(c)} != 0 && (${equals(c, field, 'false')} || (!${present(c, ...field)} && ${podUnset} && !${podGetsIt}))`,
      (c, p) => setPatch(c, p, field, 'true')),
  );
  return pssMinor >= 35 ? unless(USER_NAMESPACE_POD, patches) : patches;
}

export const runAsNonRoot = definePssRule({
  id: 'pss-run-as-non-root',
  checkId: 'runAsNonRoot',
  level: Profile.RESTRICTED,
  title: 'Containers must run as a non-root user',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.7', 'nsa:pod-security/non-root-and-unprivileged', 'kube-linter:run-as-non-root', 'polaris:runAsRootAllowed', 'kyverno:require-run-as-nonroot', 'checkov:CKV_K8S_23', 'trivy:KSV-0012'],
  rationale: 'Root in a container is root on the node kernel: any escape, mount or misconfigured volume then acts with full privileges.',
  remediation: 'Set `securityContext.runAsNonRoot: true` on the pod (or on every container) and run an image whose user is not root.',
  versions: [
    { minimumVersion: '1.0', check },
    userNamespaceExempt('1.35', check),
  ],
  fix: { ...fix, admission: { patches: fixPatches, variables: () => [{ name: 'podGetsRunAsNonRoot', expression: podGetsItCel() }] } },
  admission: {
    violations: ({ pssMinor }) => {
      const field = ['securityContext', 'runAsNonRoot'];
      const cel = concat(
        messageIf(equals(POD, field, 'false'), str('pod must not set securityContext.runAsNonRoot to false')),
        containerMessages((c) => `${equals(c, field, 'false')} || (!${present(c, ...field)} && !${present(POD, ...field)})`,
          () => str('must set securityContext.runAsNonRoot to true (or the pod must)')),
      );
      return pssMinor >= 35 ? unless(USER_NAMESPACE_POD, cel) : cel;
    },
  },
});
