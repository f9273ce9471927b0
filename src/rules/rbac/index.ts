/**
 * The rbac rules of the hardened profile.
 */
import { rbacAdminEditBinding } from './admin-edit-binding';
import { rbacClusterAdminBinding } from './cluster-admin-binding';
import { rbacCreateWorkloads } from './create-workloads';
import { rbacCsrApproval } from './csr-approval';
import { rbacDefaultServiceAccountBinding } from './default-service-account-binding';
import { rbacEscalateBindImpersonate } from './escalate-bind-impersonate';
import { rbacNodesProxy } from './nodes-proxy';
import { rbacPodExec } from './pod-exec';
import { rbacSecretsRead } from './secrets-read';
import { rbacServiceAccountTokenCreate } from './serviceaccount-token-create';
import { rbacSystemGroupBinding } from './system-group-binding';
import { rbacWebhookConfigurationChanges } from './webhook-configuration-changes';
import { rbacWildcard } from './wildcard';
import { IRule } from '../../engine/types';

/** Every rbac rule. */
export const RBAC_RULES: IRule[] = [
  rbacWildcard,
  rbacSecretsRead,
  rbacPodExec,
  rbacNodesProxy,
  rbacEscalateBindImpersonate,
  rbacCreateWorkloads,
  rbacServiceAccountTokenCreate,
  rbacCsrApproval,
  rbacWebhookConfigurationChanges,
  rbacClusterAdminBinding,
  rbacAdminEditBinding,
  rbacSystemGroupBinding,
  rbacDefaultServiceAccountBinding,
];
