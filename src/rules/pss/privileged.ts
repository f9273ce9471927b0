/*
 * Pod Security Standards, baseline: privileged containers (pod-security-admission check `privileged`).
 *
 * Privileged Pods disable most security mechanisms and must be disallowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.privileged
 *   spec.initContainers[*].securityContext.privileged
 *   spec.ephemeralContainers[*].securityContext.privileged
 *
 * Allowed values: false, undefined/null
 *
 * Versions: 1.0+ unchanged.
 */
import { containerLabel, containerSc, containerScPath } from './helpers';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { setValue } from '../fixes';
import { containerMessages, equals, str } from '../cel';
import { containerPatches, replacePatch } from '../cel-patch';

/** The fix: privileged off. */
const fix = {
  ...setValue('sets `securityContext.privileged: false` on the container', false),
  admission: {
    patches: ({ podPointer }: { podPointer: string }) => containerPatches(podPointer,
      (c) => equals(c, ['securityContext', 'privileged'], 'true'),
      (_c, pointer) => replacePatch(pointer, ['securityContext', 'privileged'], 'false')),
  },
};

export const privileged = definePssRule({
  id: 'pss-privileged',
  checkId: 'privileged',
  level: Profile.BASELINE,
  title: 'Containers must not run privileged',
  severity: Severity.CRITICAL,
  category: 'pod-security',
  controls: ['cis:5.2.2', 'nsa:pod-security/non-root-and-unprivileged', 'kube-linter:privileged-container', 'polaris:runAsPrivileged', 'kyverno:disallow-privileged-containers', 'checkov:CKV_K8S_16', 'trivy:KSV-0017'],
  rationale: 'A privileged container has every capability and access to the host devices: escaping to the node is trivial.',
  remediation: 'Remove `securityContext.privileged: true` (or set it to false) on every container, init container and ephemeral container.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      for (const c of containersOf(pod)) {
        if (containerSc(c, 'privileged') === true) {
          out.push({
            path: containerScPath(c, 'privileged'),
            message: `${containerLabel(c)} must not set securityContext.privileged to true: remove it or set it to false`,
          });
        }
      }
      return out;
    },
  }],
  fix,
  admission: {
    violations: () => containerMessages((c) => equals(c, ['securityContext', 'privileged'], 'true'),
      () => str('must not set securityContext.privileged to true')),
  },
});
