/*
 * Audit: exec, attach and port-forward into pods are logged.
 *
 * pods/exec, pods/attach and pods/portforward (core group; verbs create, and get for
 * WebSocket upgrades) are how an intruder gets a shell or a tunnel into a workload.
 * With first-match-wins semantics (policy-rules.ts), a rule at level None that the walk
 * reaches for one of these requests, and that can match it, is reported: those
 * requests leave no audit event. A None rule restricted to some users or verbs is
 * reported as well, since the requests it matches go unlogged.
 *
 * Requests that no rule matches are not logged either; that gap is reported once, by
 * audit-no-catch-all.
 */
import { AuditRequest, auditRulesOf, firstMatchHits } from './policy-rules';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

const REQUESTS: AuditRequest[] = ['exec', 'attach', 'portforward'].map((subresource) => ({ group: '', resource: 'pods', subresource, verbs: ['create', 'get'] }));

export const auditExecNotLogged = defineRule({
  id: 'audit-exec-not-logged',
  title: 'The audit policy logs exec, attach and port-forward into pods',
  severity: Severity.MEDIUM,
  category: 'audit',
  profiles: [Profile.HARDENED],
  controls: ['cis:3.2.2', 'nsa:audit-logging'],
  rationale: 'An interactive shell or a port-forward into a pod is the clearest trace of hands-on-keyboard activity in a cluster. At level None it leaves no audit event, so an incident cannot be reconstructed.',
  remediation: 'Add, before the rule at level None, `- level: Metadata` with `resources: [{group: "", resources: [pods/exec, pods/attach, pods/portforward]}]`, or narrow the None rule so it no longer matches these subresources.',
  kinds: ['Policy'],
}, (object) => firstMatchHits(auditRulesOf(object), REQUESTS, (rule) => rule.level === 'None').map((hit) => ({
  path: hit.path,
  message: `this rule at level None is the first to match requests for ${hit.names.join(', ')}, so they are not logged: log them at Metadata in an earlier rule`,
})));
