/*
 * RBAC: no create on serviceaccounts/token.
 *
 * Reported: a PolicyRule that grants create on serviceaccounts/token in the core group
 * (resources "serviceaccounts/token", "*" or "* /token" without the space, verbs
 * "create" or "*"). That is the TokenRequest API: it mints a bearer token for the
 * service account, with all of its permissions. A grant narrowed by resourceNames (to
 * named service accounts) is still reported: it still mints their tokens.
 */
import { defineGrantRule } from './grant-rule';
import { narrowing } from './policy-rules';
import { Severity } from '../../engine/types';

export const rbacServiceAccountTokenCreate = defineGrantRule({
  id: 'rbac-serviceaccount-token-create',
  title: 'Roles do not grant creating service account tokens',
  severity: Severity.HIGH,
  controls: ['cis:5.1.13', 'nsa:authentication-and-authorization/rbac'],
  rationale: 'create on serviceaccounts/token issues tokens for a service account: the subject gains every permission of every service account it can name, without running a pod.',
  remediation: 'Remove create on serviceaccounts/token; workloads receive their own tokens through projected volumes and do not need it.',
  targets: [{ group: '', resource: 'serviceaccounts', subresource: 'token', verbs: ['create'] }],
  message: (grants) => `rule grants create on serviceaccounts/token through "${grants[0].resourceEntry}"${narrowing(grants[0])}: remove it`,
});
