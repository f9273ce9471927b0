import { findings, pod } from './pss-test-util';
import { capabilitiesBaseline } from '../../../src/rules/pss/capabilities-baseline';

describe('pss-capabilities-baseline', () => {
  test('reports each capability outside the baseline set, by index', () => {
    expect(findings(capabilitiesBaseline, pod(`
      containers:
      - name: app
        securityContext:
          capabilities:
            add: [CHOWN, NET_RAW, SYS_ADMIN]
      initContainers:
      - name: init
        securityContext:
          capabilities:
            add: [chown]
    `))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.add[1]', message: 'container "app" must not add capability "NET_RAW": remove it from securityContext.capabilities.add' },
      { path: 'spec.containers[0].securityContext.capabilities.add[2]', message: 'container "app" must not add capability "SYS_ADMIN": remove it from securityContext.capabilities.add' },
      { path: 'spec.initContainers[0].securityContext.capabilities.add[0]', message: 'init container "init" must not add capability "chown": remove it from securityContext.capabilities.add' },
    ]);
  });

  test('allows the baseline set and any drop list', () => {
    expect(findings(capabilitiesBaseline, pod(`
      containers:
      - name: app
        securityContext:
          capabilities:
            add: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
            drop: [SYS_ADMIN]
    `))).toEqual([]);
  });
});
