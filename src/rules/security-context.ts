/*
 * Where a pod's and a container's securityContext fields sit, and how to read them. Shared by
 * the Pod Security Standards rules (re-exported from ./pss/helpers) and the workload rules so
 * every rule reads the same fields and reports the same paths.
 */
import { keyPath } from '../engine/json-path';
import { ContainerView, PodView } from '../engine/pod-spec';
import { prop } from '../engine/values';

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
  // the container view has read securityContext once for every rule
  const sc = c.securityContext;
  return sc !== undefined && Object.prototype.hasOwnProperty.call(sc, key) ? sc[key] : undefined;
}

/** A field of the pod's securityContext (undefined when absent or not an object). */
export function podSc(pod: PodView, key: string): any {
  return prop(prop(pod.spec, 'securityContext'), key);
}
