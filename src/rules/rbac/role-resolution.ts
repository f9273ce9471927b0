/*
 * What a binding's roleRef grants, resolved over the whole input and the ClusterRoles
 * every cluster has (the built-in ones of the version judged, builtin-rbac.ts):
 *
 *   roleRef      a ClusterRole by name; a Role by name in the binding's namespace (only
 *                a RoleBinding can reference a Role). Objects without a namespace go
 *                wherever they are applied and are resolved together.
 *   every permission  a PolicyRule with "*" in apiGroups, resources and verbs and no
 *                resourceNames: every verb on every resource of every group, as
 *                cluster-admin has.
 *   aggregation  the aggregation controller (pkg/controller/clusterroleaggregation)
 *                gives an aggregated ClusterRole the rules of every other ClusterRole of
 *                the cluster that one of its clusterRoleSelectors selects (label-selector.ts),
 *                and those rules are in turn the aggregate of an aggregated one. The
 *                cluster's ClusterRoles are the input's, and the built-in ones the input
 *                does not redefine: an empty selector selects every ClusterRole,
 *                cluster-admin included.
 * Several objects of one name in the input: any of them may be the one applied last, so
 * the role grants every permission when one of them does. In a cycle of aggregated
 * ClusterRoles the rules written in a manifest can be copied around before the controller
 * replaces them, so there they count too.
 */
import { builtinClusterRoles } from './builtin-rbac';
import { isEmptySelector, labelsOf, selectorMatches } from './label-selector';
import { RBAC_GROUP } from './rbac-content';
import { indexPath, keyPath } from '../../engine/json-path';
import { LATEST_PSS_MINOR } from '../../engine/pss-version';
import { keepShape } from '../../engine/shapes';
import { arr, isObject, prop, str } from '../../engine/values';

/** What is kept of a Role or ClusterRole to resolve references to it. */
export interface RoleFacts {
  readonly kind: 'Role' | 'ClusterRole';
  /** '' for a ClusterRole, and for a Role without a namespace. */
  readonly namespace: string;
  readonly name: string;
  readonly labels: { readonly [key: string]: string };
  /** Path of a written rule that grants every permission, if any. */
  readonly grantsAllAt?: string;
  /** The aggregationRule's clusterRoleSelectors, for an aggregated ClusterRole. */
  readonly selectors?: readonly unknown[];
  /** A built-in ClusterRole of Kubernetes that the input does not hold. */
  readonly builtin?: boolean;
}

/** Path of the first PolicyRule that grants every verb on every resource, or undefined. */
export function ruleGrantingEverything(rules: unknown): string | undefined {
  const list = arr(rules);
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!isObject(r)) continue;
    if (listsStar(r, 'apiGroups') && listsStar(r, 'resources') && listsStar(r, 'verbs') && arr(prop(r, 'resourceNames')).length === 0) return indexPath('rules', i);
  }
  return undefined;
}

/** Whether the list `field` of a PolicyRule holds `*`. */
function listsStar(rule: { [key: string]: any }, field: string): boolean {
  return arr(prop(rule, field)).includes('*');
}

/** `rbac.authorization.k8s.io/`: the start of every RBAC apiVersion. */
const RBAC_PREFIX = `${RBAC_GROUP}/`;

/** The facts of a Role or ClusterRole (any RBAC version), or undefined for anything else. */
export function roleFactsOf(object: unknown, builtin = false): RoleFacts | undefined {
  const kind = prop(object, 'kind');
  const apiVersion = str(prop(object, 'apiVersion'));
  if ((kind !== 'Role' && kind !== 'ClusterRole') || apiVersion === undefined || !apiVersion.startsWith(RBAC_PREFIX)) return undefined;
  const metadata = prop(object, 'metadata');
  const name = str(prop(metadata, 'name'));
  if (!name) return undefined;
  const aggregation = kind === 'ClusterRole' ? prop(object, 'aggregationRule') : undefined;
  const grantsAllAt = ruleGrantingEverything(prop(object, 'rules'));
  // the optional keys set in the order a literal with spreads gives them, without its temporary objects
  const facts: { -readonly [K in keyof RoleFacts]: RoleFacts[K] } = {
    kind,
    namespace: kind === 'Role' ? str(prop(metadata, 'namespace')) ?? '' : '',
    name,
    labels: { ...labelsOf(object) },
  };
  if (grantsAllAt !== undefined) facts.grantsAllAt = grantsAllAt;
  if (isObject(aggregation)) facts.selectors = arr(prop(aggregation, 'clusterRoleSelectors'));
  if (builtin) facts.builtin = true;
  return facts;
}

/** How a role ends up with every permission. */
export interface EveryPermission {
  /** The role the reference names (one of the objects of that name). */
  readonly role: RoleFacts;
  /**
   * For an aggregated ClusterRole: the selector (its index) that takes in the roles
   * granting everything, and the chain of ClusterRoles it went through, last the one
   * whose written rule grants everything.
   */
  readonly selector?: number;
  readonly through?: readonly RoleFacts[];
}

