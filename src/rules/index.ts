/**
 * The rule catalog: every kubeharden rule, nothing else.
 */
import { HARDENED_RULES } from './hardened';
import { IRule } from '../engine/types';
import { invalidSuppression } from './meta/invalid-suppression';
import { PSS_RULES } from './pss';

/** Every rule, in report order. */
export const CATALOG: IRule[] = [
  ...PSS_RULES,
  ...HARDENED_RULES,
  invalidSuppression,
];
