/*
 * RBAC: no roles granted to `default` ServiceAccounts.
 *
 * Reported, at subjects[i], a subject of a RoleBinding or ClusterRoleBinding that is
 *   kind ServiceAccount, name default (in any namespace), or
 *   kind Group, name system:serviceaccounts (every service account, every namespace)
 *   or system:serviceaccounts:<namespace> (every service account of a namespace),
 *   since those groups include the default ServiceAccount.
 * Every pod that names no serviceAccountName runs as `default`, so a permission given
 * to it is given to every such pod of the namespace.
 */
import { SUBJECTS_CEL, subjectsOf } from './policy-rules';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => `${SUBJECTS_CEL}.filter(s, (s.kind == 'ServiceAccount' && s.name == 'default') || (s.kind == 'Group' && (s.name == 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'))))`
    + `.map(s, ${str('subject ')} + s.kind + ' ' + s.name + ${str(' takes in the default ServiceAccount')})`,
};

export const rbacDefaultServiceAccountBinding = defineRule({
  id: 'rbac-default-service-account-binding',
  title: 'Bindings do not grant roles to the default ServiceAccount',
  severity: Severity.MEDIUM,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.5', 'nsa:authentication-and-authorization/rbac', 'checkov:CKV_K8S_42'],
  rationale: 'Pods that do not name a service account run as default. Permissions bound to it, or to all service accounts, reach every such pod, including ones added later for unrelated purposes.',
  remediation: 'Create a dedicated ServiceAccount for the workload, bind the role to it, and set `serviceAccountName` in the pod template.',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
}, (object, context) => {
  const out: RuleFinding[] = [];
  for (const s of subjectsOf(object, context)) {
    if (s.kind === 'ServiceAccount' && s.name === 'default') {
      const ns = s.namespace !== undefined ? ` in namespace "${s.namespace}"` : '';
      out.push({ path: s.path, message: `subject is the default ServiceAccount${ns}: bind a dedicated ServiceAccount instead` });
    } else if (s.kind === 'Group' && (s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'))) {
      const scope = s.name === 'system:serviceaccounts' ? 'every service account in the cluster' : `every service account of namespace "${s.name.slice('system:serviceaccounts:'.length)}"`;
      out.push({ path: s.path, message: `subject Group "${s.name}" is ${scope}, default included: bind a dedicated ServiceAccount instead` });
    }
  }
  return out;
}, undefined, admission);
