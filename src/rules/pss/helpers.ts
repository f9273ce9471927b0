/*
 * Small helpers shared by the Pod Security Standards rules: how a container is named in a
 * message (re-exported from ../container-label, which the workload rules use too), where its
 * securityContext fields sit (re-exported from ../security-context, likewise shared), the
 * "RuntimeDefault or Localhost" profile type check of the seccomp and AppArmor rules, and the
 * two pod-wide conditions that pod-security-admission uses to relax checks (a Windows pod, a
 * pod in a user namespace) with the version entries that apply them.
 */
import { PodView } from '../../engine/pod-spec';
import { PodCheck, VersionedPodCheck } from '../../engine/rule';
import { RuleFinding } from '../../engine/types';
import { isObject, prop } from '../../engine/values';

import { present, strList } from '../cel';
import * as label from '../container-label';
import * as sc from '../security-context';

// The functions shared with the workload rules are re-exported as plain values, not with
// `export { x } from`: that compiles to a getter on this module's exports, which every
// call of a rule then goes through (these are called per container, per rule).

/** `container "app"`, `init container "setup"`, `ephemeral container "debug"` (shared with the workload rules). */
export const containerLabel = label.containerLabel;

/** Paths and values of securityContext fields (shared with the workload rules). */
export const containerSc = sc.containerSc;
/** The path of a field below a container's securityContext. */
export const containerScPath = sc.containerScPath;
/** A path below a base path, one key per segment. */
export const pathOf = sc.pathOf;
/** A field of the pod's securityContext. */
export const podSc = sc.podSc;
/** The path of a field below the pod's securityContext. */
export const podScPath = sc.podScPath;

/** `spec.os.name == windows`: from 1.25 some restricted checks exempt such pods. */
export function isWindowsPod(pod: PodView): boolean {
  return prop(prop(pod.spec, 'os'), 'name') === 'windows';
}

/** `spec.hostUsers == false`: the pod runs in a user namespace (relaxations from 1.35). */
export function inUserNamespace(pod: PodView): boolean {
  return prop(pod.spec, 'hostUsers') === false;
}

/** A JSON string for messages. */
export function quote(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** The profile types allowed in securityContext.seccompProfile.type and securityContext.appArmorProfile.type. */
export const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/**
 * The finding for a seccomp or AppArmor profile whose type is neither RuntimeDefault nor
 * Localhost (a missing or null type included), or undefined when the profile is allowed or is
 * not an object (absent, null: no profile set). `who` names the pod or container in the
 * message; `path` is where the finding points (the profile's `type`).
 */
export function forbiddenProfileType(
  profile: unknown,
  field: 'seccompProfile' | 'appArmorProfile',
  who: string,
  path: string,
): RuleFinding | undefined {
  if (!isObject(profile)) return undefined;
  const type = prop(profile, 'type');
  if (ALLOWED_PROFILE_TYPES.has(type)) return undefined;
  return {
    path,
    message: `${who} must not set securityContext.${field}.type to ${quote(type ?? '')}: use RuntimeDefault or Localhost`,
  };
}

/**
 * forbiddenProfileType in CEL, over a securityContext: the profile is set and its type is
 * neither RuntimeDefault nor Localhost (a missing type included).
 */
export function forbiddenProfileTypeCel(holder: string, field: 'seccompProfile' | 'appArmorProfile'): string {
  return `(${present(holder, field)} && !(${present(holder, field, 'type')} && ${holder}.${field}.type in ${strList([...ALLOWED_PROFILE_TYPES])}))`;
}

/**
 * The version entry from which Windows pods (`spec.os.name: windows`) are exempt from `check`.
 *
 * pod-security-admission admits such a pod without checking because API validation refuses
 * a Windows pod that sets these fields at all. When the check replaces a baseline check
 * (`overrides`), pass that check as `replaced`: a Windows pod is then still judged by it, so
 * that the restricted level never passes a field the baseline level fails (the API server
 * would refuse the pod anyway, so this rejects nothing that could run).
 */
export function windowsExempt(minimumVersion: string, check: PodCheck, overrides?: string[], replaced?: PodCheck): VersionedPodCheck {
  return {
    minimumVersion,
    ...(overrides ? { overrides } : {}),
    note: replaced
      ? 'Windows pods (spec.os.name: windows) are exempt; they are still held to the baseline check this one replaces'
      : 'Windows pods (spec.os.name: windows) are exempt',
    check: (pod, context) => {
      if (!isWindowsPod(pod)) return check(pod, context);
      return replaced ? replaced(pod, context) : [];
    },
  };
}

/**
 * The version entry from which pods in a user namespace (`spec.hostUsers: false`) are exempt
 * from `check`; `note` describes the relaxation in the rule's version table.
 */
export function userNamespaceExempt(
  minimumVersion: string,
  check: PodCheck,
  note = 'pods with spec.hostUsers: false are exempt',
  overrides?: string[],
): VersionedPodCheck {
  return {
    minimumVersion,
    ...(overrides ? { overrides } : {}),
    note,
    check: (pod, context) => (inUserNamespace(pod) ? [] : check(pod, context)),
  };
}
