/**
 * The namespace rules of the hardened profile.
 */
import { IRule } from '../../engine/types';

/** Every namespace rule. */
export const NAMESPACE_RULES: IRule[] = [
];
