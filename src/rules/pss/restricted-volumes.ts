/*
 * Pod Security Standards, restricted: volume types (pod-security-admission check
 * `restrictedVolumes`).
 *
 * The restricted policy only permits the following volume types.
 *
 * Restricted fields:
 *   spec.volumes[*]
 *
 * Allowed values: every item in spec.volumes[*] must set one of the following fields to a
 * non-null value:
 *   configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected,
 *   secret
 * (`image` volumes were added to the 1.0 behaviour, so they are allowed at every version.)
 *
 * A volume that sets no volume source at all is defaulted by the API server to an emptyDir
 * volume before admission, so it is allowed; any known source outside the list (hostPath,
 * nfs, gitRepo, awsElasticBlockStore, cephfs, ...) is forbidden.
 *
 * Versions: 1.0+ unchanged; replaces `hostPathVolumes` at the restricted level.
 *
 * Severity: high, as `hostPathVolumes`. This check replaces the baseline one, so it reports
 * the hostPath volumes the baseline check reports (high there); one severity per rule means
 * the other forbidden volume types are high here too. A stricter profile never reports a
 * field at a lower severity than baseline does (test/rules/pss/severity-never-drops).
 */
import { pathOf } from './helpers';
import { indexPath } from '../../engine/json-path';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, isObject, nameOf, prop } from '../../engine/values';
import { POD, listOf, str } from '../cel';

/** The volume sources the restricted level allows. */
const ALLOWED_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** Every other volume source of the Kubernetes API (core/v1 VolumeSource). */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs',
  'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte',
  'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export const restrictedVolumes = definePssRule({
  id: 'pss-restricted-volumes',
  checkId: 'restrictedVolumes',
  level: Profile.RESTRICTED,
  title: 'Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.12', 'nsa:pod-security/host-isolation', 'kyverno:restrict-volume-types', 'trivy:KSV-0028'],
  rationale: 'Node-local and in-tree network volume types (hostPath, nfs, iscsi, rbd, gitRepo, ...) reach outside the pod sandbox or run privileged code on the node; the restricted level allows only ephemeral volumes and volumes defined through PersistentVolumes. High, like the hostPath check it replaces, so that the restricted profile never reports a hostPath volume at a lower severity than baseline.',
  remediation: 'Replace the volume with one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret (use a PersistentVolume with a persistentVolumeClaim for network storage).',
  versions: [{
    minimumVersion: '1.0',
    overrides: ['hostPathVolumes'],
    check: (pod) => {
      const out: RuleFinding[] = [];
      const base = pathOf(pod.specPath, 'volumes');
      arr(pod.spec.volumes).forEach((v, i) => {
        if (!isObject(v)) return;
        if (ALLOWED_SOURCES.some((s) => isSet(prop(v, s)))) return;
        const source = RESTRICTED_SOURCES.find((s) => isSet(prop(v, s)));
        if (source === undefined) return;
        out.push({
          path: pathOf(indexPath(base, i), source),
          message: `volume "${nameOf(v)}" must not use the ${source} volume type: use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret`,
        });
      });
      return out;
    },
  }],
  admission: {
    violations: () => {
      const set = (sources: string[]) => sources.map((s) => `has(v.${s})`).join(' || ');
      return `${listOf(POD, 'volumes')}.filter(v, !(${set(ALLOWED_SOURCES)}) && (${set(RESTRICTED_SOURCES)}))`
        + `.map(v, ${str('volume "')} + v.name + ${str('" must not use a restricted volume type')})`;
    },
  },
});
