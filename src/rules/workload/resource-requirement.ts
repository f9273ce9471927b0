/**
 * Shared check of the four resource rules (cpu-requests, cpu-limits,
 * memory-requests, memory-limits): each container and init container must set
 * `resources.<requests|limits>.<cpu|memory>`. Ephemeral containers are skipped:
 * the API does not allow them resources.
 *
 * A quantity counts as set when it is a number or a non-empty string; whether it is
 * a well-formed quantity is the API server's business.
 */
import { keyPath } from '../../engine/json-path';
import { containersOf, PodView } from '../../engine/pod-spec';
import { RuleFinding } from '../../engine/types';
import { prop } from '../../engine/values';
import { containerLabel } from '../container-label';

/** Which quantity a rule requires. */
export interface ResourceRequirement {
  readonly kind: 'requests' | 'limits';
  readonly resource: 'cpu' | 'memory';
}

function isSet(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '');
}

/** One finding per container that does not set the quantity. */
export function checkResourceRequirement(pod: PodView, req: ResourceRequirement): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    if (c.field === 'ephemeralContainers') continue;
    const value = prop(prop(prop(c.container, 'resources'), req.kind), req.resource);
    if (isSet(value)) continue;
    const noun = req.kind === 'requests' ? 'request' : 'limit';
    out.push({
      path: keyPath(keyPath(keyPath(c.path, 'resources'), req.kind), req.resource),
      message: `${containerLabel(c)} must set resources.${req.kind}.${req.resource} (a ${req.resource} ${noun})`,
    });
  }
  return out;
}
