/*
 * Audit: the RequestReceived stage is omitted.
 *
 * Every request produces an event at RequestReceived and another at ResponseComplete
 * (or ResponseStarted for watches) with the same content and more. A stage is omitted
 * when it is in the policy-level `omitStages` or in the rule's own `omitStages` (the
 * two lists add up). Reported: when the policy-level list lacks RequestReceived, each
 * rule whose level logs (not None) and whose own list lacks it, at that rule.
 */
import { auditRulesOf, isAuditPolicy } from './policy-rules';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

const STAGE = 'RequestReceived';

export const auditRequestReceivedStage = defineRule({
  id: 'audit-request-received-stage',
  title: 'The audit policy omits the RequestReceived stage',
  severity: Severity.LOW,
  category: 'audit',
  profiles: [Profile.HARDENED],
  controls: ['nsa:audit-logging'],
  rationale: 'The RequestReceived event duplicates the ResponseComplete event of the same request. Keeping it doubles audit volume, which pushes operators to lower levels or shorter retention.',
  remediation: 'Add `omitStages: [RequestReceived]` at the top level of the Policy (it applies to every rule).',
  kinds: ['Policy'],
}, (object) => {
  if (!isAuditPolicy(object) || arr(prop(object, 'omitStages')).includes(STAGE)) return [];
  const out: RuleFinding[] = [];
  for (const r of auditRulesOf(object)) {
    if (r.level === undefined || r.level === 'None' || arr(prop(r.rule, 'omitStages')).includes(STAGE)) continue;
    out.push({ path: r.path, message: `this rule logs the RequestReceived stage, a duplicate of ResponseComplete: add omitStages: [${STAGE}] to the Policy` });
  }
  return out;
});
