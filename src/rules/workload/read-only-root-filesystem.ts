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
import { setAt, valueAt } from '../../engine/fix-paths';
import { containersOf } from '../../engine/pod-spec';
import { RuleAdmission } from '../../engine/admission';
import { definePodRule, POD_KINDS } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject } from '../../engine/values';
import { containerLabel } from '../container-label';
import { containerSegmentsOf, pathFix, podSpecSegmentsOf } from '../fixes';
import { containerSc, containerScPath } from '../security-context';
import { containerMessages, equals, str } from '../cel';

/** A volume name of the pod that is not taken yet, from a mount path. */
function volumeName(volumes: unknown[], mountPath: string): string {
  const base = `writable${mountPath.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.replace(/-+$/, '').slice(0, 50) || 'writable';
  const taken = new Set(volumes.map((v) => (isObject(v) ? v.name : undefined)));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * The fix: `readOnlyRootFilesystem: true`, and, for each path of the rule option
 * `writablePaths` (such as /tmp) that the container does not mount yet, an emptyDir volume
 * mounted there, so the application keeps the scratch space it writes to.
 */
const fix = pathFix('sets `securityContext.readOnlyRootFilesystem: true`, and mounts an emptyDir at each path of the rule option `writablePaths` the container does not mount yet', (object, segments, context) => {
  const reason = setAt(object, segments, true);
  if (reason) return reason;
  const wanted = Array.isArray(context.options.writablePaths) ? context.options.writablePaths.filter((p: unknown): p is string => typeof p === 'string' && p.startsWith('/')) : [];
  const containerPath = containerSegmentsOf(segments);
  const specPath = podSpecSegmentsOf(segments);
  if (wanted.length === 0 || !containerPath || !specPath || containerPath[containerPath.length - 2] === 'ephemeralContainers') return undefined;
  const container = valueAt(object, containerPath);
  const spec = valueAt(object, specPath);
  if (!isObject(container) || !isObject(spec)) return undefined;
  const mounts = container.volumeMounts ?? [];
  const volumes = spec.volumes ?? [];
  if (!Array.isArray(mounts) || !Array.isArray(volumes)) return 'volumeMounts or volumes is not a list';
  for (const mountPath of wanted) {
    if (mounts.some((m: unknown) => isObject(m) && m.mountPath === mountPath)) continue;
    const name = volumeName(volumes, mountPath);
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath });
  }
  container.volumeMounts = mounts;
  spec.volumes = volumes;
  return undefined;
});


/** The check in CEL, for admission. */
const admission: RuleAdmission = {
  violations: () => containerMessages((c) => `!${equals(c, ['securityContext', 'readOnlyRootFilesystem'], 'true')}`,
    () => str('must set securityContext.readOnlyRootFilesystem to true')),
};

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
  options: [{ name: 'writablePaths', type: 'string[]', description: 'Paths at which the fix mounts a writable emptyDir in each container it makes read-only (for example /tmp); the check ignores it.' }],
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
  // an application that writes to its root filesystem stops working when it turns read-only; the
  // writable paths are known with the workload, so the change is made there (kubeharden fix)
}, { ...fix, admission: { notMutated: 'a read-only root filesystem breaks an application that writes to it: the change is made with the workload (kubeharden fix, with writablePaths), not under it at admission' } }, admission);
