/*
 * Kubernetes' own RBAC objects: the ClusterRoles, ClusterRoleBindings, Roles and
 * RoleBindings the API server creates and reconciles at every start, from the bootstrap
 * policy of its release (plugin/pkg/auth/authorizer/rbac/bootstrappolicy). Their names
 * (`system:*`, `cluster-admin`, `admin`, ...) and their label
 * `kubernetes.io/bootstrapping: rbac-defaults` are only strings: any manifest can carry
 * them, and the reconciliation only adds missing permissions and subjects, never removes
 * extra ones (component-helpers auth/rbac/reconciliation), so a "built-in" name with
 * more rules is real and grants them. Nothing is ever skipped for its name or labels.
 *
 * With `excludeBuiltinRbac` (for dumps of a live cluster), an object is skipped when its
 * kind, namespace, name and content (rbac-content.ts) equal one that the bootstrap policy
 * of the Kubernetes version being judged (`pssVersion`) ships: the default policy, or the
 * one with every alpha and beta feature gate on, of any release of that minor version
 * kubeharden knows (builtin-rbac.generated.ts: the .0 release of each minor from 1.17,
 * and a later patch release of 1.29 to 1.37). For a minor version before the oldest one
 * known, nothing is skipped.
 *
 * The built-in ClusterRoles also exist in every cluster whether or not the input holds
 * them: an aggregationRule selects them, and a binding references them. For that, the
 * ClusterRoles of the default policy of the newest release known at or below the
 * version judged (the oldest release known, for older versions) are what the cluster has.
 */
import { BUILTIN_RBAC_OBJECTS, BUILTIN_RBAC_SOURCES } from './builtin-rbac.generated';
import { RBAC_GROUP, rbacContent, rbacKey, rbacKeyOf } from './rbac-content';
import { RuleContext } from '../../engine/types';

interface Source {
  readonly name: string;
  readonly minor: number;
  /** The policy with every alpha and beta feature gate on. */
  readonly featureGates: boolean;
}

const SOURCES: readonly Source[] = BUILTIN_RBAC_SOURCES.map((name) => ({
  name,
  minor: Number(/^v1\.(\d+)\./.exec(name)?.[1] ?? -1),
  featureGates: name.endsWith('+featuregates'),
}));

function sourceNumbers(ranges: string): number[] {
  const out: number[] = [];
  for (const part of ranges.split(',')) {
    const [from, to] = part.split('-').map(Number);
    for (let i = from; i <= (to ?? from); i++) out.push(i);
  }
  return out;
}

interface Variant {
  readonly content: string;
  readonly sources: readonly number[];
}

/** The contents of every built-in object by `Kind/namespace/name` (built once, never changed). */
const BY_KEY: ReadonlyMap<string, readonly Variant[]> = new Map(
  BUILTIN_RBAC_OBJECTS.map(([key, variants]) => [key, variants.map(([content, ranges]) => ({ content, sources: sourceNumbers(ranges) }))]),
);

/** The Kubernetes releases whose bootstrap policy is known for a minor version (`v1.37.0, v1.37.2`). */
export function builtinRbacReleases(minor: number): string[] {
  return SOURCES.filter((s) => s.minor === minor && !s.featureGates).map((s) => s.name);
}

/** Whether the object is one of Kubernetes' built-in RBAC objects, name and content, at this minor version. */
export function isBuiltinRbac(object: unknown, minor: number): boolean {
  const key = rbacKeyOf(object);
  const variants = key === undefined ? undefined : BY_KEY.get(key);
  if (variants === undefined) return false;
  const content = rbacContent(object);
  if (content === undefined) return false;
  return variants.some((v) => v.content === content && v.sources.some((s) => SOURCES[s].minor === minor));
}

/** Whether a rule with this context leaves the object out: excludeBuiltinRbac is on and the object is built-in. */
export function excludedAsBuiltin(object: unknown, context: RuleContext | undefined): boolean {
  return context?.excludeBuiltinRbac === true && isBuiltinRbac(object, context.pssMinor);
}

/** The source whose ClusterRoles a cluster of this minor version has. */
function referenceSource(minor: number): number {
  let best = -1;
  let oldest = -1;
  SOURCES.forEach((s, i) => {
    if (s.featureGates) return;
    if (oldest < 0 || s.minor < SOURCES[oldest].minor) oldest = i;
    if (s.minor <= minor && (best < 0 || s.minor >= SOURCES[best].minor)) best = i;
  });
  return best >= 0 ? best : oldest;
}

/**
 * The built-in ClusterRoles of a cluster at this minor version, as ClusterRole objects
 * (metadata.name and labels, rules or aggregationRule): new objects at every call.
 *
 * @param onlyWithWildcards only those with a "*" somewhere (a cheap first cut for callers
 *        that look for roles with every permission)
 */
export function builtinClusterRoles(minor: number, onlyWithWildcards = false): { [key: string]: any }[] {
  const source = referenceSource(minor);
  const out: { [key: string]: any }[] = [];
  const prefix = rbacKey('ClusterRole', '', '');
  for (const [key, variants] of BY_KEY) {
    if (!key.startsWith(prefix)) continue;
    const variant = variants.find((v) => v.sources.includes(source));
    if (variant === undefined || (onlyWithWildcards && !variant.content.includes('"*"'))) continue;
    out.push(clusterRoleOf(key.slice(prefix.length), JSON.parse(variant.content)));
  }
  return out;
}

/** A label selector as rbac-content.ts writes it: matchLabels pairs, matchExpressions [key, operator, values]. */
type SelectorContent = [[string, string][], [string, string, string[]][]];

/** A ClusterRole object from its content (see rbac-content.ts for the shape). */
function clusterRoleOf(name: string, content: any): { [key: string]: any } {
  const labels: { [key: string]: string } = {};
  for (const [k, v] of content.labels as [string, string][]) labels[k] = v;
  const object: { [key: string]: any } = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name, labels } };
  if (content.aggregationRule !== undefined) {
    object.aggregationRule = {
      clusterRoleSelectors: (content.aggregationRule as SelectorContent[]).map(([matchLabels, matchExpressions]) => ({
        matchLabels: Object.fromEntries(matchLabels),
        matchExpressions: matchExpressions.map(([key, operator, values]) => ({ key, operator, values })),
      })),
    };
  } else {
    object.rules = (content.rules as string[][][]).map(([apiGroups, resources, verbs, resourceNames, nonResourceURLs]) => ({
      apiGroups, resources, verbs, resourceNames, nonResourceURLs,
    }));
  }
  return object;
}
