/*
 * RBAC: no escalate, bind or impersonate.
 *
 * Reported, at the verb entry, when a PolicyRule grants (verbs "escalate"/"bind"/
 * "impersonate" or "*", with matching groups and resources, wildcards included):
 *   escalate     on roles or clusterroles (rbac.authorization.k8s.io): write a role
 *                with permissions the writer does not hold;
 *   bind         on roles or clusterroles (rbac.authorization.k8s.io): bind any role,
 *                cluster-admin included, without holding its permissions;
 *   impersonate  on users, groups or serviceaccounts (core group), or on uids or
 *                userextras/<key> (authentication.k8s.io): act as any identity,
 *                system:masters included.
 * These are the verbs the RBAC authorizer checks to let a subject go around its own
 * privilege-escalation prevention. A verb on an unrelated resource (escalate on pods)
 * grants nothing and is not reported; nor is impersonation of users, groups, uids or
 * userextras in a Role, since those are cluster-scoped and only a ClusterRole grants
 * them (service accounts are namespaced, so a Role can). A grant narrowed by resourceNames (bind only
 * the role "view") is still reported: review the names.
 */
import { defineGrantRule } from './grant-rule';
import { narrowing, RBAC_GROUP, RequestTarget, targetName } from './policy-rules';
import { Severity } from '../../engine/types';

const TARGETS: RequestTarget[] = [
  ...['roles', 'clusterroles'].flatMap((resource) => ['escalate', 'bind'].map((verb) => ({ group: RBAC_GROUP, resource, verbs: [verb] }))),
  { group: '', resource: 'serviceaccounts', verbs: ['impersonate'] },
  ...['users', 'groups'].map((resource) => ({ group: '', resource, verbs: ['impersonate'], clusterScoped: true })),
  { group: 'authentication.k8s.io', resource: 'uids', verbs: ['impersonate'], clusterScoped: true },
  { group: 'authentication.k8s.io', resource: 'userextras', anySubresource: true, verbs: ['impersonate'], clusterScoped: true },
];

export const rbacEscalateBindImpersonate = defineGrantRule({
  id: 'rbac-escalate-bind-impersonate',
  title: 'Roles do not grant escalate, bind or impersonate',
  severity: Severity.CRITICAL,
  controls: ['cis:5.1.8', 'nsa:authentication-and-authorization/rbac', 'kyverno:restrict-escalation-verbs-roles', 'checkov:CKV_K8S_157', 'checkov:CKV_K8S_158', 'trivy:KSV-0043', 'trivy:KSV-0050'],
  rationale: 'RBAC prevents privilege escalation by refusing to let a subject create roles or bindings beyond its own permissions. escalate and bind switch that check off, and impersonate lets the subject act as any user or group, system:masters included: each is a path to cluster-admin.',
  remediation: 'Remove the escalate, bind and impersonate verbs (and "*" verbs on roles, clusterroles, users, groups and serviceaccounts). If a controller must bind roles, narrow bind with resourceNames to the exact roles it hands out.',
  at: 'verb',
  targets: TARGETS,
  message: (grants) => {
    const byVerb = new Map<string, string[]>();
    for (const g of grants) {
      for (const v of g.verbs) byVerb.set(v, [...(byVerb.get(v) ?? []), targetName(g.target)]);
    }
    const parts = [...byVerb.entries()].map(([verb, names]) => `${verb} on ${names.join(', ')}`);
    return `rule grants ${parts.join('; ')}${narrowing(grants[0])}: remove these verbs, they bypass RBAC escalation prevention`;
  },
});
