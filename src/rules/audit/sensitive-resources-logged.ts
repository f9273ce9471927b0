/*
 * Audit: Secrets, ConfigMaps, TokenReviews and service account tokens are not logged
 * with their bodies.
 *
 * With first-match-wins semantics (policy-rules.ts), every rule that the walk reaches
 * for one of these requests and that can match it is reported when its level logs the
 * sensitive body:
 *   secrets, configmaps (core)           Request or RequestResponse: the request body
 *                                        of create/update/patch holds the values, the
 *                                        response of get/list holds them too;
 *   tokenreviews (authentication.k8s.io) Request or RequestResponse: the request body
 *                                        is the bearer token under review;
 *   serviceaccounts/token (core)         RequestResponse only: the TokenRequest body
 *                                        (audiences, expiry) holds no credential, the
 *                                        response holds the issued token.
 * The walk stops at the first rule that matches every such request; a rule restricted
 * by users, groups, verbs, namespaces or resourceNames can match some of them, so the
 * walk goes on past it. The usual fix is a rule at Metadata for these resources placed
 * before the broad rules.
 */
import { AuditRequest, auditRulesOf, firstMatchHits } from './policy-rules';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';

/** Each sensitive request, with the levels that log its sensitive body. */
const SENSITIVE: Array<AuditRequest & { levels: string[] }> = [
  { group: '', resource: 'secrets', levels: ['Request', 'RequestResponse'] },
  { group: '', resource: 'configmaps', levels: ['Request', 'RequestResponse'] },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', levels: ['Request', 'RequestResponse'] },
  { group: '', resource: 'serviceaccounts', subresource: 'token', levels: ['RequestResponse'] },
];

export const auditSensitiveResourcesLogged = defineRule({
  id: 'audit-sensitive-resources-logged',
  title: 'The audit policy logs Secrets, ConfigMaps and tokens at Metadata only',
  severity: Severity.HIGH,
  category: 'audit',
  profiles: [Profile.HARDENED],
  controls: ['cis:3.2.2', 'nsa:audit-logging'],
  rationale: 'At Request or RequestResponse the audit log stores request and response bodies: Secret and ConfigMap values, the bearer tokens in TokenReviews and the tokens issued by the TokenRequest API. The audit log then becomes a copy of every credential of the cluster, readable by everyone who can read logs.',
  remediation: 'Add, before any broader rule, `- level: Metadata` with `resources: [{group: "", resources: [secrets, configmaps, serviceaccounts/token]}, {group: authentication.k8s.io, resources: [tokenreviews]}]`.',
  kinds: ['Policy'],
}, (object) => {
  const leaks = firstMatchHits(auditRulesOf(object), SENSITIVE, (rule, request) => rule.level !== undefined && request.levels.includes(rule.level));
  return leaks.map((leak) => ({
    path: leak.path,
    message: `this is the first rule that matches requests for ${leak.names.join(', ')}, and level ${leak.level} writes their bodies (credentials) to the audit log: log them at Metadata in an earlier rule`,
  }));
});
