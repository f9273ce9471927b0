/*
 * Hardened: pods opt out of the automatically mounted ServiceAccount token.
 *
 * Checked field:
 *   spec.automountServiceAccountToken
 *
 * Allowed value: false. The pod-level field overrides the ServiceAccount's own
 * `automountServiceAccountToken`, and it is the only one visible on the workload,
 * so anything but an explicit false is a finding: true, and unset (the pod then
 * inherits the ServiceAccount's setting, which defaults to true).
 *
 * Why: a mounted token lets any process in any container of the pod call the
 * Kubernetes API with the ServiceAccount's rights. Most applications never call the
 * API; those that do can mount a projected token explicitly.
 */
import { keyPath } from '../../engine/json-path';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, Severity } from '../../engine/types';
import { prop } from '../../engine/values';

export const automountServiceAccountToken = definePodRule({
  id: 'automount-service-account-token',
  title: 'Pods do not automount a ServiceAccount token',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.1.6',
    'nsa:pod-security/service-account-tokens',
    'polaris:automountServiceAccountToken',
    'kyverno:restrict-automount-sa-token',
    'checkov:CKV_K8S_38',
    'trivy:KSV-0036',
  ],
  rationale: 'An automounted ServiceAccount token gives every process in the pod an API credential. An attacker who gets code execution in the container inherits the ServiceAccount\'s rights and can move into the control plane.',
  remediation: 'Set `automountServiceAccountToken: false` in the pod spec. A workload that does call the Kubernetes API mounts a short-lived token through a projected `serviceAccountToken` volume in the one container that needs it.',
  kinds: POD_KINDS,
}, (pod) => {
  const value = prop(pod.spec, 'automountServiceAccountToken');
  if (value === false) return [];
  return [{
    path: keyPath(pod.specPath, 'automountServiceAccountToken'),
    message: value === undefined
      ? 'set automountServiceAccountToken: false in the pod spec (unset, the pod inherits its ServiceAccount\'s setting, which mounts the token by default)'
      : 'set automountServiceAccountToken to false in the pod spec; the ServiceAccount token is mounted into every container',
  }];
});
