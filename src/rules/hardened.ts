/**
 * The rules of the `hardened` profile beyond the Pod Security Standards:
 * workloads, RBAC, network, secrets, audit logging, cluster configuration, namespaces.
 */
import { AUDIT_RULES } from './audit';
import { CLUSTER_RULES } from './cluster';
import { NAMESPACE_RULES } from './namespace';
import { NETWORK_RULES } from './network';
import { RBAC_RULES } from './rbac';
import { SECRETS_RULES } from './secrets';
import { WORKLOAD_RULES } from './workload';
import { IRule } from '../engine/types';

/** Every hardened-profile rule, by category. */
export const HARDENED_RULES: IRule[] = [
  ...WORKLOAD_RULES,
  ...RBAC_RULES,
  ...NETWORK_RULES,
  ...SECRETS_RULES,
  ...AUDIT_RULES,
  ...CLUSTER_RULES,
  ...NAMESPACE_RULES,
];
