/**
 * Which rules judge a set of objects rather than one object.
 *
 * A set-level rule (for example "a namespace with workloads but no default-deny
 * NetworkPolicy") needs every resource of the stack, so it becomes a
 * StackValidationPolicy; every other rule becomes a ResourceValidationPolicy. The
 * engine's set-level extension marks such rules; this is the only place the adapter
 * looks for the mark, so the generated pack follows the catalog as rules arrive:
 * - `metadata.scope === 'set'`, or
 * - a `checkSet` (or `checkAll`) method beside `check`.
 */
import type { IRule } from '../engine/types';

/** Whether a rule needs the whole set of objects. */
export function isSetLevelRule(rule: IRule): boolean {
  const r = rule as any;
  return r?.metadata?.scope === 'set' || typeof r?.checkSet === 'function' || typeof r?.checkAll === 'function';
}
