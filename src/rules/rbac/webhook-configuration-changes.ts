/*
 * RBAC: no changes to admission webhook configurations.
 *
 * Reported: a ClusterRole rule that grants create, update, patch, delete or
 * deletecollection on mutatingwebhookconfigurations or validatingwebhookconfigurations
 * (admissionregistration.k8s.io), wildcards included. Creating or rewriting one sends
 * every matching API request (Secrets, pods) to an endpoint of the holder's choice and
 * lets it rewrite objects; deleting one switches a policy engine off. Webhook
 * configurations are cluster-scoped, so only ClusterRoles are checked. A create with
 * resourceNames grants nothing (no name at authorization) and is not reported; other
 * verbs narrowed to named configurations are.
 */
import { defineGrantRule, verbList } from './grant-rule';
import { narrowing, RequestTarget, targetName } from './policy-rules';
import { Severity } from '../../engine/types';

const GROUP = 'admissionregistration.k8s.io';
const TARGETS: RequestTarget[] = ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].flatMap((resource) => [
  { group: GROUP, resource, verbs: ['create'], createsNewObject: true },
  { group: GROUP, resource, verbs: ['update', 'patch', 'delete', 'deletecollection'] },
]);

export const rbacWebhookConfigurationChanges = defineGrantRule({
  id: 'rbac-webhook-configuration-changes',
  title: 'ClusterRoles do not grant changes to admission webhook configurations',
  severity: Severity.HIGH,
  controls: ['cis:5.1.12', 'nsa:authentication-and-authorization/rbac', 'checkov:CKV_K8S_155', 'kyverno:restrict-clusterrole-mutating-validating-admission-webhooks'],
  rationale: 'Admission webhooks see and can rewrite every request they match. Whoever can change their configuration can intercept Secrets, inject containers into every pod, or delete the webhook that enforces policy.',
  remediation: 'Remove write verbs on mutatingwebhookconfigurations and validatingwebhookconfigurations; leave them to the cluster administrators and the installer of the webhook.',
  clusterScoped: true,
  targets: TARGETS,
  message: (grants) => `rule grants ${verbList(grants)} on ${[...new Set(grants.map((g) => targetName(g.target)))].join(', ')} through "${grants[0].resourceEntry}"${narrowing(grants[0])}: remove these verbs`,
});
