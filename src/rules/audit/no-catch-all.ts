/*
 * Audit: the policy ends with a catch-all rule that logs.
 *
 * A catch-all rule sets no users, userGroups, verbs, resources, namespaces or
 * nonResourceURLs, so it matches every request. Without one, a request that no rule
 * matches is not logged at all: new resources, CRDs and anything the policy's author
 * did not list leave no trace. Reported:
 *   - no catch-all rule: at `rules` (or at the root when `rules` is missing);
 *   - the first catch-all rule has level None (or no level): at that rule, since it
 *     logs nothing.
 */
import { auditRulesOf, isAuditPolicy } from './policy-rules';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';

const SELECTORS = ['users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs'];

export const auditNoCatchAll = defineRule({
  id: 'audit-no-catch-all',
  title: 'The audit policy ends with a catch-all rule that logs',
  severity: Severity.MEDIUM,
  category: 'audit',
  profiles: [Profile.HARDENED],
  controls: ['cis:3.2.1', 'cis:3.2.2', 'nsa:audit-logging'],
  rationale: 'Requests that match no rule are not logged. A policy without a final catch-all silently drops every request its author did not foresee, including CRDs and resources added in later Kubernetes versions.',
  remediation: 'End `rules` with `- level: Metadata` (no selectors), optionally with `omitStages: [RequestReceived]`.',
  kinds: ['Policy'],
}, (object) => {
  if (!isAuditPolicy(object)) return [];
  const catchAll = auditRulesOf(object).find((r) => SELECTORS.every((k) => arr(prop(r.rule, k)).length === 0));
  if (!catchAll) {
    return [{ path: prop(object, 'rules') === undefined ? '' : 'rules', message: 'no rule matches every request, so unmatched requests are not logged: end rules with a catch-all `- level: Metadata`' }];
  }
  if (catchAll.level === undefined || catchAll.level === 'None') {
    return [{ path: catchAll.path, message: 'the catch-all rule logs nothing (level None): set its level to Metadata' }];
  }
  return [];
});
