/*
 * Pod Security Standards, baseline: SELinux (pod-security-admission check `seLinuxOptions`).
 *
 * Setting the SELinux type is restricted, and setting a custom SELinux user or role option is
 * forbidden.
 *
 * Restricted fields:
 *   spec.securityContext.seLinuxOptions.type
 *   spec.containers[*].securityContext.seLinuxOptions.type
 *   spec.initContainers[*].securityContext.seLinuxOptions.type
 *   spec.ephemeralContainers[*].securityContext.seLinuxOptions.type
 * Allowed values: undefined/'', container_t, container_init_t, container_kvm_t,
 *   container_engine_t (from 1.31)
 *
 * Restricted fields:
 *   spec.securityContext.seLinuxOptions.user and .role
 *   spec.containers[*].securityContext.seLinuxOptions.user and .role
 *   spec.initContainers[*].securityContext.seLinuxOptions.user and .role
 *   spec.ephemeralContainers[*].securityContext.seLinuxOptions.user and .role
 * Allowed values: undefined/''
 *
 * Versions: 1.0; 1.31 adds container_engine_t to the allowed types.
 */
import { containerLabel, containerSc, containerScPath, podSc, podScPath, quote } from './helpers';
import { containersOf, PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { isObject, prop } from '../../engine/values';
import { podAndContainerSc, str, strList } from '../cel';

const TYPES_1_0 = ['container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

function checkWith(allowedTypes: string[]) {
  const allowed = new Set(allowedTypes);
  const list = allowedTypes.join(', ');
  const inspect = (opts: unknown, who: string, pathTo: (...k: string[]) => string, out: RuleFinding[]) => {
    if (!isObject(opts)) return;
    const type = prop(opts, 'type');
    if (nonEmpty(type) && !allowed.has(type)) {
      out.push({
        path: pathTo('seLinuxOptions', 'type'),
        message: `${who} must not set securityContext.seLinuxOptions.type to ${quote(type)}: remove it or use one of ${list}`,
      });
    }
    for (const field of ['user', 'role']) {
      if (nonEmpty(prop(opts, field))) {
        out.push({
          path: pathTo('seLinuxOptions', field),
          message: `${who} must not set securityContext.seLinuxOptions.${field}: remove it`,
        });
      }
    }
  };
  return (pod: PodView): RuleFinding[] => {
    const out: RuleFinding[] = [];
    inspect(podSc(pod, 'seLinuxOptions'), 'pod', (...k) => podScPath(pod, ...k), out);
    for (const c of containersOf(pod)) {
      inspect(containerSc(c, 'seLinuxOptions'), containerLabel(c), (...k) => containerScPath(c, ...k), out);
    }
    return out;
  };
}

export const seLinuxOptions = definePssRule({
  id: 'pss-se-linux-options',
  checkId: 'seLinuxOptions',
  level: Profile.BASELINE,
  title: 'Pods must not set a custom SELinux user, role or type',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['nsa:pod-security/hardening-container-environments', 'kyverno:disallow-selinux', 'trivy:KSV-0025'],
  rationale: 'A custom SELinux type, user or role can lift the confinement the container runtime applies, giving the container access it would otherwise be denied on the node.',
  remediation: 'Remove `seLinuxOptions.user` and `seLinuxOptions.role`, and either remove `seLinuxOptions.type` or use container_t, container_init_t, container_kvm_t or (from Kubernetes 1.31) container_engine_t.',
  versions: [
    { minimumVersion: '1.0', check: checkWith(TYPES_1_0) },
    { minimumVersion: '1.31', note: 'container_engine_t is allowed', check: checkWith(TYPES_1_31) },
  ],
  admission: {
    violations: ({ pssMinor }) => {
      const types = strList(pssMinor >= 31 ? TYPES_1_31 : TYPES_1_0);
      const o = (sc: string) => `${sc}.seLinuxOptions`;
      const bad = (sc: string) => `has(${o(sc)}) && ((has(${o(sc)}.type) && ${o(sc)}.type != '' && !(${o(sc)}.type in ${types}))`
        + ` || (has(${o(sc)}.user) && ${o(sc)}.user != '') || (has(${o(sc)}.role) && ${o(sc)}.role != ''))`;
      return podAndContainerSc(bad, str('pod must not set these securityContext.seLinuxOptions'), () => str('must not set these securityContext.seLinuxOptions'));
    },
  },
});