function roleKey(kind: string, namespace: string, name: string): string {
  return JSON.stringify([kind, namespace, name]);
}

/** The Roles and ClusterRoles of a cluster: the input's, and the built-in ClusterRoles it does not redefine. */
export class RoleIndex {
  private readonly clusterRoles: RoleFacts[];
  private readonly byKey = new Map<string, RoleFacts[]>();
  private readonly edges = new Map<RoleFacts, { role: RoleFacts; selector: number }[]>();

  /**
   * @param roles the Roles and ClusterRoles of the input
   * @param minor the Kubernetes minor version judged (for the built-in ClusterRoles)
   * @param withBuiltins false for an index of `roles` alone
   */
  constructor(roles: readonly RoleFacts[], minor: number, withBuiltins = true) {
    const inputNames = new Set(roles.filter((r) => r.kind === 'ClusterRole').map((r) => r.name));
    const builtins = (withBuiltins ? builtinClusterRoles(minor) : [])
      .map((o) => roleFactsOf(o, true))
      .filter((r): r is RoleFacts => r !== undefined && !inputNames.has(r.name));
    const all = [...roles, ...builtins];
    this.clusterRoles = all.filter((r) => r.kind === 'ClusterRole');
    for (const r of all) {
      const key = roleKey(r.kind, r.namespace, r.name);
      const list = this.byKey.get(key);
      if (list) list.push(r);
      else this.byKey.set(key, [r]);
    }
  }

  /** How the referenced role has every permission, or undefined when it does not (or is unknown). */
  public everyPermission(kind: 'Role' | 'ClusterRole', namespace: string, name: string): EveryPermission | undefined {
    const roles = this.byKey.get(roleKey(kind, kind === 'Role' ? namespace : '', name)) ?? [];
    for (const role of roles) {
      if (role.selectors === undefined) {
        if (role.grantsAllAt !== undefined) return { role };
        continue;
      }
      const found = this.throughAggregation(role);
      if (found) return { role, ...found };
    }
    return undefined;
  }

  /** The ClusterRoles an aggregated ClusterRole takes in, with the selector that takes each (computed once). */
  private selected(role: RoleFacts): { role: RoleFacts; selector: number }[] {
    let out = this.edges.get(role);
    if (out === undefined) {
      out = [];
      const selectors = role.selectors ?? [];
      const seen = new Set<RoleFacts>();
      for (let i = 0; i < selectors.length; i++) {
        for (const other of this.clusterRoles) {
          // the controller skips the role itself
          if (other.name === role.name || seen.has(other) || !selectorMatches(selectors[i], other.labels)) continue;
          seen.add(other);
          out.push({ role: other, selector: i });
        }
      }
      this.edges.set(role, out);
    }
    return out;
  }

  /** The ClusterRoles reachable from an aggregated one, breadth first, with how each was reached. */
  private reach(root: RoleFacts): Map<RoleFacts, { parent: RoleFacts; selector: number }> {
    const reached = new Map<RoleFacts, { parent: RoleFacts; selector: number }>();
    const queue = [root];
    while (queue.length > 0) {
      const at = queue.shift()!;
      if (at.selectors === undefined) continue;
      for (const e of this.selected(at)) {
        if (reached.has(e.role)) continue;
        reached.set(e.role, { parent: at, selector: e.selector });
        queue.push(e.role);
      }
    }
    return reached;
  }

  /** The selector of an aggregated ClusterRole, and the chain, that bring in every permission. */
  private throughAggregation(root: RoleFacts): { selector: number; through: RoleFacts[] } | undefined {
    const reached = this.reach(root);
    for (const [role] of reached) {
      if (role.grantsAllAt === undefined) continue;
      // an aggregated role's written rules count only in a cycle (the controller replaces them otherwise)
      if (role.selectors !== undefined && !this.reach(role).has(role)) continue;
      const through: RoleFacts[] = [];
      let at: RoleFacts = role;
      let selector = 0;
      for (;;) {
        through.unshift(at);
        const step = reached.get(at)!;
        if (step.parent === root) {
          selector = step.selector;
          break;
        }
        at = step.parent;
      }
      return { selector, through };
    }
    return undefined;
  }
}

/** `aggregationRule.clusterRoleSelectors[0]` */
export function selectorPath(index: number): string {
  return indexPath(keyPath('aggregationRule', 'clusterRoleSelectors'), index);
}

/** Whether the selector at that index of the role is empty. */
export function isEmptySelectorAt(role: RoleFacts, index: number): boolean {
  return isEmptySelector((role.selectors ?? [])[index]);
}

// an index dies with the check that built it; its hidden class must not (see src/engine/shapes.ts)
keepShape(new RoleIndex([], LATEST_PSS_MINOR, false));
