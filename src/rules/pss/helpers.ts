/*
 * Small helpers shared by the Pod Security Standards rules: how a container is named in a
 * message (re-exported from ../container-label, which the workload rules use too), where its
 * securityContext fields sit, and the two pod-wide conditions that pod-security-admission uses
 * to relax checks (a Windows pod, a pod in a user namespace).
 */
import { keyPath } from '../../engine/json-path';
import { ContainerView, PodView } from '../../engine/pod-spec';
import { prop } from '../../engine/values';

/** `container "app"`, `init container "setup"`, `ephemeral container "debug"` (shared with the workload rules). */
export { containerLabel } from '../container-label';

/** A path below a base path, one key per segment. */
export function pathOf(base: string, ...keys: string[]): string {
  let p = base;
  for (const k of keys) p = keyPath(p, k);
  return p;
}

/** The path of a field below a container's securityContext. */
export function containerScPath(c: ContainerView, ...keys: string[]): string {
  return pathOf(c.path, 'securityContext', ...keys);
}

/** The path of a field below the pod's securityContext. */
export function podScPath(pod: PodView, ...keys: string[]): string {
  return pathOf(pod.specPath, 'securityContext', ...keys);
}

/** A field of a container's securityContext (undefined when absent or not an object). */
export function containerSc(c: ContainerView, key: string): any {
  return prop(prop(c.container, 'securityContext'), key);
}

/** A field of the pod's securityContext (undefined when absent or not an object). */
export function podSc(pod: PodView, key: string): any {
  return prop(prop(pod.spec, 'securityContext'), key);
}

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
