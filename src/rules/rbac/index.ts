/**
 * The rbac rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every rbac rule. */
export const RBAC_RULES: IRule[] = [
];
