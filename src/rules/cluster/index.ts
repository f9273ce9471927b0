/**
 * The cluster rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every cluster rule. */
export const CLUSTER_RULES: IRule[] = [
];
