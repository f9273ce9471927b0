/*
 * Hardened: every Namespace enforces the restricted Pod Security Standard.
 *
 * Checked field (kind Namespace):
 *   metadata.labels["pod-security.kubernetes.io/enforce"]
 *
 * Allowed value: "restricted". Missing (the cluster default applies, which is
 * `privileged` unless the admission configuration says otherwise), "baseline" and
 * "privileged" are findings. The `audit` and `warn` labels do not count: they
 * report violations without blocking them.
 *
 * Why: kubeharden checks manifests before they are applied; Pod Security Admission
 * is the control that still holds for pods created any other way (kubectl run,
 * operators, a compromised CI token).
 */
import { keyPath } from '../../engine/json-path';
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { setValue } from '../fixes';
import { messageIf, str } from '../cel';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The fix: the enforce label at restricted. */
const fix = setValue('sets the label `pod-security.kubernetes.io/enforce: restricted` on the Namespace', 'restricted');

/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => messageIf(`!(has(object.metadata.labels) && ${str(ENFORCE)} in object.metadata.labels && object.metadata.labels[${str(ENFORCE)}] == 'restricted')`,
    str(`the Namespace must set label ${ENFORCE}: restricted`)),
};

export const podSecurityEnforceRestricted = defineRule({
  id: 'pod-security-enforce-restricted',
  title: 'Namespaces enforce the restricted Pod Security Standard',
  severity: Severity.MEDIUM,
  category: 'namespace',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.2.1',
    'nsa:pod-security/pod-security-enforcement',
  ],
  rationale: 'Without the `pod-security.kubernetes.io/enforce: restricted` label, Pod Security Admission lets privileged pods into the namespace whenever they do not come through the checked manifests.',
  remediation: 'Label the Namespace `pod-security.kubernetes.io/enforce: restricted` (optionally with `pod-security.kubernetes.io/enforce-version`). A namespace that must run privileged system components is suppressed with a reason.',
  kinds: ['Namespace'],
}, (object) => {
  const value = prop(prop(prop(object, 'metadata'), 'labels'), ENFORCE);
  if (value === 'restricted') return [];
  const path = keyPath(keyPath('metadata', 'labels'), ENFORCE);
  return [{
    path,
    message: typeof value === 'string'
      ? `the Namespace enforces Pod Security level "${value}"; set label ${ENFORCE}: restricted`
      : `the Namespace has no ${ENFORCE} label; set it to restricted`,
  }];
  // at admission the label would go on every Namespace written, the system ones too (kube-system,
  // whose pods need more than restricted): a change to make in the manifests, where it is seen
}, { ...fix, admission: { notMutated: 'at admission it would label every Namespace written restricted, the system ones too (kube-system runs pods that need more): the label belongs in the manifests (kubeharden fix, HardenedNamespace)' } }, admission);
