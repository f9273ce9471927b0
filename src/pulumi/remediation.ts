/**
 * Remediation: the fixes `enforcementLevel: "remediate"` applies during `pulumi up`.
 *
 * A fix runs only when its rule reports an unsuppressed finding on known values (the
 * verdict comes from the engine, as for validation), and it only fills in a safe value
 * where the field is absent: an explicit choice in the program (`allowPrivilegeEscalation:
 * true`, a seccomp profile `Unconfined`, a capability added, an unknown value that the
 * preview cannot see) is never overwritten. What a fix cannot settle stays a violation,
 * reported by the same policy. Secrets and unknown values in the props are carried over
 * untouched.
 *
 * The fixes, and why each is safe to apply without asking:
 * - allowPrivilegeEscalation (pss:allowPrivilegeEscalation): `false` on every container
 *   that leaves it unset. Only setuid binaries notice.
 * - capabilities (pss:capabilities_restricted): `drop: [ALL]` added to every container's
 *   capabilities; capabilities the program adds (NET_BIND_SERVICE) stay.
 * - seccomp (pss:seccompProfile_restricted): pod-level `seccompProfile: {type: RuntimeDefault}`
 *   when the pod sets none; container-level profiles stay as written.
 * - runAsNonRoot (pss:runAsNonRoot): `true` on a container only when a positive
 *   `runAsUser` applies to it (its own, or the pod's); then the kubelet already runs it as
 *   that user and the setting changes nothing at run time. Without a known UID the image's
 *   USER decides, which a policy cannot see: setting runAsNonRoot on a root image stops
 *   the container from starting, so that stays a violation unless the pack is told that
 *   images run as non-root (`assumeNonRootImages`), in which case the pod gets
 *   `runAsNonRoot: true` unless some container runs as UID 0.
 * - read-only-root-filesystem: `readOnlyRootFilesystem: true` on every container that
 *   leaves it unset (the application must mount writable paths as volumes).
 * - service account token automounting: `automountServiceAccountToken: false` on the
 *   pod spec (or ServiceAccount) when unset.
 * Privileged containers, host namespaces, host paths and the like have no fix: removing
 * them changes what the workload is, which only its owner can decide. Windows pods
 * (`spec.os.name: windows`) get no container fix: the API rejects those Linux fields there.
 */
import { isPlainObject, isUnknownValue, unwrapProxy } from './unknown-values';
import { splitPath } from '../engine/json-path';
import { containersOf, podOf, PodView } from '../engine/pod-spec';
import type { IRule } from '../engine/types';

/** A fix for the findings of a rule. */
export interface RuleFix {
  /** Short description, for the policy's remediation text. */
  readonly summary: string;
  /** The id of the rule whose findings it fixes. */
  readonly ruleId: string;
  /**
   * Fills in safe values in one object (in place). Returns whether anything changed.
   * @param object a mutable copy of the resource's props (a Kubernetes object)
   * @param view the same object as plain JSON, to locate the pod spec
   */
  apply(object: any, view: any, settings: RemediationSettings): boolean;
}

/** Settings of the fixes. */
export interface RemediationSettings {
  /** Images run as a non-root user: runAsNonRoot may be set without a known UID. */
  readonly assumeNonRootImages: boolean;
}


