import { findings, pod } from './pss-test-util';
import { sysctls } from '../../../src/rules/pss/sysctls';

const withSysctls = (...names: string[]) => pod(`
  containers: [{name: a}]
  securityContext:
    sysctls:
${names.map((n) => `    - {name: ${n}, value: "1"}`).join('\n')}
`);

describe('pss-sysctls', () => {
  test('reports an unsafe sysctl by index', () => {
    expect(findings(sysctls, withSysctls('net.ipv4.tcp_syncookies', 'kernel.msgmax'), 'v1.26')).toEqual([
      {
        path: 'spec.securityContext.sysctls[1].name',
        message: 'pod must not set sysctl "kernel.msgmax": remove it from spec.securityContext.sysctls (allowed: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range)',
      },
    ]);
  });

  test.each([
    ['net.ipv4.ip_local_reserved_ports', 'v1.26', 'v1.27'],
    ['net.ipv4.tcp_keepalive_time', 'v1.28', 'v1.29'],
    ['net.ipv4.tcp_fin_timeout', 'v1.28', 'v1.29'],
    ['net.ipv4.tcp_keepalive_intvl', 'v1.28', 'v1.29'],
    ['net.ipv4.tcp_keepalive_probes', 'v1.28', 'v1.29'],
    ['net.ipv4.tcp_rmem', 'v1.31', 'v1.32'],
    ['net.ipv4.tcp_wmem', 'v1.31', 'v1.32'],
    ['net.ipv4.tcp_slow_start_after_idle', 'v1.36', 'v1.37'],
    ['net.ipv4.tcp_notsent_lowat', 'v1.36', 'v1.37'],
  ])('%s is unsafe at %s and safe from %s', (name, before, from) => {
    expect(findings(sysctls, withSysctls(name), before)).toHaveLength(1);
    expect(findings(sysctls, withSysctls(name), from)).toEqual([]);
    expect(findings(sysctls, withSysctls(name), 'latest')).toEqual([]);
  });
});
