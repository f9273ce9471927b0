/*
 * Pod Security Standards, baseline: sysctls (pod-security-admission check `sysctls`).
 *
 * Sysctls can disable security mechanisms or affect all containers on a host, and should be
 * disallowed except for an allowed "safe" subset. A sysctl is considered safe if it is
 * namespaced in the container or the Pod, and it is isolated from other Pods or processes on
 * the same Node.
 *
 * Restricted fields:
 *   spec.securityContext.sysctls[*].name
 *
 * Allowed values (the safe set grows by version):
 *   1.0:  kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start,
 *         net.ipv4.tcp_syncookies, net.ipv4.ping_group_range
 *   1.27: + net.ipv4.ip_local_reserved_ports
 *   1.29: + net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl,
 *           net.ipv4.tcp_keepalive_probes
 *   1.32: + net.ipv4.tcp_rmem, net.ipv4.tcp_wmem
 *   1.37: + net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat
 */
import { pathOf, podSc, podScPath, quote } from './helpers';
import { indexPath } from '../../engine/json-path';
import { PodView } from '../../engine/pod-spec';
import { definePssRule } from '../../engine/rule';
import { Profile, RuleFinding, Severity } from '../../engine/types';
import { arr, isObject, prop } from '../../engine/values';
import { POD, messageIf, present, strList } from '../cel';

const SAFE_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range'];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [...SAFE_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_1_37 = [...SAFE_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function checkWith(safeList: string[]) {
  const safe = new Set(safeList);
  return (pod: PodView): RuleFinding[] => {
    const out: RuleFinding[] = [];
    const base = podScPath(pod, 'sysctls');
    arr(podSc(pod, 'sysctls')).forEach((s, i) => {
      if (!isObject(s)) return;
      const name = prop(s, 'name');
      if (typeof name === 'string' && safe.has(name)) return;
      out.push({
        path: pathOf(indexPath(base, i), 'name'),
        message: `pod must not set sysctl ${quote(name ?? '')}: remove it from spec.securityContext.sysctls (allowed: ${safeList.join(', ')})`,
      });
    });
    return out;
  };
}

export const sysctls = definePssRule({
  id: 'pss-sysctls',
  checkId: 'sysctls',
  level: Profile.BASELINE,
  title: 'Pods may set only safe, namespaced sysctls',
  severity: Severity.HIGH,
  category: 'pod-security',
  controls: ['nsa:pod-security/hardening-container-environments', 'kyverno:restrict-sysctls', 'trivy:KSV-0026'],
  rationale: 'Unsafe sysctls change kernel settings shared by every workload on the node, or disable kernel protections.',
  remediation: 'Remove every sysctl from `spec.securityContext.sysctls` that is not in the safe set of the Kubernetes version the cluster runs.',
  versions: [
    { minimumVersion: '1.0', check: checkWith(SAFE_1_0) },
    { minimumVersion: '1.27', note: 'net.ipv4.ip_local_reserved_ports is safe', check: checkWith(SAFE_1_27) },
    { minimumVersion: '1.29', note: 'net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl and tcp_keepalive_probes are safe', check: checkWith(SAFE_1_29) },
    { minimumVersion: '1.32', note: 'net.ipv4.tcp_rmem and tcp_wmem are safe', check: checkWith(SAFE_1_32) },
    { minimumVersion: '1.37', note: 'net.ipv4.tcp_slow_start_after_idle and tcp_notsent_lowat are safe', check: checkWith(SAFE_1_37) },
  ],
  admission: {
    violations: ({ pssMinor }) => {
      const versions: [number, string[]][] = [[37, SAFE_1_37], [32, SAFE_1_32], [29, SAFE_1_29], [27, SAFE_1_27], [0, SAFE_1_0]];
      const safe = strList(versions.find(([minor]) => pssMinor >= minor)![1]);
      const list = `${POD}.securityContext.sysctls`;
      return messageIf(`${present(POD, 'securityContext', 'sysctls')} && ${list}.exists(s, !(has(s.name) && s.name in ${safe}))`,
        `'pod must not set sysctls ' + ${list}.filter(s, !(has(s.name) && s.name in ${safe})).map(s, has(s.name) ? s.name : '').join(', ')`);
    },
  },
});
