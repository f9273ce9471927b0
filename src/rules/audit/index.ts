/**
 * The audit rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every audit rule. */
export const AUDIT_RULES: IRule[] = [
];
