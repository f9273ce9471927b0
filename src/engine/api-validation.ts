/**
 * The API server's cross-field validation of security contexts (Kubernetes'
 * `pkg/apis/core/validation`: ValidateSecurityContext, validatePodSpecSecurityContext,
 * validateWindows/validateLinux, the seccomp and AppArmor annotation/field agreement),
 * as far as a fix can run into it. The fix pass accepts a fix only when the fixed object
 * has no problem here that the object before it did not have: a fix must never turn an
 * object the API server accepts into one it rejects.
 *
 * The rules, as the API server applies them:
 * - `allowPrivilegeEscalation: false` is refused beside `privileged: true`, and beside
 *   `capabilities.add` holding `CAP_SYS_ADMIN`;
 * - `runAsUser` and `runAsGroup` are between 0 and 2147483647;
 * - a seccomp or AppArmor profile of type `Localhost` names a `localhostProfile`, and no
 *   other type does;
 * - `procMount: Unmasked` needs `spec.hostUsers: false`; `hostUsers: false` is refused
 *   with a host network, PID or IPC namespace;
 * - a HostProcess pod (windowsOptions.hostProcess true on the pod or a container) sets
 *   hostNetwork true;
 * - a pod whose `spec.os.name` is `windows` sets none of the Linux-only fields (seccomp,
 *   AppArmor, SELinux, runAsUser, runAsGroup, procMount, capabilities, privileged,
 *   allowPrivilegeEscalation, readOnlyRootFilesystem; at pod level also fsGroup, sysctls,
 *   supplementalGroups); one whose `os.name` is `linux` sets no `windowsOptions`;
 * - where a pod keeps the legacy seccomp or AppArmor annotations, they agree with the fields.
 */
import { keyPath } from './json-path';
import { containersOf, podOf, PodView } from './pod-spec';
import { isObject } from './values';

const MAX_ID = 2147483647;

const LINUX_CONTAINER_FIELDS = [
  'seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'runAsUser', 'runAsGroup', 'procMount',
  'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation',
];
const LINUX_POD_FIELDS = [
  'seLinuxOptions', 'seccompProfile', 'appArmorProfile', 'runAsUser', 'runAsGroup', 'fsGroup',
  'fsGroupChangePolicy', 'sysctls', 'supplementalGroups', 'supplementalGroupsPolicy',
];

/** What the API server would refuse in the security contexts of an object's pod (paths, no values). */
export function apiValidationProblems(object: unknown): string[] {
  const pod = podOf(object);
  if (!pod) return [];
  const out: string[] = [];
  const spec = pod.spec;
  const os = isObject(spec.os) ? spec.os.name : undefined;
  const podSc = isObject(spec.securityContext) ? spec.securityContext : undefined;
  const podScPath = keyPath(pod.specPath, 'securityContext');
  if (podSc) {
    ids(podSc, podScPath, out);
    profile(podSc.seccompProfile, keyPath(podScPath, 'seccompProfile'), out);
    profile(podSc.appArmorProfile, keyPath(podScPath, 'appArmorProfile'), out);
    if (os === 'windows') for (const f of LINUX_POD_FIELDS) if (podSc[f] !== undefined && podSc[f] !== null) out.push(`${keyPath(podScPath, f)}: not allowed on a windows pod`);
    if (os === 'linux' && podSc.windowsOptions !== undefined && podSc.windowsOptions !== null) out.push(`${keyPath(podScPath, 'windowsOptions')}: not allowed on a linux pod`);
  }
  // a HostProcess pod runs in the node's network namespace: the API server requires hostNetwork
  const hostProcess = (sc: unknown) => isObject(sc) && isObject(sc.windowsOptions) && sc.windowsOptions.hostProcess === true;
  const containers = containersOf(pod);
  if ((hostProcess(podSc) || containers.some((c) => hostProcess(c.container.securityContext))) && spec.hostNetwork !== true) {
    out.push(`${keyPath(pod.specPath, 'hostNetwork')}: must be true for a HostProcess pod`);
  }
  if (spec.hostUsers === false) {
    for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[ns] === true) out.push(`${keyPath(pod.specPath, ns)}: not allowed with hostUsers false`);
    }
  }
  for (const c of containers) {
    const sc = c.container.securityContext;
    if (!isObject(sc)) continue;
    const path = keyPath(c.path, 'securityContext');
    if (sc.allowPrivilegeEscalation === false) {
      if (sc.privileged === true) out.push(`${path}: allowPrivilegeEscalation false with privileged true`);
      const add = isObject(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
      if (add.includes('CAP_SYS_ADMIN')) out.push(`${path}: allowPrivilegeEscalation false with capability CAP_SYS_ADMIN added`);
    }
    ids(sc, path, out);
    profile(sc.seccompProfile, keyPath(path, 'seccompProfile'), out);
    profile(sc.appArmorProfile, keyPath(path, 'appArmorProfile'), out);
    if (sc.procMount === 'Unmasked' && spec.hostUsers !== false) out.push(`${keyPath(path, 'procMount')}: Unmasked needs spec.hostUsers false`);
    if (os === 'windows') for (const f of LINUX_CONTAINER_FIELDS) if (sc[f] !== undefined && sc[f] !== null) out.push(`${keyPath(path, f)}: not allowed on a windows pod`);
    if (os === 'linux' && sc.windowsOptions !== undefined && sc.windowsOptions !== null) out.push(`${keyPath(path, 'windowsOptions')}: not allowed on a linux pod`);
  }
  annotations(pod, out);
  return out;
}

