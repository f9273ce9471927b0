import { findings, pod } from './pss-test-util';
import { allowPrivilegeEscalation } from '../../../src/rules/pss/allow-privilege-escalation';

const manifest = (os: string) => pod(`
  ${os}
  containers:
  - name: app
  - name: esc
    securityContext: {allowPrivilegeEscalation: true}
  - name: ok
    securityContext: {allowPrivilegeEscalation: false}
`);

describe('pss-allow-privilege-escalation', () => {
  test('requires an explicit false on every container', () => {
    expect(findings(allowPrivilegeEscalation, manifest(''))).toEqual([
      { path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', message: 'container "app" must set securityContext.allowPrivilegeEscalation to false (it defaults to true)' },
      { path: 'spec.containers[1].securityContext.allowPrivilegeEscalation', message: 'container "esc" must set securityContext.allowPrivilegeEscalation to false, not true' },
    ]);
  });

  test('does not exist before 1.8', () => {
    expect(findings(allowPrivilegeEscalation, manifest(''), 'v1.7')).toEqual([]);
  });

  test('exempts Windows pods from 1.25, not before', () => {
    const windows = manifest('os: {name: windows}');
    expect(findings(allowPrivilegeEscalation, windows, 'v1.25')).toEqual([]);
    expect(findings(allowPrivilegeEscalation, windows, 'v1.24')).toHaveLength(2);
    expect(findings(allowPrivilegeEscalation, manifest('os: {name: linux}'), 'v1.25')).toHaveLength(2);
  });
});
