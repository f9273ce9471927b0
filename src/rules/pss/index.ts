/**
 * The Pod Security Standards rules, one per pod-security-admission check.
 */
import { IRule } from '../../engine/types';
import { privileged } from './privileged';

/** Every Pod Security Standards rule: baseline checks first, then restricted. */
export const PSS_RULES: IRule[] = [
  privileged,
];
