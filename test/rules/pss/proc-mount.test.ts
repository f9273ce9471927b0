import { findings, pod } from './pss-test-util';
import { Engine } from '../../../src/engine/engine';
import { Profile } from '../../../src/engine/types';
import { procMount } from '../../../src/rules/pss/proc-mount';
import { procMountRestricted } from '../../../src/rules/pss/proc-mount-restricted';

const unmasked = (hostUsers: string) => pod(`
  ${hostUsers}
  containers:
  - name: app
    securityContext: {procMount: Unmasked}
  - name: ok
    securityContext: {procMount: Default}
`);

describe('pss-proc-mount', () => {
  test('reports a non-default procMount', () => {
    expect(findings(procMount, unmasked(''))).toEqual([
      { path: 'spec.containers[0].securityContext.procMount', message: 'container "app" must not set securityContext.procMount to "Unmasked": remove it or set it to Default' },
    ]);
  });

  test('from 1.35 a pod with hostUsers: false may unmask /proc, not before', () => {
    expect(findings(procMount, unmasked('hostUsers: false'), 'v1.35')).toEqual([]);
    expect(findings(procMount, unmasked('hostUsers: false'), 'v1.34')).toHaveLength(1);
    expect(findings(procMount, unmasked('hostUsers: true'), 'v1.35')).toHaveLength(1);
  });
});

describe('pss-proc-mount-restricted', () => {
  test('does not exist before 1.35', () => {
    expect(findings(procMountRestricted, unmasked(''), 'v1.34')).toEqual([]);
  });

  test('forbids Unmasked even with hostUsers: false', () => {
    expect(findings(procMountRestricted, unmasked('hostUsers: false'), 'v1.35')).toEqual([
      { path: 'spec.containers[0].securityContext.procMount', message: 'container "app" must not set securityContext.procMount to "Unmasked": remove it or set it to Default' },
    ]);
  });

  test('replaces procMount at the restricted level from 1.35, as PSA does', () => {
    const ids = (profile: Profile, v: string) => new Engine({ profile, pssVersion: v }).rules.map((r) => r.metadata.id);
    expect(ids(Profile.RESTRICTED, 'v1.35')).toContain('pss-proc-mount-restricted');
    expect(ids(Profile.RESTRICTED, 'v1.35')).not.toContain('pss-proc-mount');
    expect(ids(Profile.RESTRICTED, 'v1.34')).toContain('pss-proc-mount');
    expect(ids(Profile.BASELINE, 'v1.35')).toContain('pss-proc-mount');
    expect(ids(Profile.BASELINE, 'v1.35')).not.toContain('pss-proc-mount-restricted');
  });
});
