/*
 * RBAC: no bindings to the cluster-admin ClusterRole.
 *
 * Reported, at roleRef.name: a RoleBinding or ClusterRoleBinding whose roleRef is
 * kind ClusterRole, name cluster-admin (apiGroup rbac.authorization.k8s.io or unset).
 * In a ClusterRoleBinding it is full control of the cluster; in a RoleBinding, full
 * control of the namespace, including its Roles, RoleBindings and Secrets. A Role
 * that happens to be named cluster-admin is a different object and is not reported.
 * The default binding of system:masters (label kubernetes.io/bootstrapping:
 * rbac-defaults) is reconciled by the API server and not reported.
 */
import { isBinding, RBAC_GROUP } from './policy-rules';
import { keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop, str } from '../../engine/values';

/** The ClusterRole name a binding references, if it references a ClusterRole. */
export function boundClusterRole(object: unknown): string | undefined {
  if (!isBinding(object)) return undefined;
  const roleRef = prop(object, 'roleRef');
  const apiGroup = prop(roleRef, 'apiGroup');
  if (prop(roleRef, 'kind') !== 'ClusterRole' || (apiGroup !== undefined && apiGroup !== RBAC_GROUP)) return undefined;
  return str(prop(roleRef, 'name'));
}

export const rbacClusterAdminBinding = defineRule({
  id: 'rbac-cluster-admin-binding',
  title: 'Bindings do not grant the cluster-admin ClusterRole',
  severity: Severity.CRITICAL,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.1', 'nsa:authentication-and-authorization/rbac', 'kube-linter:cluster-admin-role-binding', 'polaris:clusterrolebindingClusterAdmin', 'polaris:rolebindingClusterAdminClusterRole', 'kyverno:restrict-binding-clusteradmin'],
  rationale: 'cluster-admin allows every verb on every resource. Bound cluster-wide it is complete control of the cluster; bound in a namespace it is complete control of that namespace. A compromised subject holding it needs no further escalation.',
  remediation: 'Bind a role with only the permissions the subject needs (the built-in view or a custom Role); keep cluster-admin for break-glass access through system:masters certificates held offline.',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
}, (object) => {
  if (boundClusterRole(object) !== 'cluster-admin') return [];
  const scope = prop(object, 'kind') === 'ClusterRoleBinding' ? 'the whole cluster' : 'the namespace';
  return [{
    path: keyPath('roleRef', 'name'),
    message: `binding grants cluster-admin over ${scope}: bind a least-privilege role instead`,
  }];
});
