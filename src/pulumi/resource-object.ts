/**
 * Pulumi resource props → the plain Kubernetes object kubeharden checks.
 *
 * The inputs of a @pulumi/kubernetes resource are the Kubernetes object itself
 * (apiVersion, kind, metadata, spec, …); the type token fixes apiVersion and kind, so
 * they are taken from the token (a List's items get the item kind when they leave it
 * out, as the typed SDK lets them). Nothing else is changed.
 */
import type { KubernetesType } from './type-tokens';
import { isPlainObject, normalizeProps, UnknownTree } from './unknown-values';

/** A resource's Kubernetes object, with the locations of its unknown values. */
export interface ResourceObject {
  /** Plain JSON object (unknown values read as undefined). */
  readonly object: { [key: string]: any };
  /** Where unknown values are, or undefined when every value is known. */
  readonly unknowns: UnknownTree | undefined;
}

/** The Kubernetes object behind a resource's props. Never throws. */
export function toKubernetesObject(type: KubernetesType, props: unknown): ResourceObject {
  const normalized = normalizeProps(props);
  const object: { [key: string]: any } = isPlainObject(normalized.value) ? normalized.value : {};
  let unknowns = normalized.unknowns;
  object.apiVersion = type.apiVersion;
  object.kind = type.kind;
  unknowns?.delete('apiVersion');
  unknowns?.delete('kind');
  if (type.itemKind !== undefined && Array.isArray(object.items)) {
    const itemTrees = unknowns?.get('items');
    object.items.forEach((item: unknown, i: number) => {
      if (!isPlainObject(item)) return;
      const tree = itemTrees instanceof Map ? itemTrees.get(i) : undefined;
      for (const [key, value] of [['apiVersion', type.apiVersion], ['kind', type.itemKind!]] as const) {
        const unknown = tree instanceof Map && tree.get(key) === true;
        if (item[key] === undefined && !unknown) item[key] = value;
      }
    });
  }
  if (unknowns && unknowns.size === 0) unknowns = undefined;
  return { object, unknowns };
}
