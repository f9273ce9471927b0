/**
 * Which rules judge a set of objects rather than one object.
 *
 * A set-level rule (for example "a namespace with workloads but no default-deny
 * NetworkPolicy") needs every resource of the stack, so it becomes a
 * StackValidationPolicy; every other rule becomes a ResourceValidationPolicy. The
 * engine marks such rules (`metadata.setLevel`, an ISetRule); this asks the engine.
 */
import { isSetRule } from '../engine/set-rule';
import type { IRule } from '../engine/types';

/** Whether a rule needs the whole set of objects. */
export function isSetLevelRule(rule: IRule): boolean {
  return isSetRule(rule);
}
