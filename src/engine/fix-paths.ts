/**
 * Editing a plain JSON object at the paths findings carry: what a rule's fix uses to
 * change exactly the field a finding names. Every function here changes plain objects
 * and arrays only; anything else on the way (a string where an object belongs, a class
 * instance, a Pulumi secret) stops the edit, and the caller says why the fix declined.
 */
import { PathSegment, splitPath } from './json-path';
import { isObject } from './values';

/** The marker an element removed from an array holds until the fix pass compacts the arrays. */
export const REMOVED: unique symbol = Symbol('kubeharden.removed');

/** Value at segments, through plain objects and arrays, or undefined. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): any {
  let cur: any = root;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
    } else if (!isObject(cur)) {
      return undefined;
    }
    cur = (cur as any)[s];
  }
  return cur;
}

/** The segments of a finding's path, or undefined when it is not a path. */
export function segmentsOf(path: string): PathSegment[] | undefined {
  return path === '' ? [] : splitPath(path);
}

/**
 * Sets the value at a path, creating the missing mappings on the way. Returns undefined
 * when set, or why it could not be (a step is not a mapping, an index is out of range).
 */
export function setAt(root: unknown, segments: readonly PathSegment[], value: unknown): string | undefined {
  if (segments.length === 0) return 'the finding has no path to set';
  let cur: any = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const s = segments[i];
    const next = segments[i + 1];
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return 'the path leads through a missing list item';
    } else if (!isObject(cur)) {
      return 'the path leads through a value that is not a mapping';
    }
    let child = (cur as any)[s];
    if (child === undefined || child === null) {
      if (typeof next === 'number') return 'the path leads through a missing list';
      child = {};
      (cur as any)[s] = child;
    }
    cur = child;
  }
  const last = segments[segments.length - 1];
  if (typeof last === 'number') {
    if (!Array.isArray(cur) || last >= cur.length) return 'the path leads to a missing list item';
  } else if (!isObject(cur)) {
    return 'the path leads through a value that is not a mapping';
  }
  (cur as any)[last] = value;
  return undefined;
}

/**
 * Removes the field or list item at a path. A list item becomes a REMOVED marker, so the
 * indexes of the other findings of the same pass stay right; `compact` drops the markers.
 */
export function removeAt(root: unknown, segments: readonly PathSegment[]): string | undefined {
  if (segments.length === 0) return 'the finding has no path to remove';
  const parent = valueAt(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (typeof last === 'number') {
    if (!Array.isArray(parent) || last >= parent.length) return 'the path leads to a missing list item';
    parent[last] = REMOVED;
    return undefined;
  }
  if (!isObject(parent)) return 'the path leads through a value that is not a mapping';
  delete (parent as any)[last];
  return undefined;
}

/**
 * Drops the REMOVED markers from every array of a plain JSON value (in place). A mapping's
 * list that the removals leave empty goes too (`add: [SYS_ADMIN]` minus SYS_ADMIN is no
 * `add`, not `add: []`).
 */
export function compact(value: unknown, depth: number = 0): void {
  if (depth > 200) return;
  if (Array.isArray(value)) {
    let w = 0;
    for (let r = 0; r < value.length; r++) {
      if (value[r] === REMOVED) continue;
      compact(value[r], depth + 1);
      value[w++] = value[r];
    }
    value.length = w;
  } else if (isObject(value)) {
    for (const k of Object.keys(value)) {
      const child = (value as any)[k];
      const removedAll = Array.isArray(child) && child.length > 0 && child.every((x) => x === REMOVED);
      compact(child, depth + 1);
      if (removedAll) delete (value as any)[k];
    }
  }
}

/**
 * The segments of what holds the securityContext a finding's path points into: for
 * `…spec.containers[1].securityContext.privileged` the container `…spec.containers[1]`, for
 * `…spec.securityContext.runAsUser` the pod spec. Undefined when the path has no
 * securityContext. (Paths of custom resources are their own: an Argo template's single
 * `container` or a Tekton step are holders as well.)
 */
export function securityContextHolder(segments: readonly PathSegment[]): PathSegment[] | undefined {
  const at = segments.lastIndexOf('securityContext');
  return at > 0 ? segments.slice(0, at) : undefined;
}

/** Deep copy of plain JSON (objects, arrays, scalars). */
export function copyJson<T>(value: T, depth: number = 0): T {
  if (depth > 200) return value;
  if (Array.isArray(value)) return value.map((v) => copyJson(v, depth + 1)) as any;
  if (isObject(value)) {
    const out: { [key: string]: any } = {};
    for (const k of Object.keys(value)) out[k] = copyJson((value as any)[k], depth + 1);
    return out as T;
  }
  return value;
}

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return isObject(v) && !(v instanceof Uint8Array);
}

/**
 * Whether two JSON values are equal (mapping keys in any order): the one comparison of
 * the fix pass, its patches and `kubeharden fix`'s edits.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > 200) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k) || !jsonEqual(a[k], b[k], depth + 1)) return false;
    }
    return true;
  }
  return false;
}

/** One difference between two plain JSON values, at a path of the first. */
export interface JsonChange {
  readonly op: 'set' | 'remove';
  readonly path: PathSegment[];
  /** The new value (for `set`). */
  readonly value?: unknown;
}

/**
 * The changes that turn `before` into `after` (plain JSON): mappings are compared key by
 * key, lists of the same length item by item, and a list whose length changed is set whole.
 * Applying them in order to `before` gives `after`.
 */
export function jsonChanges(before: unknown, after: unknown, path: PathSegment[] = [], out: JsonChange[] = []): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    for (const k of Object.keys(before)) if (!(k in after)) out.push({ op: 'remove', path: [...path, k] });
    for (const k of Object.keys(after)) {
      if (!(k in before)) out.push({ op: 'set', path: [...path, k], value: (after as any)[k] });
      else jsonChanges((before as any)[k], (after as any)[k], [...path, k], out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((b, i) => jsonChanges(b, after[i], [...path, i], out));
    return out;
  }
  if (!jsonEqual(before, after)) out.push({ op: 'set', path, value: after });
  return out;
}
