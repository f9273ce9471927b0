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

/**
 * Unicode white space (the White_Space property, which is what Go's strings.TrimSpace and
 * so the API server's CEL `trim()` remove): what the checks trim (a suppression's reason, a
 * value that must not be blank), so that they agree with the CEL of the admission
 * policies, where `trim()` removes the same.
 */
const WHITE_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_WHITE_SPACE = new RegExp(`^[${WHITE_SPACE}]+|[${WHITE_SPACE}]+$`, 'g');

/** The string without the Unicode white space at its ends (see WHITE_SPACE). */
export function trimWhiteSpace(s: string): string {
  return s.replace(EDGE_WHITE_SPACE, '');
}

/** ASCII lower case (other letters as they are), as CEL's `lowerAscii()`. */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** ASCII upper case (other letters as they are), as CEL's `upperAscii()`. */
export function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}
