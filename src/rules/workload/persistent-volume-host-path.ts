/*
 * Hardened: PersistentVolumes do not hand out the node's filesystem.
 *
 * Checked fields (kind PersistentVolume, core/v1):
 *   spec.hostPath            any hostPath PersistentVolume
 *   spec.local.path          a local volume whose path is not under an allowed prefix
 *
 * Why: a pod that may not mount a hostPath volume itself (pss-host-path-volumes) still
 * gets the node's disk through a PersistentVolumeClaim bound to a hostPath
 * PersistentVolume: the pod volume is a `persistentVolumeClaim`, which every pod check
 * allows, and the kubelet mounts the node path. `local` volumes are the supported way to
 * use node disks; they are reported when their path is outside the prefixes of the rule
 * option `allowedLocalPaths` (none allowed until it is set, so a local volume on `/`,
 * `/etc` or `/var/lib/kubelet` is never accepted by default). A prefix allows the path
 * itself and everything below it at a `/` boundary (`/mnt/disks` allows
 * `/mnt/disks/ssd0`, not `/mnt/disks-evil`). A local path with a `..` segment is
 * reported whatever the prefixes (the API server refuses it; a policy cannot resolve it).
 */
import { RuleAdmission } from '../../engine/admission';
import { defineRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { prop } from '../../engine/values';
import { concat, messageIf, present, str as celString } from '../cel';

/** The path with empty and `.` segments dropped, always absolute (`..` resolved, for the option's prefixes). */
function normalise(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** Whether a path has a `..` segment (the API server refuses such a local path). */
function hasBacksteps(p: string): boolean {
  return p.split('/').includes('..');
}

function allowedPrefixes(option: unknown): string[] {
  if (!Array.isArray(option)) return [];
  return option.filter((x): x is string => typeof x === 'string' && x.startsWith('/')).map(normalise);
}

/** The check in CEL, for admission: the allowed prefixes travel in the policy's parameters, normalised. */
const admission: RuleAdmission = {
  params: [{ name: 'allowedLocalPaths', values: allowedPrefixes }],
  violations: ({ listOption }) => {
    const allowed = listOption('allowedLocalPaths');
    const path = "'/' + object.spec.local.path.split('/').filter(s, s != '' && s != '.').join('/')";
    const ok = 'has(object.spec.local.path) && !object.spec.local.path.split(\'/\').exists(s, s == \'..\')'
      + ` && [${path}].map(p, ${allowed}.exists(a, p == a || p.startsWith(a == '/' ? '/' : a + '/')))[0]`;
    return concat(
      messageIf(present('object', 'spec', 'hostPath'), celString('a hostPath PersistentVolume gives the pods that claim it the node\'s filesystem')),
      messageIf(`${present('object', 'spec', 'local')} && !(${ok})`, celString('a local PersistentVolume uses a node path outside the allowedLocalPaths prefixes')),
    );
  },
};

export const persistentVolumeHostPath = defineRule({
  id: 'persistent-volume-host-path',
  title: 'PersistentVolumes do not hand out the node\'s filesystem',
  severity: Severity.HIGH,
  category: 'workload',
  profiles: [Profile.HARDENED],
  controls: [
    'nsa:pod-security/host-path',
    'kyverno:disallow-host-path',
  ],
  rationale: 'A hostPath PersistentVolume gives any pod that claims it the node\'s files, around every pod-level hostPath check: the pod only names a claim.',
  remediation: 'Use a storage class with a CSI driver instead; for node disks use a `local` volume under a prefix listed in the `allowedLocalPaths` option of this rule.',
  kinds: ['PersistentVolume'],
  options: [{ name: 'allowedLocalPaths', type: 'string[]', description: 'Absolute path prefixes that local PersistentVolumes may use (e.g. /mnt/disks); none until set.' }],
}, (object, context) => {
  const spec = prop(object, 'spec');
  const out: RuleFinding[] = [];
  const hostPath = prop(spec, 'hostPath');
  if (hostPath !== undefined && hostPath !== null) {
    out.push({ path: 'spec.hostPath', message: 'a hostPath PersistentVolume gives the pods that claim it the node\'s filesystem: use a CSI storage class, or a local volume under an allowed path' });
  }
  const local = prop(spec, 'local');
  if (local !== undefined && local !== null) {
    const p = prop(local, 'path');
    const allowed = allowedPrefixes(prop(context.options, 'allowedLocalPaths'));
    const path = typeof p === 'string' ? normalise(p) : undefined;
    const ok = path !== undefined && !hasBacksteps(p as string) && allowed.some((a) => path === a || path.startsWith(a === '/' ? '/' : `${a}/`));
    if (!ok) {
      out.push({
        path: 'spec.local.path',
        message: allowed.length === 0
          ? 'a local PersistentVolume uses a node path, and no path is allowed: list the node disk prefixes in the allowedLocalPaths option'
          : 'a local PersistentVolume uses a node path outside the allowedLocalPaths prefixes',
      });
    }
  }
  return out;
}, undefined, admission);
