/*
 * RBAC semantics shared by the rbac rules: which Role/ClusterRole rules take effect
 * and whether one of them grants a given request. This mirrors how the Kubernetes
 * RBAC authorizer matches a request against a PolicyRule (rbac.authorization.k8s.io/v1):
 *
 *   verbs      "*" matches every verb, otherwise an exact match.
 *   apiGroups  "*" matches every group, "" is the core group, otherwise exact.
 *   resources  "*" matches every resource and every subresource; "pods/exec" matches
 *              exactly that subresource; "* /exec" (no space) matches the exec
 *              subresource of every resource. "pods" does NOT match "pods/exec",
 *              and "pods/*" is NOT a wildcard: RBAC treats it as a literal name.
 *   resourceNames  when non-empty, only requests for those object names match. A
 *              create of a new object has no name when it is authorized, so a rule
 *              with resourceNames never grants it. For a subresource (pods/exec,
 *              serviceaccounts/token) the name is the parent object's, so the
 *              grant is narrowed to the named objects. Each rule says what it does
 *              with a narrowed grant.
 *   nonResourceURLs  apply to non-resource paths (/healthz, /metrics) only; they
 *              never grant access to API resources.
 *
 * Aggregated ClusterRoles: when `aggregationRule` is set, the controller manager
 * overwrites `rules` with the union of the selected ClusterRoles, so the rules written
 * in the manifest never take effect (an empty list is the normal form). Their
 * permissions are checked on the ClusterRoles they select instead; what the aggregation
 * itself selects is judged by rbac-wildcard (a selector that takes in cluster-admin) and
 * rbac-cluster-admin-binding (a binding to a role that ends up with every permission).
 *
 * No object is exempt for its name (`system:*`, `cluster-admin`, ...) or its labels
 * (`kubernetes.io/bootstrapping: rbac-defaults`): any manifest can carry them. Only with
 * the engine option `excludeBuiltinRbac` are Kubernetes' own objects left out, and only
 * those whose name and content equal the bootstrap policy's (builtin-rbac.ts).
 */
import { excludedAsBuiltin } from './builtin-rbac';
import { RBAC_GROUP } from './rbac-content';
import { indexPath, keyPath } from '../../engine/json-path';
import { sharedForObject } from '../../engine/pod-spec';
import { RuleContext } from '../../engine/types';
import { arr, isObject, prop, str } from '../../engine/values';

export { RBAC_GROUP } from './rbac-content';

/** `rbac.authorization.k8s.io/`: the start of every RBAC apiVersion. */
const RBAC_PREFIX = `${RBAC_GROUP}/`;

/** Whether the object is in the RBAC API group (any version). */
export function isRbacApi(object: unknown): boolean {
  // inApiGroup(object, RBAC_GROUP), without building the prefix for each object
  const apiVersion = prop(object, 'apiVersion');
  return typeof apiVersion === 'string' && apiVersion.startsWith(RBAC_PREFIX);
}

/** Whether a rule with this context leaves the object out as a built-in (read once per object). */
export function excludedBuiltin(object: unknown, context: RuleContext | undefined): boolean {
  if (context?.excludeBuiltinRbac !== true) return false;
  return sharedForObject(object, excludedAsBuiltin, (o) => excludedAsBuiltin(o, context));
}

/** A string entry of a PolicyRule list, with its index in the list. */
export interface ListEntry {
  readonly value: string;
  readonly index: number;
}

/** One rule of a Role or ClusterRole, with its path and its lists read once. */
export interface PolicyRuleEntry {
  readonly rule: { [key: string]: any };
  readonly path: string;
  /** The string entries of apiGroups, resources and verbs. */
  readonly apiGroups: readonly ListEntry[];
  readonly resources: readonly ListEntry[];
  readonly verbs: readonly ListEntry[];
  /** The string entries of resourceNames. */
  readonly resourceNames: readonly string[];
  /** Whether resourceNames has any entry at all (strings or not). */
  readonly named: boolean;
}

/**
 * The rules of a Role or ClusterRole that take effect: none for an aggregated
 * ClusterRole, or for anything that is not an RBAC role; none either for a built-in
 * role of Kubernetes when the context excludes them (excludeBuiltinRbac).
 *
 * @param clusterScopedOnly the caller checks cluster-scoped resources, which only a
 *        ClusterRole can grant (a Role, and a ClusterRole bound by a RoleBinding, only
 *        grant namespaced resources)
 * @param context the rule's context (for excludeBuiltinRbac)
 */
