import { findings, pod } from './pss-test-util';
import { appArmorProfile } from '../../../src/rules/pss/app-armor-profile';

describe('pss-app-armor-profile', () => {
  test('reports Unconfined profile fields on the pod and containers', () => {
    expect(findings(appArmorProfile, pod(`
      securityContext:
        appArmorProfile: {type: Unconfined}
      containers:
      - name: app
        securityContext:
          appArmorProfile: {type: Unconfined}
      - name: ok
        securityContext:
          appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}
    `))).toEqual([
      { path: 'spec.securityContext.appArmorProfile.type', message: 'pod must not set securityContext.appArmorProfile.type to "Unconfined": use RuntimeDefault or Localhost' },
      { path: 'spec.containers[0].securityContext.appArmorProfile.type', message: 'container "app" must not set securityContext.appArmorProfile.type to "Unconfined": use RuntimeDefault or Localhost' },
    ]);
  });

  test('reports unconfined annotations with a quoted annotation path', () => {
    expect(findings(appArmorProfile, pod('containers: [{name: app}]', `
      annotations:
        container.apparmor.security.beta.kubernetes.io/app: unconfined
        container.apparmor.security.beta.kubernetes.io/b: runtime/default
        container.apparmor.security.beta.kubernetes.io/c: localhost/custom
        container.apparmor.security.beta.kubernetes.io/d: ""
    `))).toEqual([
      {
        path: 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
        message: 'annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" disables or overrides the default AppArmor profile: set it to runtime/default or localhost/<profile>, or remove it',
      },
    ]);
  });

  test('checks the fields at every policy version', () => {
    const p = pod('containers: [{name: app, securityContext: {appArmorProfile: {type: Unconfined}}}]');
    expect(findings(appArmorProfile, p, 'v1.0')).toHaveLength(1);
  });
});