/** The fixes, one per fixable rule. */
export const FIXES: RuleFix[] = [
  {
    summary: 'sets `allowPrivilegeEscalation: false` on every container that leaves it unset',
    ruleId: 'pss-allow-privilege-escalation',
    apply: (object, view) => eachLinuxContainer(object, view, (c) => fill(c, ['securityContext', 'allowPrivilegeEscalation'], false)),
  },
  {
    summary: 'adds `ALL` to `securityContext.capabilities.drop` of every container',
    ruleId: 'pss-capabilities-restricted',
    apply: (object, view) => eachLinuxContainer(object, view, (c) => {
      const drop = at(c, ['securityContext', 'capabilities', 'drop']);
      if (drop === undefined || drop === null) return fill(c, ['securityContext', 'capabilities', 'drop'], ['ALL']);
      if (!Array.isArray(drop) || drop.includes('ALL') || drop.some(isUnknownValue)) return false;
      drop.push('ALL');
      return true;
    }),
  },
  {
    summary: 'sets the pod\'s `securityContext.seccompProfile` to `{type: RuntimeDefault}` when the pod sets none',
    ruleId: 'pss-seccomp-profile-restricted',
    apply: (object, view) => {
      const spec = linuxPodSpec(object, view);
      return spec ? fill(spec, ['securityContext', 'seccompProfile'], { type: 'RuntimeDefault' }) : false;
    },
  },
  {
    summary: 'sets `runAsNonRoot: true` on containers that run with a known non-zero `runAsUser` (and, with assumeNonRootImages, on the pod)',
    ruleId: 'pss-run-as-non-root',
    apply: (object, view, settings) => {
      const spec = linuxPodSpec(object, view);
      if (!spec) return false;
      const podUid = at(spec, ['securityContext', 'runAsUser']);
      const containers = containersIn(spec);
      const uidOf = (c: any) => at(c, ['securityContext', 'runAsUser']) ?? podUid;
      if (settings.assumeNonRootImages && containers.every((c) => uidOf(c) === undefined || (Number.isInteger(uidOf(c)) && uidOf(c) > 0))) {
        if (fill(spec, ['securityContext', 'runAsNonRoot'], true)) return true;
      }
      let changed = false;
      for (const c of containers) {
        const uid = uidOf(c);
        if (Number.isInteger(uid) && uid > 0) changed = fill(c, ['securityContext', 'runAsNonRoot'], true) || changed;
      }
      return changed;
    },
  },
  {
    summary: 'sets `readOnlyRootFilesystem: true` on every container that leaves it unset',
    ruleId: 'read-only-root-filesystem',
    apply: (object, view) => eachLinuxContainer(object, view, (c) => fill(c, ['securityContext', 'readOnlyRootFilesystem'], true)),
  },
  {
    summary: 'sets `automountServiceAccountToken: false` on the pod spec (or ServiceAccount) when unset',
    ruleId: 'automount-service-account-token',
    apply: (object, view) => {
      if (view?.kind === 'ServiceAccount') return fill(object, ['automountServiceAccountToken'], false);
      const spec = podSpecIn(object, view);
      return spec ? fill(spec, ['automountServiceAccountToken'], false) : false;
    },
  },
];

/** The fix for a rule, if it has one. */
export function fixFor(rule: IRule): RuleFix | undefined {
  return FIXES.find((f) => f.ruleId === rule.metadata.id);
}

/**
 * A mutable copy of props: plain objects and arrays are copied (proxies unwrapped);
 * secrets, unknown values and other non-plain values are carried over as they are.
 */
export function copyProps(v: unknown, depth: number = 0): any {
  const raw: any = unwrapProxy(v);
  if (depth > 200) return raw;
  if (Array.isArray(raw)) return raw.map((x) => copyProps(x, depth + 1));
  if (isPlainObject(raw)) {
    const out: { [key: string]: any } = {};
    for (const k of Object.keys(raw)) if (raw[k] !== undefined) out[k] = copyProps(raw[k], depth + 1);
    return out;
  }
  return raw;
}

/** Value at a path through plain objects, or undefined. */
function at(node: any, keys: string[]): any {
  let cur = node;
  for (const k of keys) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * Sets a value where it is absent (undefined or null), creating plain objects on the
 * way; stops at anything that is not a plain object (a secret, an unknown value).
 */
function fill(node: any, keys: string[], value: any): boolean {
  let cur = node;
  for (let i = 0; i < keys.length - 1; i++) {
    if (!isPlainObject(cur)) return false;
    const next = cur[keys[i]];
    if (next === undefined || next === null) cur[keys[i]] = {};
    else if (!isPlainObject(next)) return false;
    cur = cur[keys[i]];
  }
  if (!isPlainObject(cur)) return false;
  const last = keys[keys.length - 1];
  if (cur[last] !== undefined && cur[last] !== null) return false;
  cur[last] = value;
  return true;
}

/** The pod spec inside the (mutable) object, located through its plain view. */
function podSpecIn(object: any, view: any): any {
  const pod = podOf(view);
  if (!pod) return undefined;
  const segments = splitPath(pod.specPath);
  if (!segments) return undefined;
  let cur = object;
  for (const s of segments) {
    if (typeof s === 'number' ? !Array.isArray(cur) : !isPlainObject(cur)) return undefined;
    cur = cur[s];
  }
  return isPlainObject(cur) ? cur : undefined;
}

function linuxPodSpec(object: any, view: any): any {
  const spec = podSpecIn(object, view);
  if (!spec) return undefined;
  const os = at(spec, ['os', 'name']);
  return os === undefined || os === 'linux' ? spec : undefined;
}

/** The containers of a (mutable) pod spec that are plain objects, in the engine's order. */
function containersIn(spec: any): any[] {
  const pod: PodView = { spec, specPath: '', metadata: undefined, metadataPath: '' };
  // the engine also lists class instances (a Secret in place of a container): a fix changes plain objects only
  return containersOf(pod).map((c) => c.container).filter(isPlainObject);
}

function eachLinuxContainer(object: any, view: any, fn: (container: any) => boolean): boolean {
  const spec = linuxPodSpec(object, view);
  if (!spec) return false;
  let changed = false;
  for (const c of containersIn(spec)) changed = fn(c) || changed;
  return changed;
}
