/**
 * Shared check of the four resource rules (cpu-requests, cpu-limits,
 * memory-requests, memory-limits): each container and init container must set
 * `resources.<requests|limits>.<cpu|memory>`. Ephemeral containers are skipped:
 * the API does not allow them resources.
 *
 * A quantity counts as set when it is a number or a non-empty string; whether it is
 * a well-formed quantity is the API server's business.
 *
 * Requests default to limits. The API server's defaulting (SetDefaults_Pod,
 * pkg/apis/core/v1/defaults.go) sets `resources.requests.<r>` from
 * `resources.limits.<r>` on every container and init container whose limits name <r>
 * and whose requests do not ("If limits are specified, but requests are not, default
 * requests to limits"). It runs on Pods only, not on pod templates, but every Pod a
 * controller creates from a template is defaulted the same way; so, for every kind, a
 * container with a limit and no request has a request equal to the limit and is not
 * reported. A request that is present but empty or null is not defaulted (the key
 * exists) and is still reported.
 */
import { RuleAdmission } from '../../engine/admission';
import { setAt } from '../../engine/fix-paths';
import { keyPath } from '../../engine/json-path';
import { containersOf, PodView } from '../../engine/pod-spec';
import { RuleFix } from '../../engine/rule';
import { RuleFinding } from '../../engine/types';
import { isObject, prop } from '../../engine/values';
import { containerMessages, str } from '../cel';
import { containerLabel } from '../container-label';
import { pathFix } from '../fixes';

/** Which quantity a rule requires. */
export interface ResourceRequirement {
  readonly kind: 'requests' | 'limits';
  readonly resource: 'cpu' | 'memory';
}

function isSet(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '');
}

/** Whether the API server defaults the container's request of the resource from its limit. */
function requestDefaultsToLimit(resources: unknown, resource: string): boolean {
  const requests = prop(resources, 'requests');
  if (isObject(requests) && Object.prototype.hasOwnProperty.call(requests, resource)) return false;
  return isSet(prop(prop(resources, 'limits'), resource));
}

/** One finding per container that does not set the quantity. */
export function checkResourceRequirement(pod: PodView, req: ResourceRequirement): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    if (c.field === 'ephemeralContainers') continue;
    const resources = prop(c.container, 'resources');
    if (isSet(prop(prop(resources, req.kind), req.resource))) continue;
    if (req.kind === 'requests' && requestDefaultsToLimit(resources, req.resource)) continue;
    const noun = req.kind === 'requests' ? 'request' : 'limit';
    out.push({
      path: keyPath(keyPath(keyPath(c.path, 'resources'), req.kind), req.resource),
      message: `${containerLabel(c)} must set resources.${req.kind}.${req.resource} (a ${req.resource} ${noun})`,
    });
  }
  return out;
}

/** The option the resource rules' fixes read. */
export const DEFAULT_QUANTITY_OPTION = {
  name: 'default',
  type: 'string',
  description: 'The quantity the fix sets where a container has none (for example 250m or 256Mi); without it the rule offers no fix, since only the workload\'s owner knows what it needs. The check ignores it.',
};

/** A quantity as Kubernetes writes it: a decimal number with an optional binary, decimal or exponent suffix. */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * The fix of a resource rule (`what` is e.g. `limits.memory`): the rule option `default`,
 * where a container has none. A request's fix runs before the limit's (`before`): a limit
 * set first would become the request by the API server's defaulting.
 */
export function resourceFix(what: string): RuleFix {
  const [kind, resource] = what.split('.');
  const fix = pathFix(`sets \`resources.${what}\` to the rule option \`default\` where a container has none (no fix without that option)`, (object, segments, context) => {
    const value = prop(context.options, 'default');
    if (typeof value !== 'string' || !QUANTITY.test(value.trim())) return 'set the rule option `default` (a quantity such as 500m or 256Mi) to have it filled in';
    return setAt(object, segments, value.trim());
  });
  // a quantity is the workload owner's choice: not one for a cluster-wide policy to write
  const withAdmission = { ...fix, admission: { notMutated: 'its fix writes the quantity of the rule option default, a per-workload choice that a cluster-wide policy should not make' } };
  return kind === 'requests' ? { ...withAdmission, before: [`${resource}-limits`] } : withAdmission;
}

/** checkResourceRequirement in CEL, for admission. */
export function resourceAdmission(req: ResourceRequirement): RuleAdmission {
  const r = str(req.resource);
  const own = (c: string) => `(has(${c}.resources.${req.kind}) && ${r} in ${c}.resources.${req.kind})`;
  const fromLimit = (c: string) => (req.kind === 'requests' ? ` || (has(${c}.resources.limits) && ${r} in ${c}.resources.limits)` : '');
  return {
    violations: () => containerMessages(
      (c, list) => (list === 'ephemeralContainers' ? 'false' : `!(has(${c}.resources) && (${own(c)}${fromLimit(c)}))`),
      () => str(`must set resources.${req.kind}.${req.resource}`)),
  };
}
