/**
 * Total accessors over arbitrary JSON: checks use these so that no input makes them throw.
 */

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is { [key: string]: any } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as an array, or an empty array. */
export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** The value as a string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Own property of an object (never inherited). */
export function prop(v: unknown, key: string): any {
  if (!isObject(v)) return undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

/** Own property keys of an object, or none. */
export function keys(v: unknown): string[] {
  return isObject(v) ? Object.keys(v) : [];
}

/** A container's name for messages. */
export function nameOf(v: unknown): string {
  const n = prop(v, 'name');
  return typeof n === 'string' ? n : '';
}

/**
 * Whether the object's apiVersion is in this API group, any version (`<group>/<version>`).
 * Not for the core group, whose apiVersion (`v1`) names no group.
 */
export function inApiGroup(object: unknown, group: string): boolean {
  const apiVersion = str(prop(object, 'apiVersion'));
  return apiVersion !== undefined && apiVersion.startsWith(`${group}/`);
}

/** Whether the object has this kind and an apiVersion in this API group (any version). */
export function isKindInGroup(object: unknown, kind: string, group: string): boolean {
  return prop(object, 'kind') === kind && inApiGroup(object, group);
}
