/**
 * The audit rules of the hardened profile.
 */
import { auditExecNotLogged } from './exec-not-logged';
import { auditNoCatchAll } from './no-catch-all';
import { auditRequestReceivedStage } from './request-received-stage';
import { auditSensitiveResourcesLogged } from './sensitive-resources-logged';
import { IRule } from '../../engine/types';

/** Every audit rule. */
export const AUDIT_RULES: IRule[] = [
  auditSensitiveResourcesLogged,
  auditExecNotLogged,
  auditNoCatchAll,
  auditRequestReceivedStage,
];