export function policyRulesOf(object: unknown, clusterScopedOnly = false, context?: RuleContext): readonly PolicyRuleEntry[] {
  const kind = prop(object, 'kind');
  if (kind !== 'ClusterRole' && (kind !== 'Role' || clusterScopedOnly)) return [];
  if (excludedBuiltin(object, context)) return [];
  // read once per object and shared by the rbac rules that check it
  return sharedForObject(object, policyRulesOf, readPolicyRules);
}

function readPolicyRules(object: unknown): readonly PolicyRuleEntry[] {
  if (!isRbacApi(object)) return [];
  const kind = prop(object, 'kind');
  if (kind === 'ClusterRole' && isObject(prop(object, 'aggregationRule'))) return [];
  const out: PolicyRuleEntry[] = [];
  arr(prop(object, 'rules')).forEach((rule, i) => {
    if (!isObject(rule)) return;
    const names = arr(prop(rule, 'resourceNames'));
    out.push(Object.freeze({
      rule,
      path: indexPath('rules', i),
      apiGroups: strings(prop(rule, 'apiGroups')),
      resources: strings(prop(rule, 'resources')),
      verbs: strings(prop(rule, 'verbs')),
      resourceNames: names.filter((n): n is string => typeof n === 'string'),
      named: names.length > 0,
    }));
  });
  return Object.freeze(out);
}

/** A request whose grant a rule looks for. */
export interface RequestTarget {
  /** API group of the resource ('' is the core group). */
  readonly group: string;
  /** Resource, e.g. `pods`. */
  readonly resource: string;
  /** Subresource, e.g. `exec`. */
  readonly subresource?: string;
  /**
   * Any subresource of `resource` (e.g. `userextras/<key>` for impersonation): entries
   * `resource/<anything>` and `* /<anything>` (no space) match as well.
   */
  readonly anySubresource?: boolean;
  /** The verbs that make the grant matter. */
  readonly verbs: readonly string[];
  /**
   * The resource is cluster-scoped: only a ClusterRole (bound by a ClusterRoleBinding)
   * grants it, so a Role that lists it grants nothing.
   */
  readonly clusterScoped?: boolean;
  /**
   * The request creates a new top-level object: it carries no name when it is
   * authorized, so no rule with resourceNames grants it.
   */
  readonly createsNewObject?: boolean;
}

/** Where and how a policy rule grants a request. */
export interface Grant {
  /** The target that is granted. */
  readonly target: RequestTarget;
  /** The target verbs the rule grants. */
  readonly verbs: string[];
  /** Path of the first verb entry that grants them (`rules[2].verbs[0]`). */
  readonly verbPath: string;
  /** Path of the first resource entry that matches (`rules[2].resources[1]`). */
  readonly resourcePath: string;
  /** Index of that resource entry. */
  readonly resourceIndex: number;
  /** That resource entry, as written (`*`, `pods/exec`, `* /exec`). */
  readonly resourceEntry: string;
  /** The resourceNames the grant is narrowed to; empty when it covers every object. */
  readonly resourceNames: string[];
}

function strings(v: unknown): readonly ListEntry[] {
  const out: ListEntry[] = [];
  arr(v).forEach((value, index) => {
    if (typeof value === 'string') out.push({ value, index });
  });
  return Object.freeze(out);
}

/** Whether `entry` is `<head>/<tail>` (compared in place: no string is built). */
function isSlashed(entry: string, head: string, tail: string): boolean {
  return entry.length === head.length + 1 + tail.length && entry.charCodeAt(head.length) === 0x2f /* / */
    && entry.startsWith(head) && entry.endsWith(tail);
}

/** Whether a resource entry of a PolicyRule matches a resource and subresource. */
function resourceEntryMatches(entry: string, resource: string, subresource?: string, anySubresource = false): boolean {
  if (entry === '*') return true;
  // `${resource}/...` and `*/...` compared in place: this runs for every entry of every rule of every role
  if (anySubresource) {
    return (entry.length > resource.length && entry.charCodeAt(resource.length) === 0x2f && entry.startsWith(resource))
      || (entry.length > 2 && entry.charCodeAt(0) === 0x2a /* * */ && entry.charCodeAt(1) === 0x2f);
  }
  if (!subresource) return entry === resource;
  return isSlashed(entry, resource, subresource) || isSlashed(entry, '*', subresource);
}

