import { isObject } from './values';

/**
 * The items of a list, or undefined when the value is not one.
 *
 * As kubectl decodes documents (input/flatten.ts), an object with an `items` key is a
 * list whatever its kind: its items are the objects, the list itself is dropped. Null
 * items give an empty list. An `items` that is neither a sequence nor null is not a list
 * here (kubectl refuses such a document; the engine reports it).
 *
 * Everything that decides whether an object is a list outside the engine's input (the
 * Pulumi adapter) asks this, so that they all agree with the engine.
 */
export function listItems(value: unknown): unknown[] | undefined {
  if (!isObject(value)) return undefined;
  const items = (value as { items?: unknown }).items;
  if (Array.isArray(items)) return items;
  return items === null ? [] : undefined;
}
