/*
 * Hardened: pods run under a dedicated ServiceAccount, not the namespace's `default`.
 *
 * Checked fields:
 *   spec.serviceAccountName, and the deprecated spec.serviceAccount when
 *   serviceAccountName is unset (the API server copies one into the other)
 *
 * A finding when the effective name is missing, empty, or `default`.
 *
 * Why: every pod without a ServiceAccount shares the namespace's `default` one, so
 * any role bound to it is granted to all of them, and the audit log cannot tell the
 * workloads apart.
 */
import { keyPath } from '../../engine/json-path';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { POD, messageIf, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => {
    const name = `(has(${POD}.serviceAccountName) ? ${POD}.serviceAccountName : has(${POD}.serviceAccount) ? ${POD}.serviceAccount : '')`;
    return messageIf(`${name} == '' || ${name} == 'default'`, str('the pod runs as the namespace\'s "default" ServiceAccount; set serviceAccountName'));
  },
};

export const defaultServiceAccount = definePodRule({
  id: 'default-service-account',
  title: 'Pods use a dedicated ServiceAccount',
  severity: Severity.LOW,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.1.5',
    'nsa:pod-security/service-account-tokens',
    'kube-linter:default-service-account',
  ],
  rationale: 'The `default` ServiceAccount is shared by every pod of the namespace that names none: rights granted to it for one workload leak to all others, and API calls cannot be attributed to a workload.',
  remediation: 'Create a ServiceAccount for the workload (with `automountServiceAccountToken: false` unless it calls the API) and set `serviceAccountName` to it in the pod spec.',
  kinds: POD_KINDS,
}, (pod) => {
  const hasName = prop(pod.spec, 'serviceAccountName') !== undefined;
  const field = hasName ? 'serviceAccountName' : prop(pod.spec, 'serviceAccount') !== undefined ? 'serviceAccount' : 'serviceAccountName';
  const value = prop(pod.spec, field);
  const name = typeof value === 'string' ? value.trim() : '';
  if (name !== '' && name !== 'default') return [];
  return [{
    path: keyPath(pod.specPath, field),
    message: name === 'default'
      ? `the pod runs as the namespace's "default" ServiceAccount; set ${field} to a ServiceAccount dedicated to this workload`
      : 'the pod names no ServiceAccount and runs as the namespace\'s "default" one; set serviceAccountName to a ServiceAccount dedicated to this workload',
  }];
}, undefined, admission);
