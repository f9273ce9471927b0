/*
 * Pod Security Standards, restricted: capabilities (pod-security-admission check
 * `capabilities_restricted`).
 *
 * Containers must drop ALL capabilities, and are only permitted to add back the
 * NET_BIND_SERVICE capability.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.capabilities.drop
 *   spec.initContainers[*].securityContext.capabilities.drop
 *   spec.ephemeralContainers[*].securityContext.capabilities.drop
 * Allowed values: any list of capabilities that includes "ALL"
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.capabilities.add
 *   spec.initContainers[*].securityContext.capabilities.add
 *   spec.ephemeralContainers[*].securityContext.capabilities.add
 * Allowed values: undefined/empty, "NET_BIND_SERVICE"
 *
 * Versions: 1.22+, replacing `capabilities_baseline` at the restricted level; from 1.25 Windows
 * pods (spec.os.name: windows) are exempt ("Pod API validation would have failed if podOS ==
 * Windows and if capabilities have been set").
 *
 * kubeharden: a Windows pod exempted here is still judged by the baseline check it replaces
 * (capabilities beyond the default set), so that the restricted profile never passes a field
 * that the baseline profile fails; the API server refuses such a pod anyway.
 */
import { capabilitiesBeyondBaseline, capabilitiesBeyondBaselineCel } from './capabilities-baseline';
import { containerLabel, containerSc, containerScPath, quote, windowsExempt } from './helpers';
import { removeAt, setAt, valueAt } from '../../engine/fix-paths';
import { indexPath } from '../../engine/json-path';
import { containersOf, PodView } from '../../engine/pod-spec';
import { MutationContext } from '../../engine/admission';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, prop } from '../../engine/values';
import { pathFix } from '../fixes';
import { WINDOWS_POD, containerMessages, present, str, unless } from '../cel';
import { appendPatch, containerPatches, replacePatch, setPatch } from '../cel-patch';

function check(pod: PodView): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const c of containersOf(pod)) {
    const caps = containerSc(c, 'capabilities');
    if (!arr(prop(caps, 'drop')).includes('ALL')) {
      out.push({
        path: containerScPath(c, 'capabilities', 'drop'),
        message: `${containerLabel(c)} must set securityContext.capabilities.drop to ["ALL"]`,
      });
    }
    arr(prop(caps, 'add')).forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      out.push({
        path: indexPath(containerScPath(c, 'capabilities', 'add'), i),
        message: `${containerLabel(c)} must not add capability ${quote(cap)}: only NET_BIND_SERVICE may be added back`,
      });
    });
  }
  return out;
}

/**
 * The fix: `ALL` added to `drop` (capabilities already dropped stay listed), and each added
 * capability other than NET_BIND_SERVICE removed from `add`.
 */
const fix = pathFix('adds `ALL` to `securityContext.capabilities.drop`, and removes added capabilities other than NET_BIND_SERVICE', (object, segments) => {
  if (typeof segments[segments.length - 1] === 'number') return removeAt(object, segments);
  const drop = valueAt(object, segments);
  if (drop === undefined || drop === null) return setAt(object, segments, ['ALL']);
  if (!Array.isArray(drop)) return 'capabilities.drop is not a list';
  drop.push('ALL');
  return undefined;
});

/** The fix at admission: `ALL` added to `drop`, `add` kept to NET_BIND_SERVICE. */
function fixPatches({ pssMinor, podPointer }: MutationContext): string | undefined {
  if (pssMinor < 22) return undefined;
  const caps = ['securityContext', 'capabilities'];
  const hasDrop = (c: string) => present(c, ...caps, 'drop');
  const hasAdd = (c: string) => present(c, ...caps, 'add');
  const patches = `(${containerPatches(podPointer,
    (c) => `!(${hasDrop(c)} && 'ALL' in ${c}.securityContext.capabilities.drop)`,
    (c, pointer) => `(${hasDrop(c)} ? ${appendPatch(pointer, [...caps, 'drop'], "'ALL'")} : ${setPatch(c, pointer, [...caps, 'drop'], "['ALL']")})`)}`
    + ` + ${containerPatches(podPointer,
      (c) => `${hasAdd(c)} && ${c}.securityContext.capabilities.add.exists(a, a != 'NET_BIND_SERVICE')`,
      (c, pointer) => replacePatch(pointer, [...caps, 'add'], `${c}.securityContext.capabilities.add.filter(a, a == 'NET_BIND_SERVICE')`))})`;
  // the API server refuses these Linux-only fields on a Windows pod, at every version: the fix
  // pass declines there (src/engine/api-validation.ts), and so does this
  return unless(WINDOWS_POD, patches);
}

export const capabilitiesRestricted = definePssRule({
  id: 'pss-capabilities-restricted',
  checkId: 'capabilities_restricted',
  level: Profile.RESTRICTED,
  title: 'Containers must drop ALL capabilities and add back only NET_BIND_SERVICE',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['cis:5.2.8', 'cis:5.2.9', 'cis:5.2.10', 'nsa:pod-security/non-root-and-unprivileged', 'kyverno:disallow-capabilities-strict', 'checkov:CKV_K8S_28', 'checkov:CKV_K8S_37', 'trivy:KSV-0003'],
  rationale: 'The default capability set of a container runtime (NET_RAW, CHOWN, SETUID and others) is more than most workloads need, and each one widens what an attacker in the container can do.',
  remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` on every container and add back at most `NET_BIND_SERVICE`.',
  versions: [
    { minimumVersion: '1.22', overrides: ['capabilities_baseline'], check },
    windowsExempt('1.25', check, ['capabilities_baseline'], capabilitiesBeyondBaseline),
  ],
  fix: { ...fix, admission: { patches: fixPatches } },
  admission: {
    violations: ({ pssMinor }) => {
      const caps = (c: string) => `${c}.securityContext.capabilities`;
      const cel = containerMessages((c) => `!(${present(c, 'securityContext', 'capabilities', 'drop')} && 'ALL' in ${caps(c)}.drop)`
        + ` || (${present(c, 'securityContext', 'capabilities', 'add')} && ${caps(c)}.add.exists(a, a != 'NET_BIND_SERVICE'))`,
      () => str('must drop ALL capabilities and add none but NET_BIND_SERVICE'));
      return pssMinor >= 25 ? `(${WINDOWS_POD} ? ${capabilitiesBeyondBaselineCel} : ${cel})` : cel;
    },
  },
});
