/**
 * The namespace rules of the hardened profile.
 */
import { podSecurityEnforceRestricted } from './pod-security-enforce-restricted';
import { IRule } from '../../engine/types';

/** Every namespace rule. */
export const NAMESPACE_RULES: IRule[] = [
  podSecurityEnforceRestricted,
];
