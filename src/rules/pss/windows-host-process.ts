/*
 * Pod Security Standards, baseline: HostProcess (pod-security-admission check `windowsHostProcess`).
 *
 * Windows pods offer the ability to run HostProcess containers which enables privileged access
 * to the Windows node. Privileged access to the host is disallowed in the baseline policy.
 *
 * Restricted fields:
 *   spec.securityContext.windowsOptions.hostProcess
 *   spec.containers[*].securityContext.windowsOptions.hostProcess
 *   spec.initContainers[*].securityContext.windowsOptions.hostProcess
 *   spec.ephemeralContainers[*].securityContext.windowsOptions.hostProcess
 *
 * Allowed values: false, undefined/null
 *
 * Versions: 1.0+ unchanged.
 */
import { containerLabel, containerSc, containerScPath, podSc, podScPath } from './helpers';
import { containersOf } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { equals, podAndContainerSc, str } from '../cel';

export const windowsHostProcess = definePssRule({
  id: 'pss-windows-host-process',
  checkId: 'windowsHostProcess',
  level: Profile.BASELINE,
  title: 'Windows pods must not run HostProcess containers',
  severity: Severity.CRITICAL,
  category: 'pod-security',
  controls: ['cis:5.2.11', 'nsa:pod-security/non-root-and-unprivileged', 'kyverno:disallow-host-process', 'trivy:KSV-0103'],
  rationale: 'A HostProcess container runs directly on the Windows node with host privileges: it is the Windows equivalent of a privileged container.',
  remediation: 'Remove `windowsOptions.hostProcess: true` (or set it to false) from the pod and container security contexts.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      if (prop(podSc(pod, 'windowsOptions'), 'hostProcess') === true) {
        out.push({
          path: podScPath(pod, 'windowsOptions', 'hostProcess'),
          message: 'pod must not set securityContext.windowsOptions.hostProcess to true: remove it or set it to false',
        });
      }
      for (const c of containersOf(pod)) {
        if (prop(containerSc(c, 'windowsOptions'), 'hostProcess') === true) {
          out.push({
            path: containerScPath(c, 'windowsOptions', 'hostProcess'),
            message: `${containerLabel(c)} must not set securityContext.windowsOptions.hostProcess to true: remove it or set it to false`,
          });
        }
      }
      return out;
    },
  }],
  admission: {
    violations: () => podAndContainerSc((sc) => equals(sc, ['windowsOptions', 'hostProcess'], 'true'),
      str('pod must not set securityContext.windowsOptions.hostProcess to true'),
      () => str('must not set securityContext.windowsOptions.hostProcess to true')),
  },
});
