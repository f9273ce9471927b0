/**
 * Building blocks of the fixes' admission forms: JSON patches (RFC 6902) in CEL, as a
 * MutatingAdmissionPolicy's `jsonPatch` expression takes them, over the pod variables the
 * generator declares (POD_VARIABLES in src/engine/admission.ts). Every expression built
 * here has type list(JSONPatch); a patch's `path` is a CEL string expression.
 *
 * JSON patches are used rather than apply configurations because several fixes change
 * lists that Kubernetes' schema marks atomic (`capabilities.drop`, `capabilities.add`),
 * which an apply configuration may not touch. A patch is computed on the object as the
 * policy sees it, so each expression adds a missing mapping once, with everything below it.
 */
import { CONTAINER_LISTS, field, str } from './cel';

/** A JSON pointer token (RFC 6901): `~` as `~0`, `/` as `~1`. */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `{'a': {'b': value}}`: the mappings down `fields`, with the value at the end. */
function nested(fields: readonly string[], value: string): string {
  return fields.reduceRight((inner, f) => `{${str(f)}: ${inner}}`, value);
}

/** One `add` patch (which replaces a member that is there). */
function addPatch(pointer: string, fields: readonly string[], value: string): string {
  return `JSONPatch{op: 'add', path: ${pointer} + ${str(fields.map((f) => `/${pointerToken(f)}`).join(''))}, value: ${value}}`;
}

/**
 * The patch that sets `base.f1.….fn` to a CEL value, adding the first missing mapping on
 * the way with everything below it. `pointer` is the CEL string of `base`'s JSON pointer.
 * A single JSONPatch (not a list).
 */
export function setPatch(base: string, pointer: string, fields: readonly string[], value: string): string {
  let expr = addPatch(pointer, fields, value);
  for (let i = fields.length - 1; i >= 1; i--) {
    const parent = fields.slice(0, i);
    expr = `(has(${field(base, ...parent)}) ? ${expr} : ${addPatch(pointer, parent, nested(fields.slice(i), value))})`;
  }
  return expr;
}

/** The patch that replaces the field at `base.f1.….fn`, which is set, with a CEL value. */
export function replacePatch(pointer: string, fields: readonly string[], value: string): string {
  return `JSONPatch{op: 'replace', path: ${pointer} + ${str(fields.map((f) => `/${pointerToken(f)}`).join(''))}, value: ${value}}`;
}

/** The patch that removes the field at `base.f1.….fn`, which is set. */
export function removePatch(pointer: string, fields: readonly string[]): string {
  return `JSONPatch{op: 'remove', path: ${pointer} + ${str(fields.map((f) => `/${pointerToken(f)}`).join(''))}}`;
}

/** The patch that appends a CEL value to the list at `base.f1.….fn`, which is set. */
export function appendPatch(pointer: string, fields: readonly string[], value: string): string {
  return addPatch(pointer, [...fields, '-'], value);
}

/**
 * The patches for every container (of the three lists) for which `when` holds: `when` and
 * `patch` get the container's CEL expression; `patch` also gets the CEL string of its JSON
 * pointer, and returns one JSONPatch.
 */
export function containerPatches(podPointer: string, when: (c: string) => string, patch: (c: string, pointer: string) => string): string {
  const parts = CONTAINER_LISTS.map(({ list }) => {
    const c = `variables.${list}[i]`;
    return `lists.range(size(variables.${list})).filter(i, ${when(c)}).map(i, ${patch(c, `${str(`${podPointer}/${list}/`)} + string(i)`)})`;
  });
  return `(${parts.join(' + ')})`;
}

/**
 * The patches for every item of a list field of every container (`ports`, …) for which
 * `when` holds: `when` gets the item's CEL expression, `patch` the item's and the CEL string
 * of its JSON pointer, and returns one JSONPatch.
 */
export function containerItemPatches(
  podPointer: string, listField: string, when: (item: string) => string, patch: (item: string, pointer: string) => string,
): string {
  const parts = CONTAINER_LISTS.map(({ list }) => {
    const c = `variables.${list}[i]`;
    const item = `${c}.${listField}[j]`;
    const pointer = `${str(`${podPointer}/${list}/`)} + string(i) + ${str(`/${listField}/`)} + string(j)`;
    return `lists.range(size(variables.${list})).map(i, has(${c}.${listField}) ? lists.range(size(${c}.${listField})).filter(j, ${when(item)}).map(j, ${patch(item, pointer)}) : []).flatten()`;
  });
  return `(${parts.join(' + ')})`;
}

/** One patch when the condition holds: `cond ? [patch] : []`. */
export function patchIf(condition: string, patch: string): string {
  return `(${condition} ? [${patch}] : [])`;
}
