/**
 * The network rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every network rule. */
export const NETWORK_RULES: IRule[] = [
];
