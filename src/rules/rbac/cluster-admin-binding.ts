/*
 * RBAC: no bindings to cluster-admin, or to any role that has every permission
 * (set-level: the role a binding references may be anywhere in the input).
 *
 * Reported, at roleRef.name, a RoleBinding or ClusterRoleBinding whose roleRef
 * (apiGroup rbac.authorization.k8s.io, or empty, which the API server defaults to it) is
 *   - kind ClusterRole, name cluster-admin: every cluster has it, with every verb on
 *     every resource, whatever the input says of it;
 *   - a Role (in the binding's namespace) or ClusterRole that has every permission, as
 *     resolved by role-resolution.ts: one of its rules has "*" in apiGroups, resources
 *     and verbs and no resourceNames; or it is an aggregated ClusterRole that takes in
 *     such a role, e.g. through an empty clusterRoleSelector, which selects every
 *     ClusterRole, cluster-admin included.
 * In a ClusterRoleBinding it is full control of the cluster; in a RoleBinding, full
 * control of the namespace, including its Roles, RoleBindings and Secrets. A Role that
 * happens to be named cluster-admin is a different object, reported only when it has
 * every permission itself.
 *
 * No binding is exempt for its name or labels: Kubernetes' own cluster-admin binding (to
 * system:masters) is reported unless the engine option excludeBuiltinRbac is on and the
 * binding's content is the bootstrap policy's (builtin-rbac.ts).
 */
import { isBinding, RBAC_GROUP } from './policy-rules';
import { isEmptySelectorAt, RoleFacts, roleFactsOf, RoleIndex, selectorPath } from './role-resolution';
import { keyPath } from '../../engine/json-path';
import { defineSetRule } from '../../engine/set-rule';
import { Profile, RuleContext, SetFinding, SetMember, Severity } from '../../engine/types';
import { prop, str } from '../../engine/values';

type Collected =
  | { type: 'role'; role: RoleFacts; dedupeKey?: string }
  | { type: 'binding'; kind: string; namespace: string; refKind: 'Role' | 'ClusterRole'; refName: string };

function describe(role: RoleFacts): string {
  const where = role.builtin ? 'the built-in ' : '';
  return `${where}${role.kind} "${role.name}"`;
}

export const rbacClusterAdminBinding = defineSetRule({
  id: 'rbac-cluster-admin-binding',
  title: 'Bindings do not grant the cluster-admin ClusterRole',
  severity: Severity.CRITICAL,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.1', 'nsa:authentication-and-authorization/rbac', 'kube-linter:cluster-admin-role-binding', 'polaris:clusterrolebindingClusterAdmin', 'polaris:rolebindingClusterAdminClusterRole', 'kyverno:restrict-binding-clusteradmin'],
  rationale: 'cluster-admin allows every verb on every resource. Bound cluster-wide it is complete control of the cluster; bound in a namespace it is complete control of that namespace. A compromised subject holding it needs no further escalation. A role of another name with "*" verbs on "*" resources, or an aggregated ClusterRole that takes in such a role, is the same grant.',
  remediation: 'Bind a role with only the permissions the subject needs (the built-in view or a custom Role); keep cluster-admin for break-glass access through system:masters certificates held offline.',
  kinds: ['RoleBinding', 'ClusterRoleBinding', 'Role', 'ClusterRole'],
}, {
  collect: (object, context: RuleContext): Collected | undefined => {
    const kind = prop(object, 'kind');
    if (kind === 'Role' || kind === 'ClusterRole') {
      const role = roleFactsOf(object);
      if (role === undefined) return undefined;
      // Kept until the report, so only what resolution can use: a Role (never aggregated
      // into anything) matters only when it grants everything itself; a ClusterRole that
      // neither grants everything nor aggregates is a dead end when selected, and matters
      // only by its name (it replaces a built-in ClusterRole of that name), not its labels.
      if (role.grantsAllAt === undefined && role.selectors === undefined) {
        if (role.kind === 'Role') return undefined;
        // (one member per name is enough for that)
        return { type: 'role', role: { ...role, labels: {} }, dedupeKey: JSON.stringify(['ClusterRole', role.name]) };
      }
      return { type: 'role', role };
    }
    if (!isBinding(object, context)) return undefined;
    const roleRef = prop(object, 'roleRef');
    const apiGroup = prop(roleRef, 'apiGroup');
    if (!(apiGroup === undefined || apiGroup === null || apiGroup === '' || apiGroup === RBAC_GROUP)) return undefined;
    const refKind = prop(roleRef, 'kind');
    const refName = str(prop(roleRef, 'name'));
    // a ClusterRoleBinding can only reference a ClusterRole (the API server refuses a Role)
    if (!refName || !(refKind === 'ClusterRole' || (refKind === 'Role' && kind === 'RoleBinding'))) return undefined;
    return { type: 'binding', kind, namespace: str(prop(prop(object, 'metadata'), 'namespace')) ?? '', refKind, refName };
  },
  checkSet: (members: SetMember[], context: RuleContext): SetFinding[] => {
    const roles = members.map((m) => m.data as Collected).filter((d): d is Collected & { type: 'role' } => d.type === 'role').map((d) => d.role);
    let index: RoleIndex | undefined;
    const out: SetFinding[] = [];
    members.forEach((m, i) => {
      const d = m.data as Collected;
      if (d.type !== 'binding') return;
      const scope = d.kind === 'ClusterRoleBinding' ? 'the whole cluster' : 'the namespace';
      const path = keyPath('roleRef', 'name');
      if (d.refKind === 'ClusterRole' && d.refName === 'cluster-admin') {
        out.push({ member: i, path, message: `binding grants cluster-admin over ${scope}: bind a least-privilege role instead` });
        return;
      }
      index ??= new RoleIndex(roles, context.pssMinor);
      const found = index.everyPermission(d.refKind, d.namespace, d.refName);
      if (found === undefined) return;
      let how: string;
      if (found.through === undefined) {
        how = `whose ${found.role.grantsAllAt} allows every verb on every resource`;
      } else if (isEmptySelectorAt(found.role, found.selector!)) {
        how = `whose ${selectorPath(found.selector!)} is empty and so selects every ClusterRole, cluster-admin included`;
      } else {
        const last = found.through[found.through.length - 1];
        const chain = found.through.map(describe).join(', which aggregates ');
        how = `whose ${selectorPath(found.selector!)} takes in ${chain}${last.name === 'cluster-admin' && last.builtin ? '' : ` (its ${last.grantsAllAt} allows every verb on every resource)`}`;
      }
      out.push({
        member: i,
        path,
        message: `binding grants ${describe(found.role)}, ${how}: that is cluster-admin over ${scope}; bind a least-privilege role instead`,
      });
    });
    return out;
  },
});
