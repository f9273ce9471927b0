/*
 * RBAC: no bindings to the admin or edit ClusterRoles.
 *
 * Reported, at roleRef.name: a RoleBinding or ClusterRoleBinding whose roleRef is
 * kind ClusterRole, name admin or edit. Both are aggregated user-facing roles that
 * include reading Secrets, exec into pods, creating workloads and impersonating the
 * namespace's service accounts (through pods); admin adds Roles and RoleBindings.
 * Through a ClusterRoleBinding they apply in every namespace. cluster-admin has its
 * own rule (rbac-cluster-admin-binding).
 */
import { BOUND_CLUSTER_ROLE_CEL, boundClusterRole } from './policy-rules';
import { keyPath } from '../../engine/json-path';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(`${BOUND_CLUSTER_ROLE_CEL} in ['admin', 'edit']`, `${str('binding grants the ClusterRole ')} + object.roleRef.name`),
};

export const rbacAdminEditBinding = defineRule({
  id: 'rbac-admin-edit-binding',
  title: 'Bindings do not grant the admin or edit ClusterRoles',
  severity: Severity.MEDIUM,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.1', 'nsa:authentication-and-authorization/rbac'],
  rationale: 'admin and edit grant read access to every Secret of the namespace, exec into its pods and creation of workloads that run as any of its service accounts; they grow automatically as CRDs aggregate into them. They are meant for people, rarely for workloads.',
  remediation: 'Bind a Role that lists the resources and verbs the subject uses; for read-only needs bind view.',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
}, (object, context) => {
  const role = boundClusterRole(object, context);
  if (role !== 'admin' && role !== 'edit') return [];
  const scope = prop(object, 'kind') === 'ClusterRoleBinding' ? 'in every namespace' : 'in the namespace';
  return [{
    path: keyPath('roleRef', 'name'),
    message: `binding grants the ${role} ClusterRole ${scope}, which includes reading Secrets and exec into pods: bind a role with only the needed permissions`,
  }];
}, undefined, admission);
