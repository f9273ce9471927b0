import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Guard, Hardening, Profile, Suppressions } from '../../src';
import { Engine } from '../../src/engine/engine';

const IMAGE = 'registry.example.com/shop/web:2.3.0@sha256:5c1f0cbbd1e0a3bd8f2d3b1c4f3a8e2b9d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f';
const SIDECAR = 'registry.example.com/shop/proxy:1.0.0@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b';

function unsuppressed(objects: any[], profile: Profile): string[] {
  return new Engine({ profile }).checkObjects(objects).findings.filter((f) => !f.suppressed).map((f) => `${f.ruleId} ${f.object.kind} ${f.path}`);
}

function plusApp(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const d = new kplus.Deployment(chart, 'web', {
    containers: [{ image: IMAGE, portNumber: 8080 }],
  });
  d.addContainer({ image: SIDECAR, name: 'proxy' });
  return { app, chart };
}

describe('Hardening.of', () => {
  test('a cdk8s-plus Deployment with two containers fails restricted as written, and passes with one added line', () => {
    const before = plusApp();
    expect(unsuppressed(Testing.synth(before.chart), Profile.RESTRICTED).length).toBeGreaterThan(0);
    const after = plusApp();
    Hardening.of(after.chart, { profile: Profile.RESTRICTED });
    const objects = Testing.synth(after.chart);
    expect(unsuppressed(objects, Profile.RESTRICTED)).toEqual([]);
    const spec = objects.find((o: any) => o.kind === 'Deployment').spec.template.spec;
    expect(spec.containers).toHaveLength(2);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    for (const c of spec.containers) expect(c.securityContext.capabilities.drop).toContain('ALL');
  });

  test('composes with Guard in either order: the chart is hardened first, then judged', () => {
    for (const order of ['hardening first', 'guard first']) {
      const { app, chart } = plusApp();
      if (order === 'guard first') Guard.of(chart, { profile: Profile.RESTRICTED });
      Hardening.of(chart, { profile: Profile.RESTRICTED });
      if (order === 'hardening first') Guard.of(chart, { profile: Profile.RESTRICTED });
      expect(() => app.synth()).not.toThrow();
    }
    // without Hardening the same Guard fails the synth
    const { app, chart } = plusApp();
    Guard.of(chart, { profile: Profile.RESTRICTED });
    expect(() => app.synth()).toThrow(/pss-seccomp-profile-restricted/);
  });

  test('raw ApiObjects are fixed too, and a loosening recorded with a reason is kept', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ops');
    const agent = new ApiObject(chart, 'agent', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'agent' },
      spec: { hostNetwork: true, containers: [{ name: 'a', image: IMAGE, securityContext: { privileged: true } }] },
    });
    Suppressions.add(agent, 'pss-host-namespaces', 'the node agent reads the host network, reviewed by the platform team');
    const h = Hardening.of(chart, { profile: Profile.RESTRICTED });
    const [pod] = Testing.synth(chart);
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.containers[0].securityContext.privileged).toBe(false);
    expect(pod.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(unsuppressed([pod], Profile.RESTRICTED)).toEqual([]);
    expect(h.changes.map((c) => c.ruleId)).toEqual(expect.arrayContaining(['pss-privileged', 'pss-allow-privilege-escalation']));
    // a second synth changes nothing more
    expect(Testing.synth(chart)).toEqual([pod]);
  });

  test('rule options reach the fixes; onlyRules limits them; unknown options are refused', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: IMAGE }] } });
    Hardening.of(chart, {
      profile: Profile.HARDENED,
      onlyRules: ['read-only-root-filesystem', 'memory-limits'],
      rules: { 'read-only-root-filesystem': { options: { writablePaths: ['/tmp'] } }, 'memory-limits': { options: { default: '256Mi' } } },
    });
    const [pod] = Testing.synth(chart);
    const c = pod.spec.containers[0];
    expect(c.securityContext).toEqual({ readOnlyRootFilesystem: true });
    expect(c.volumeMounts).toEqual([{ name: 'writable-tmp', mountPath: '/tmp' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'writable-tmp', emptyDir: {} }]);
    expect(c.resources).toEqual({ limits: { memory: '256Mi' } });
    expect(() => Hardening.of(new Chart(Testing.app(), 'x'), { onlyRules: ['pss-restricted-volumes'] })).toThrow(/not a fixable rule/);
    expect(() => Hardening.of(new Chart(Testing.app(), 'y'), { profil: 'restricted' } as any)).toThrow(/profil.*did you mean profile/);
  });
});
