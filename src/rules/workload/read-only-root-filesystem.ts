/*
 * Hardened: containers run with a read-only root filesystem.
 *
 * Checked fields:
 *   spec.containers[*].securityContext.readOnlyRootFilesystem
 *   spec.initContainers[*].securityContext.readOnlyRootFilesystem
 *   spec.ephemeralContainers[*].securityContext.readOnlyRootFilesystem
 *
 * Allowed value: true. Unset (the default, a writable root filesystem) and false are
 * findings, one per container. There is no pod-level field.
 *
 * Why: an immutable root filesystem stops an intruder from dropping binaries or
 * tampering with the application in place; writable paths the application needs
 * are mounted explicitly (emptyDir, volumes).
 */
import { containersOf } from '../../engine/pod-spec';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { containerLabel } from '../container-label';
import { containerSc, containerScPath } from '../security-context';

export const readOnlyRootFilesystem = definePodRule({
  id: 'read-only-root-filesystem',
  title: 'Containers run with a read-only root filesystem',
  severity: Severity.MEDIUM,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'cis:5.7.3',
    'nsa:pod-security/immutable-file-systems',
    'kube-linter:no-read-only-root-fs',
    'polaris:notReadOnlyRootFilesystem',
    'kyverno:require-ro-rootfs',
    'checkov:CKV_K8S_22',
    'trivy:KSV-0014',
  ],
  rationale: 'A writable root filesystem lets an intruder add tools, replace binaries or plant persistence inside the container. An immutable root filesystem limits what a compromise can change.',
  remediation: 'Set `securityContext.readOnlyRootFilesystem: true` on every container and mount an `emptyDir` (or another volume) at each path the application must write to, such as /tmp.',
  kinds: POD_KINDS,
}, (pod) => {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const value = containerSc(c, 'readOnlyRootFilesystem');
    if (value === true) continue;
    out.push({
      path: containerScPath(c, 'readOnlyRootFilesystem'),
      message: value === undefined
        ? `${containerLabel(c)} must set securityContext.readOnlyRootFilesystem to true (the root filesystem is writable by default)`
        : `${containerLabel(c)} must set securityContext.readOnlyRootFilesystem to true`,
    });
  }
  return out;
});
