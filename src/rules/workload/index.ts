/**
 * The workload rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every workload rule. */
export const WORKLOAD_RULES: IRule[] = [
];
