import { findings, pod } from './pss-test-util';
import { seccompProfileBaseline } from '../../../src/rules/pss/seccomp-profile-baseline';

describe('pss-seccomp-profile-baseline', () => {
  test('from 1.19 reports Unconfined and empty profile types', () => {
    expect(findings(seccompProfileBaseline, pod(`
      securityContext:
        seccompProfile: {type: Unconfined}
      containers:
      - name: app
        securityContext:
          seccompProfile: {}
      - name: ok
        securityContext:
          seccompProfile: {type: Localhost, localhostProfile: p.json}
    `), 'v1.19')).toEqual([
      { path: 'spec.securityContext.seccompProfile.type', message: 'pod must not set securityContext.seccompProfile.type to "Unconfined": use RuntimeDefault or Localhost' },
      { path: 'spec.containers[0].securityContext.seccompProfile.type', message: 'container "app" must not set securityContext.seccompProfile.type to "": use RuntimeDefault or Localhost' },
    ]);
  });

  test('before 1.19 checks the alpha annotations instead of the fields', () => {
    const p = pod('containers: [{name: app, securityContext: {seccompProfile: {type: Unconfined}}}, {name: b}]', `
      annotations:
        seccomp.security.alpha.kubernetes.io/pod: unconfined
        container.seccomp.security.alpha.kubernetes.io/app: docker/default
        container.seccomp.security.alpha.kubernetes.io/b: ""
        container.seccomp.security.alpha.kubernetes.io/gone: unconfined
    `);
    expect(findings(seccompProfileBaseline, p, 'v1.18')).toEqual([
      {
        path: 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]',
        message: 'annotation seccomp.security.alpha.kubernetes.io/pod="unconfined" is a forbidden seccomp profile: set it to runtime/default or localhost/<profile>, or remove it',
      },
      {
        path: 'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/b"]',
        message: 'annotation container.seccomp.security.alpha.kubernetes.io/b="" is a forbidden seccomp profile: set it to runtime/default or localhost/<profile>, or remove it',
      },
    ]);
    expect(findings(seccompProfileBaseline, p, 'v1.19').map((f) => f.path)).toEqual(['spec.containers[0].securityContext.seccompProfile.type']);
  });

  test('allows no profile at all', () => {
    expect(findings(seccompProfileBaseline, pod('containers: [{name: a}]'))).toEqual([]);
  });
});
