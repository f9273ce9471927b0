import { findings, pod } from './pss-test-util';
import { Engine } from '../../../src/engine/engine';
import { Profile } from '../../../src/engine/types';
import { capabilitiesRestricted } from '../../../src/rules/pss/capabilities-restricted';

const manifest = (os: string) => pod(`
  ${os}
  containers:
  - name: app
  - name: adds
    securityContext:
      capabilities:
        drop: [ALL]
        add: [NET_BIND_SERVICE, CHOWN]
  - name: ok
    securityContext:
      capabilities: {drop: [ALL]}
`);

describe('pss-capabilities-restricted', () => {
  test('requires drop ALL and allows adding back only NET_BIND_SERVICE', () => {
    expect(findings(capabilitiesRestricted, manifest(''))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.drop', message: 'container "app" must set securityContext.capabilities.drop to ["ALL"]' },
      { path: 'spec.containers[1].securityContext.capabilities.add[1]', message: 'container "adds" must not add capability "CHOWN": only NET_BIND_SERVICE may be added back' },
    ]);
  });

  test('exists from 1.22 and exempts Windows pods from 1.25', () => {
    expect(findings(capabilitiesRestricted, manifest(''), 'v1.21')).toEqual([]);
    expect(findings(capabilitiesRestricted, manifest('os: {name: windows}'), 'v1.24')).toHaveLength(2);
    expect(findings(capabilitiesRestricted, manifest('os: {name: windows}'), 'v1.25')).toEqual([]);
  });

  test('still holds exempted Windows pods to the baseline check it replaces', () => {
    const windows = pod(`
      os: {name: windows}
      containers:
      - name: admin
        securityContext: {capabilities: {add: [CHOWN, SYS_ADMIN]}}
    `);
    const expected = [{ path: 'spec.containers[0].securityContext.capabilities.add[1]', message: 'container "admin" must not add capability "SYS_ADMIN": remove it from securityContext.capabilities.add' }];
    expect(findings(capabilitiesRestricted, windows, 'v1.25')).toEqual(expected);
    expect(findings(capabilitiesRestricted, windows, 'latest')).toEqual(expected);
  });

  test('replaces capabilities_baseline at the restricted level from 1.22', () => {
    const ids = (v: string) => new Engine({ profile: Profile.RESTRICTED, pssVersion: v }).rules.map((r) => r.metadata.id);
    expect(ids('v1.21')).toContain('pss-capabilities-baseline');
    expect(ids('v1.22')).not.toContain('pss-capabilities-baseline');
    expect(ids('v1.25')).not.toContain('pss-capabilities-baseline');
  });
});
