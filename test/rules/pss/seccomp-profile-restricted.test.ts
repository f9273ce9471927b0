import { findings, pod } from './pss-test-util';
import { Engine } from '../../../src/engine/engine';
import { Profile } from '../../../src/engine/types';
import { seccompProfileRestricted } from '../../../src/rules/pss/seccomp-profile-restricted';

describe('pss-seccomp-profile-restricted', () => {
  test('requires a profile on the pod or on every container', () => {
    expect(findings(seccompProfileRestricted, pod(`
      containers:
      - name: app
      - name: unconfined
        securityContext:
          seccompProfile: {type: Unconfined}
      - name: ok
        securityContext:
          seccompProfile: {type: RuntimeDefault}
    `))).toEqual([
      { path: 'spec.containers[0].securityContext.seccompProfile.type', message: 'container "app" must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must set spec.securityContext.seccompProfile.type)' },
      { path: 'spec.containers[1].securityContext.seccompProfile.type', message: 'container "unconfined" must not set securityContext.seccompProfile.type to "Unconfined": use RuntimeDefault or Localhost' },
    ]);
  });

  test('a pod-level profile covers the containers, a forbidden one is reported once', () => {
    expect(findings(seccompProfileRestricted, pod('securityContext: {seccompProfile: {type: Localhost}}\ncontainers: [{name: a}]'))).toEqual([]);
    expect(findings(seccompProfileRestricted, pod('securityContext: {seccompProfile: {type: Unconfined}}\ncontainers: [{name: a}]'))).toEqual([
      { path: 'spec.securityContext.seccompProfile.type', message: 'pod must not set securityContext.seccompProfile.type to "Unconfined": use RuntimeDefault or Localhost' },
    ]);
  });

  test('exists from 1.19 and exempts Windows pods from 1.25', () => {
    const windows = pod('os: {name: windows}\ncontainers: [{name: a}]');
    expect(findings(seccompProfileRestricted, windows, 'v1.18')).toEqual([]);
    expect(findings(seccompProfileRestricted, windows, 'v1.24')).toHaveLength(1);
    expect(findings(seccompProfileRestricted, windows, 'v1.25')).toEqual([]);
  });

  test('still holds exempted Windows pods to the baseline check it replaces (no Unconfined)', () => {
    const unconfined = pod('os: {name: windows}\nsecurityContext: {seccompProfile: {type: Unconfined}}\ncontainers: [{name: a}, {name: b, securityContext: {seccompProfile: {type: RuntimeDefault}}}]');
    const expected = [{ path: 'spec.securityContext.seccompProfile.type', message: 'pod must not set securityContext.seccompProfile.type to "Unconfined": use RuntimeDefault or Localhost' }];
    expect(findings(seccompProfileRestricted, unconfined, 'v1.25')).toEqual(expected);
    expect(findings(seccompProfileRestricted, unconfined, 'latest')).toEqual(expected);
  });

  test('is high, as the baseline check it replaces', () => {
    expect(seccompProfileRestricted.metadata.severity).toBe('high');
  });

  test('replaces seccompProfile_baseline at the restricted level from 1.19', () => {
    const ids = (v: string) => new Engine({ profile: Profile.RESTRICTED, pssVersion: v }).rules.map((r) => r.metadata.id);
    expect(ids('v1.18')).toContain('pss-seccomp-profile-baseline');
    expect(ids('v1.18')).not.toContain('pss-seccomp-profile-restricted');
    expect(ids('v1.19')).not.toContain('pss-seccomp-profile-baseline');
  });
});
