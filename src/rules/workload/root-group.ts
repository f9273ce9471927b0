/*
 * Hardened: containers do not run with the root group (GID 0).
 *
 * Checked fields (a finding for each that is 0):
 *   spec.securityContext.runAsGroup
 *   spec.securityContext.fsGroup
 *   spec.securityContext.supplementalGroups[*]
 *   spec.containers[*].securityContext.runAsGroup
 *   spec.initContainers[*].securityContext.runAsGroup
 *   spec.ephemeralContainers[*].securityContext.runAsGroup
 *
 * Unset fields are not findings: the group then comes from the image, which a
 * manifest check cannot see. Values other than the number 0 are allowed.
 *
 * Why: files and devices owned by group root (in the image, on volumes, and on the
 * host after an escape) are readable and often writable by GID 0; running as a
 * non-root user with the root group keeps much of root's file access.
 */
import { indexPath } from '../../engine/json-path';
import { containersOf } from '../../engine/pod-spec';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr } from '../../engine/values';
import { containerLabel } from '../container-label';
import { containerSc, containerScPath, podSc, podScPath } from '../security-context';
import { POD, concat, containerMessages, equals, messageIf, present, str } from '../cel';


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => concat(
    ...['runAsGroup', 'fsGroup'].map((f) => messageIf(`${present(POD, 'securityContext')} && ${equals(`${POD}.securityContext`, [f], '0')}`,
      str(`pod must not set securityContext.${f} to 0`))),
    messageIf(`${present(POD, 'securityContext', 'supplementalGroups')} && 0 in ${POD}.securityContext.supplementalGroups`,
      str('pod must not list group 0 in securityContext.supplementalGroups')),
    containerMessages((c) => equals(c, ['securityContext', 'runAsGroup'], '0'), () => str('must not set securityContext.runAsGroup to 0')),
  ),
};

export const rootGroup = definePodRule({
  id: 'root-group',
  title: 'Pods and containers do not use the root group',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.7.3',
    'nsa:pod-security/non-root-and-unprivileged',
    'trivy:KSV-0116',
  ],
  rationale: 'Group 0 owns much of a container image and of the host filesystem. A process running with GID 0, even as a non-root user, can read and modify those files, and volumes given fsGroup 0 become root-group owned.',
  remediation: 'Set `runAsGroup`, `fsGroup` and every `supplementalGroups` entry to a non-zero GID (for example 10001) in the pod securityContext, and do not set `runAsGroup: 0` on any container.',
  kinds: POD_KINDS,
}, (pod) => {
  const out: RuleFinding[] = [];
  for (const field of ['runAsGroup', 'fsGroup']) {
    if (podSc(pod, field) === 0) {
      out.push({ path: podScPath(pod, field), message: `set securityContext.${field} in the pod spec to a non-zero group ID` });
    }
  }
  const groups = arr(podSc(pod, 'supplementalGroups'));
  for (let i = 0; i < groups.length; i++) {
    if (groups[i] === 0) {
      out.push({ path: indexPath(podScPath(pod, 'supplementalGroups'), i), message: 'remove group 0 from securityContext.supplementalGroups in the pod spec' });
    }
  }
  for (const c of containersOf(pod)) {
    if (containerSc(c, 'runAsGroup') === 0) {
      out.push({
        path: containerScPath(c, 'runAsGroup'),
        message: `${containerLabel(c)} must set securityContext.runAsGroup to a non-zero group ID`,
      });
    }
  }
  return out;
}, undefined, admission);
