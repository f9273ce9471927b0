import { findings, pod } from './pss-test-util';
import { seLinuxOptions } from '../../../src/rules/pss/se-linux-options';

describe('pss-se-linux-options', () => {
  test('reports custom types, users and roles on the pod and containers', () => {
    expect(findings(seLinuxOptions, pod(`
      securityContext:
        seLinuxOptions: {type: spc_t, user: system_u}
      containers:
      - name: app
        securityContext:
          seLinuxOptions: {role: sysadm_r, level: "s0:c1,c2"}
    `))).toEqual([
      { path: 'spec.securityContext.seLinuxOptions.type', message: 'pod must not set securityContext.seLinuxOptions.type to "spc_t": remove it or use one of container_t, container_init_t, container_kvm_t, container_engine_t' },
      { path: 'spec.securityContext.seLinuxOptions.user', message: 'pod must not set securityContext.seLinuxOptions.user: remove it' },
      { path: 'spec.containers[0].securityContext.seLinuxOptions.role', message: 'container "app" must not set securityContext.seLinuxOptions.role: remove it' },
    ]);
  });

  test('container_engine_t is allowed from 1.31', () => {
    const p = pod('containers: [{name: app, securityContext: {seLinuxOptions: {type: container_engine_t}}}]');
    expect(findings(seLinuxOptions, p, 'v1.31')).toEqual([]);
    expect(findings(seLinuxOptions, p, 'v1.30')).toEqual([
      { path: 'spec.containers[0].securityContext.seLinuxOptions.type', message: 'container "app" must not set securityContext.seLinuxOptions.type to "container_engine_t": remove it or use one of container_t, container_init_t, container_kvm_t' },
    ]);
  });

  test('allows the container types, an empty type and a level', () => {
    expect(findings(seLinuxOptions, pod(`
      securityContext: {seLinuxOptions: {type: container_t, level: s0}}
      containers: [{name: a, securityContext: {seLinuxOptions: {type: ""}}}]
      initContainers: [{name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}]
    `))).toEqual([]);
  });
});
