/*
 * Pod Security Standards, baseline: HostPath volumes (pod-security-admission check `hostPathVolumes`).
 *
 * HostPath volumes must be forbidden.
 *
 * Restricted fields:
 *   spec.volumes[*].hostPath
 *
 * Allowed values: undefined/null
 *
 * Versions: 1.0+ unchanged. At the restricted level, `restrictedVolumes` replaces this check
 * (from 1.0).
 */
import { pathOf } from './helpers';
import { indexPath } from '../../engine/json-path';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, nameOf, prop } from '../../engine/values';
import { POD, listOf, str } from '../cel';

export const hostPathVolumes = definePssRule({
  id: 'pss-host-path-volumes',
  checkId: 'hostPathVolumes',
  level: Profile.BASELINE,
  title: 'Pods must not mount hostPath volumes',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.12', 'nsa:pod-security/host-isolation', 'kyverno:disallow-host-path', 'trivy:KSV-0023'],
  rationale: 'A hostPath volume exposes the node filesystem to the container: host credentials, the container runtime socket, or kubelet files are a short step to node compromise.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  versions: [{
    minimumVersion: '1.0',
    check: (pod) => {
      const out: RuleFinding[] = [];
      const base = pathOf(pod.specPath, 'volumes');
      arr(pod.spec.volumes).forEach((v, i) => {
        const hp = prop(v, 'hostPath');
        if (hp === undefined || hp === null) return;
        out.push({
          path: pathOf(indexPath(base, i), 'hostPath'),
          message: `volume "${nameOf(v)}" must not be a hostPath volume: use emptyDir, configMap, secret, projected or persistentVolumeClaim instead`,
        });
      });
      return out;
    },
  }],
  admission: {
    violations: () => `${listOf(POD, 'volumes')}.filter(v, has(v.hostPath)).map(v, ${str('volume "')} + v.name + ${str('" must not be a hostPath volume')})`,
  },
});
