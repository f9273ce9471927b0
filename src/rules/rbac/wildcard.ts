/*
 * RBAC: no wildcards in the rules of a Role or ClusterRole.
 *
 * Reported, one finding per entry:
 *   rules[*].verbs[*]           "*"            every verb, including escalate, bind, impersonate
 *   rules[*].apiGroups[*]       "*"            every API group, including CRDs installed later
 *   rules[*].resources[*]       "*"            every resource and every subresource
 *                               "* /<sub>"     (no space) that subresource of every resource
 *   rules[*].nonResourceURLs[*] "*"            every non-resource path
 *
 * Not reported: "" (the core group), "pods/*" (RBAC has no per-resource subresource
 * wildcard, so it is a literal resource name that matches nothing), a trailing-"*"
 * nonResourceURL such as "/healthz/*" (a path prefix, not every path). resourceNames
 * has no wildcard syntax in RBAC. Aggregated ClusterRoles are skipped (their rules are
 * written by the controller, see policy-rules.ts).
 */
import { policyRulesOf } from './policy-rules';
import { indexPath, keyPath } from '../../engine/json-path';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

const FIELDS = ['verbs', 'apiGroups', 'resources', 'nonResourceURLs'] as const;

function isWildcard(field: typeof FIELDS[number], value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value === '*') return true;
  return field === 'resources' && value.startsWith('*/');
}

export const rbacWildcard = defineRule({
  id: 'rbac-wildcard',
  title: 'Roles and ClusterRoles do not use wildcards',
  severity: Severity.HIGH,
  category: 'rbac',
  profiles: [Profile.HARDENED],
  controls: ['cis:5.1.3', 'nsa:authentication-and-authorization/rbac', 'kube-linter:wildcard-in-rules', 'checkov:CKV_K8S_49', 'kyverno:restrict-wildcard-verbs', 'kyverno:restrict-wildcard-resources', 'trivy:KSV-0044'],
  rationale: 'A wildcard grants every current and future verb, group or resource, including ones added later by CRDs or new Kubernetes versions, and the escalate, bind and impersonate verbs. Least privilege cannot be reviewed when the grant is open-ended.',
  remediation: 'Replace each "*" with the exact verbs, API groups and resources the subject needs (for example `verbs: [get, list, watch]`, `resources: [configmaps]`).',
  kinds: ['Role', 'ClusterRole'],
}, (object) => {
  const out: RuleFinding[] = [];
  for (const { rule, path } of policyRulesOf(object)) {
    for (const field of FIELDS) {
      arr(prop(rule, field)).forEach((value, i) => {
        if (!isWildcard(field, value)) return;
        out.push({
          path: indexPath(keyPath(path, field), i),
          message: value === '*'
            ? `${field} must not contain "*": list the exact ${field} this role needs`
            : `resources must not contain "${value}" (that subresource of every resource): list the resources explicitly, e.g. "pods/${(value as string).slice(2)}"`,
        });
      });
    }
  }
  return out;
});