/** Whether a PolicyRule grants the target; undefined when it does not. */
export function grantOf(entry: PolicyRuleEntry, target: RequestTarget): Grant | undefined {
  const { path } = entry;
  const groups = entry.apiGroups;
  let groupMatches = false;
  for (let k = 0; k < groups.length && !groupMatches; k++) groupMatches = groups[k].value === '*' || groups[k].value === target.group;
  if (!groupMatches) return undefined;
  const anySubresource = target.anySubresource === true;
  let resource: ListEntry | undefined;
  for (const r of entry.resources) {
    if (resourceEntryMatches(r.value, target.resource, target.subresource, anySubresource)) {
      resource = r;
      break;
    }
  }
  if (!resource) return undefined;
  const verbEntries = entry.verbs;
  const wildcardVerb = verbEntries.find((v) => v.value === '*');
  const verbs = target.verbs.filter((v) => wildcardVerb || verbEntries.some((e) => e.value === v));
  if (verbs.length === 0) return undefined;
  const firstVerb = wildcardVerb ?? verbEntries.find((e) => verbs.includes(e.value))!;
  const resourceNames = entry.resourceNames.slice();
  if (target.createsNewObject && entry.named) return undefined;
  return {
    target,
    verbs,
    verbPath: indexPath(keyPath(path, 'verbs'), firstVerb.index),
    resourcePath: indexPath(keyPath(path, 'resources'), resource.index),
    resourceIndex: resource.index,
    resourceEntry: resource.value,
    resourceNames,
  };
}

/** `pods/exec` for messages. */
export function targetName(t: RequestTarget): string {
  const r = t.anySubresource ? `${t.resource}/<key>` : t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
  return t.group === '' ? r : `${r}.${t.group}`;
}

/** `" (only on the objects named a, b)"` for a narrowed grant, else ''. */
export function narrowing(g: Grant): string {
  return g.resourceNames.length > 0 ? ` (only on the objects named ${g.resourceNames.join(', ')})` : '';
}

/** A subject of a RoleBinding or ClusterRoleBinding, with its path. */
export interface SubjectEntry {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly path: string;
}

/**
 * Whether the object is a RoleBinding or ClusterRoleBinding to judge: an RBAC binding,
 * and not a built-in one of Kubernetes when the context excludes them.
 */
export function isBinding(object: unknown, context?: RuleContext): boolean {
  const kind = prop(object, 'kind');
  if ((kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') || !isRbacApi(object)) return false;
  return !excludedBuiltin(object, context);
}

/**
 * The ClusterRole name a binding references, if it references a ClusterRole (roleRef
 * apiGroup rbac.authorization.k8s.io, or empty, which the API server defaults to it).
 */
export function boundClusterRole(object: unknown, context?: RuleContext): string | undefined {
  if (!isBinding(object, context)) return undefined;
  const roleRef = prop(object, 'roleRef');
  const apiGroup = prop(roleRef, 'apiGroup');
  if (prop(roleRef, 'kind') !== 'ClusterRole' || !(apiGroup === undefined || apiGroup === null || apiGroup === '' || apiGroup === RBAC_GROUP)) return undefined;
  return str(prop(roleRef, 'name'));
}

/** The subjects of a binding (entries with a string kind and name). */
export function subjectsOf(object: unknown, context?: RuleContext): SubjectEntry[] {
  if (!isBinding(object, context)) return [];
  const out: SubjectEntry[] = [];
  arr(prop(object, 'subjects')).forEach((s, i) => {
    const kind = str(prop(s, 'kind'));
    const name = str(prop(s, 'name'));
    if (kind === undefined || name === undefined) return;
    const namespace = str(prop(s, 'namespace'));
    out.push({ kind, name, ...(namespace !== undefined ? { namespace } : {}), path: indexPath('subjects', i) });
  });
  return out;
}

/** boundClusterRole in CEL: the binding's roleRef names a ClusterRole of the RBAC group (the CEL of its name), else ''. */
export const BOUND_CLUSTER_ROLE_CEL = "(object.roleRef.kind == 'ClusterRole' && (!has(object.roleRef.apiGroup) || object.roleRef.apiGroup == '' || "
  + "object.roleRef.apiGroup == 'rbac.authorization.k8s.io') ? object.roleRef.name : '')";

/** subjectsOf in CEL: the binding's subjects (each with kind and name), to filter with `s`. */
export const SUBJECTS_CEL = '(has(object.subjects) ? object.subjects : [])';
