/*
 * RBAC: no bindings to anonymous, unauthenticated, all-authenticated or system:masters.
 *
 * Reported, at subjects[i], a subject of a RoleBinding or ClusterRoleBinding that is
 *   kind Group, name system:anonymous, system:unauthenticated, system:authenticated
 *   or system:masters, or kind User, name system:anonymous.
 * system:unauthenticated and system:anonymous are every request without credentials
 * (when anonymous auth is on); system:authenticated is every identity with any
 * credential, every service account of every namespace included. system:masters is
 * already unrestricted: RBAC never applies to it, so binding it signals an attempt to
 * create or document superuser access that should instead be removed.
 * Kubernetes' own bindings are reported too (system:public-info-viewer binds
 * system:unauthenticated, system:discovery and system:basic-user bind
 * system:authenticated): their names and labels are no proof of what they are. For a
 * dump of a live cluster, the engine option excludeBuiltinRbac leaves out those whose
 * name and content equal the bootstrap policy's (builtin-rbac.ts).
 */
import { SUBJECTS_CEL, subjectsOf } from './policy-rules';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { str, strList } from '../cel';

const GROUPS: { [name: string]: string } = {
  'system:anonymous': 'every anonymous request',
  'system:unauthenticated': 'every request without credentials',
  'system:authenticated': 'every authenticated identity, including every service account',
  'system:masters': 'the superuser group, which RBAC never restricts',
};


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => `${SUBJECTS_CEL}.filter(s, (s.kind == 'Group' && s.name in ${strList(Object.keys(GROUPS))}) || (s.kind == 'User' && s.name == 'system:anonymous'))`
    + `.map(s, ${str('subject ')} + s.kind + ' ' + s.name + ${str(' is a system group (or the anonymous user)')})`,
};

export const rbacSystemGroupBinding = defineRule({
  id: 'rbac-system-group-binding',
  title: 'Bindings do not grant roles to anonymous, unauthenticated, all authenticated users or system:masters',
  severity: Severity.CRITICAL,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.7', 'nsa:authentication-and-authorization/rbac', 'kyverno:restrict-binding-system-groups'],
  rationale: 'A role bound to system:anonymous or system:unauthenticated is open to anyone who reaches the API server; bound to system:authenticated it is held by every user and every service account of every namespace. system:masters bypasses RBAC entirely and must not be handed out.',
  remediation: 'Bind the role to the specific users, groups or service accounts that need it.',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
}, (object, context) => {
  const out: RuleFinding[] = [];
  for (const s of subjectsOf(object, context)) {
    const who = (s.kind === 'Group' && Object.prototype.hasOwnProperty.call(GROUPS, s.name))
      ? GROUPS[s.name]
      : (s.kind === 'User' && s.name === 'system:anonymous') ? GROUPS['system:anonymous'] : undefined;
    if (!who) continue;
    out.push({ path: s.path, message: `subject ${s.kind} "${s.name}" is ${who}: bind specific users, groups or service accounts instead` });
  }
  return out;
}, undefined, admission);
