import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { check, IMAGE, unsuppressed } from './util';
import { Profile } from '../../src';
import { Guard, HardenedDeployment } from '../../src/constructs';

describe('cdk8s-plus-33 default Deployment vs HardenedDeployment', () => {
  test('cdk8s-plus-33\'s default Deployment fails the restricted profile', () => {
    const chart = new Chart(Testing.app(), 'plus', { namespace: 'shop' });
    new kplus.Deployment(chart, 'web', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    const report = check(Testing.synth(chart), Profile.RESTRICTED);
    const ruleIds = new Set(report.findings.filter((f) => !f.suppressed).map((f) => f.ruleId));
    // no seccomp profile and no capability drop: the two gaps of its defaults
    expect(ruleIds).toContain('pss-seccomp-profile-restricted');
    expect(ruleIds).toContain('pss-capabilities-restricted');
  });

  test('the Guard fails synth of a chart holding it, naming the construct', () => {
    const chart = new Chart(Testing.app(), 'plus', { namespace: 'shop' });
    Guard.of(chart, { profile: Profile.RESTRICTED });
    new kplus.Deployment(chart, 'web', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    expect(() => Testing.synth(chart)).toThrow(/pss-seccomp-profile-restricted Deployment shop\/plus-web-\S+ spec\.template\.spec.*\(construct plus\/web\/Resource\)/);
  });

  test('HardenedDeployment with the same image passes restricted and hardened', () => {
    const chart = new Chart(Testing.app(), 'hardened', { namespace: 'shop' });
    new HardenedDeployment(chart, 'web', { image: IMAGE, ports: [{ port: 8080 }] });
    const objects = Testing.synth(chart);
    expect(unsuppressed(check(objects, Profile.RESTRICTED))).toEqual([]);
    // hardened adds set-level rules: the namespace also needs its default-deny policy
    expect(unsuppressed(check(objects)).filter((f) => !f.startsWith('namespace-default-deny'))).toEqual([]);
  });
});
