/*
 * Hardened: no legacy long-lived ServiceAccount token Secrets.
 *
 * Checked field (kind Secret):
 *   type
 *
 * A finding when it is `kubernetes.io/service-account-token`.
 *
 * Why: the token controller fills such a Secret with a ServiceAccount token that
 * never expires and is not bound to a pod. Since Kubernetes 1.22 pods get
 * short-lived, audience-bound projected tokens instead, and since 1.24 legacy token
 * Secrets are no longer created automatically; a manifest that asks for one
 * re-creates a credential that lives until someone deletes it.
 */
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { equals, messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(equals('object', ['type'], "'kubernetes.io/service-account-token'"), str('type kubernetes.io/service-account-token creates a non-expiring ServiceAccount token')),
};

export const serviceAccountTokenSecret = defineRule({
  id: 'service-account-token-secret',
  title: 'No long-lived ServiceAccount token Secrets',
  severity: Severity.MEDIUM,
  category: 'secrets',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:pod-security/service-account-tokens',
  ],
  rationale: 'A `kubernetes.io/service-account-token` Secret holds a ServiceAccount token that never expires and is not bound to any pod; once leaked it works until the Secret is deleted.',
  remediation: 'Remove the Secret. Pods receive short-lived tokens through projected `serviceAccountToken` volumes; external clients request one with the TokenRequest API (`kubectl create token <serviceaccount> --duration=…`).',
  kinds: ['Secret'],
}, (object) => {
  if (prop(object, 'type') !== 'kubernetes.io/service-account-token') return [];
  return [{ path: 'type', message: 'type kubernetes.io/service-account-token creates a non-expiring ServiceAccount token; remove the Secret and use projected or TokenRequest tokens' }];
}, undefined, admission);
