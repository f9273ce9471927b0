import { isObject, prop } from './values';

/**
 * The items of a List, or undefined when the value is not a List.
 *
 * A value is a List when it is an object whose `kind` is a string ending in `List` (`List`
 * itself, `PodList`, `DeploymentList`, …) and whose `items` is an array, null or missing;
 * the engine then checks its items only, never the List object itself. Null or missing
 * items give an empty list. Anything else (a `List` kind with non-array `items`, an object
 * of another kind that happens to have an `items` array) is checked as one object.
 *
 * Everything that decides whether a document is a List asks this, so that they all agree
 * with the engine.
 */
export function listItems(value: unknown): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const kind = prop(value, 'kind');
  if (typeof kind !== 'string' || !kind.endsWith('List')) return undefined;
  const items = prop(value, 'items');
  if (Array.isArray(items)) return items;
  return items === null || items === undefined ? [] : undefined;
}
