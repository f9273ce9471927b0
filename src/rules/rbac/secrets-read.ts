/*
 * RBAC: no read access to Secrets.
 *
 * Reported: a PolicyRule of a Role or ClusterRole that grants get, list or watch on
 * `secrets` in the core group, including through wildcards: apiGroups "*" or "",
 * resources "*" or "secrets", verbs "*" or get/list/watch. list and watch return the
 * Secret values as well, not just names.
 *
 * Not reported: a rule narrowed by resourceNames. It reads only the named Secrets
 * (list and watch then need a metadata.name field selector), which is the
 * least-privilege form this rule asks for. The written rules of aggregated
 * ClusterRoles are not read (the controller replaces them, see policy-rules.ts).
 */
import { defineGrantRule, verbList } from './grant-rule';
import { Severity } from '../../engine/types';

export const rbacSecretsRead = defineGrantRule({
  id: 'rbac-secrets-read',
  title: 'Roles do not grant read access to all Secrets',
  severity: Severity.HIGH,
  controls: ['cis:5.1.2', 'nsa:authentication-and-authorization/rbac', 'kube-linter:access-to-secrets', 'kyverno:restrict-secret-role-verbs', 'trivy:KSV-0041'],
  rationale: 'Reading Secrets yields service account tokens, TLS keys and credentials; in most namespaces that is a step to higher privileges. list and watch return full Secret values, not only names.',
  remediation: 'Remove get, list and watch on secrets, or narrow the rule with `resourceNames` to the Secrets the workload needs (or mount them as volumes instead of reading them through the API).',
  targets: [{ group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] }],
  reportNarrowed: false,
  message: (grants) => `rule grants ${verbList(grants)} on every Secret through "${grants[0].resourceEntry}": remove it or narrow it with resourceNames`,
});