function ids(sc: { [key: string]: any }, path: string, out: string[]): void {
  for (const f of ['runAsUser', 'runAsGroup']) {
    const v = sc[f];
    if (typeof v === 'number' && (!Number.isInteger(v) || v < 0 || v > MAX_ID)) out.push(`${keyPath(path, f)}: must be between 0 and ${MAX_ID}`);
  }
}

function profile(p: unknown, path: string, out: string[]): void {
  if (!isObject(p)) return;
  const local = p.localhostProfile !== undefined && p.localhostProfile !== null;
  if (p.type === 'Localhost' && !local) out.push(`${keyPath(path, 'localhostProfile')}: required with type Localhost`);
  if (p.type !== 'Localhost' && local) out.push(`${keyPath(path, 'localhostProfile')}: only with type Localhost`);
}

/** The profile type a legacy annotation value stands for. */
function annotationType(v: unknown, runtimeDefaults: string[]): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (runtimeDefaults.includes(v)) return 'RuntimeDefault';
  if (v === 'unconfined') return 'Unconfined';
  if (v.startsWith('localhost/')) return 'Localhost';
  return undefined;
}

function annotations(pod: PodView, out: string[]): void {
  const ann = isObject(pod.metadata) && isObject(pod.metadata.annotations) ? pod.metadata.annotations : undefined;
  if (!ann) return;
  const annPath = keyPath(pod.metadataPath, 'annotations');
  const podSc = isObject(pod.spec.securityContext) ? pod.spec.securityContext : {};
  const seccompPod = annotationType(ann['seccomp.security.alpha.kubernetes.io/pod'], ['runtime/default', 'docker/default']);
  const podType = isObject(podSc.seccompProfile) ? podSc.seccompProfile.type : undefined;
  if (seccompPod && podType !== undefined && seccompPod !== podType) {
    out.push(`${keyPath(annPath, 'seccomp.security.alpha.kubernetes.io/pod')}: disagrees with spec.securityContext.seccompProfile`);
  }
  for (const c of containersOf(pod)) {
    const sc = isObject(c.container.securityContext) ? c.container.securityContext : {};
    const seccompKey = `container.seccomp.security.alpha.kubernetes.io/${c.name}`;
    const s = annotationType(ann[seccompKey], ['runtime/default', 'docker/default']);
    const st = isObject(sc.seccompProfile) ? sc.seccompProfile.type : undefined;
    if (s && st !== undefined && s !== st) out.push(`${keyPath(annPath, seccompKey)}: disagrees with the container's seccompProfile`);
    const armorKey = `container.apparmor.security.beta.kubernetes.io/${c.name}`;
    const a = annotationType(ann[armorKey], ['runtime/default']);
    const at = isObject(sc.appArmorProfile) ? sc.appArmorProfile.type
      : isObject(podSc.appArmorProfile) ? podSc.appArmorProfile.type : undefined;
    if (a && at !== undefined && a !== at) out.push(`${keyPath(annPath, armorKey)}: disagrees with the appArmorProfile`);
  }
}
