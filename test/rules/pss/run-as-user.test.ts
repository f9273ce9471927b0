import { findings, pod } from './pss-test-util';
import { runAsUser } from '../../../src/rules/pss/run-as-user';

const manifest = (extra: string) => pod(`
  ${extra}
  securityContext: {runAsUser: 0}
  containers:
  - name: app
    securityContext: {runAsUser: 0}
  - name: ok
    securityContext: {runAsUser: 1000}
`);

describe('pss-run-as-user', () => {
  test('reports runAsUser 0 on the pod and containers', () => {
    expect(findings(runAsUser, manifest(''))).toEqual([
      { path: 'spec.securityContext.runAsUser', message: 'pod must not set securityContext.runAsUser to 0: use a non-zero user id' },
      { path: 'spec.containers[0].securityContext.runAsUser', message: 'container "app" must not set securityContext.runAsUser to 0: use a non-zero user id' },
    ]);
  });

  test('exists from 1.23', () => {
    expect(findings(runAsUser, manifest(''), 'v1.22')).toEqual([]);
  });

  test('from 1.35 a pod with hostUsers: false is exempt, not before', () => {
    expect(findings(runAsUser, manifest('hostUsers: false'), 'v1.35')).toEqual([]);
    expect(findings(runAsUser, manifest('hostUsers: false'), 'v1.34')).toHaveLength(2);
  });
});
