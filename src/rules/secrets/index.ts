/**
 * The secrets rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every secrets rule. */
export const SECRETS_RULES: IRule[] = [
];
