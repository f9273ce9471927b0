/**
 * The fix pass on cases written for it: what it changes, in which order, and what it leaves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../src/engine/engine';
import { decodeManifestStream } from '../../src/engine/input/decode';
import { Profile } from '../../src/engine/types';

const pod = (spec: any, metadata: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', ...metadata }, spec });

describe('Engine.fixObjects', () => {
  const restricted = new Engine({ profile: Profile.RESTRICTED });

  test('privileged off first, then no privilege escalation on the same container; the input is not changed', () => {
    const input = pod({ containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] });
    const copy = JSON.stringify(input);
    const r = restricted.fixObjects([input]);
    expect(JSON.stringify(input)).toBe(copy);
    const sc = r.objects[0].fixed.spec.containers[0].securityContext;
    expect(sc).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const rules = r.objects[0].changes.map((c) => c.ruleId);
    expect(rules.indexOf('pss-privileged')).toBeLessThan(rules.indexOf('pss-allow-privilege-escalation'));
    expect(r.report.findings.filter((f) => !f.suppressed)).toEqual([]);
  });

  test('with both options, a request is set from its own option, not defaulted from the limit fixed first', () => {
    const engine = new Engine({
      profile: Profile.HARDENED,
      rules: {
        'memory-limits': { options: { default: '512Mi' } },
        'memory-requests': { options: { default: '128Mi' } },
        'cpu-limits': { options: { default: '1' } },
        'cpu-requests': { options: { default: '250m' } },
      },
    });
    const r = engine.fixObjects([pod({ containers: [{ name: 'a', image: 'a:1' }] })]).objects[0];
    expect(r.fixed.spec.containers[0].resources).toEqual({ requests: { memory: '128Mi', cpu: '250m' }, limits: { memory: '512Mi', cpu: '1' } });
    const order = r.changes.map((c) => c.ruleId);
    expect(order.indexOf('memory-requests')).toBeLessThan(order.indexOf('memory-limits'));
    expect(order.indexOf('cpu-requests')).toBeLessThan(order.indexOf('cpu-limits'));
    // with the limit's option only, the request follows the limit (the API server's defaulting)
    const limitsOnly = new Engine({ profile: Profile.HARDENED, rules: { 'memory-limits': { options: { default: '512Mi' } } } });
    expect(limitsOnly.fixObjects([pod({ containers: [{ name: 'a', image: 'a:1' }] })]).objects[0].fixed.spec.containers[0].resources).toEqual({ limits: { memory: '512Mi' } });
  });

  test('a privileged container whose privilege is accepted with a reason keeps it, and is not given allowPrivilegeEscalation: false', () => {
    const input = pod({ containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] },
      { annotations: { 'ignore.kubeharden.io/pss-privileged': 'the CNI agent needs it, reviewed by the platform team' } });
    const r = restricted.fixObjects([input]).objects[0];
    expect(r.fixed.spec.containers[0].securityContext.privileged).toBe(true);
    expect(r.fixed.spec.containers[0].securityContext.allowPrivilegeEscalation).toBeUndefined();
    expect(r.declined).toEqual([expect.objectContaining({ ruleId: 'pss-allow-privilege-escalation', reason: 'the container is privileged: turn privileged off first' })]);
  });

  test('a Windows pod before 1.25 (when the checks still applied to it) is not given Linux fields the API server refuses there', () => {
    const v124 = new Engine({ profile: Profile.RESTRICTED, pssVersion: 'v1.24' });
    const r = v124.fixObjects([pod({ os: { name: 'windows' }, containers: [{ name: 'a', image: 'a' }] })]).objects[0];
    expect(r.fixed.spec.containers[0].securityContext?.allowPrivilegeEscalation).toBeUndefined();
    expect(r.declined.map((d) => d.reason)).toContain('the API server would refuse the changed object');
  });

  test('custom resources are fixed at their own paths', () => {
    const file = path.join(__dirname, 'fixtures', 'custom-resources', 'argo-workflows-hello-world.yaml');
    const [workflow] = decodeManifestStream(fs.readFileSync(file)).flatMap((d) => d.objects.map((o) => o.value));
    const r = restricted.fixObjects([workflow]).objects[0];
    expect(r.changes.length).toBeGreaterThan(0);
    for (const c of r.changes) expect(c.path).toMatch(/^spec\.(templates\[0\]\.container|securityContext)/);
    expect(r.fixed.spec.templates[0].container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(restricted.checkObjects([r.fixed]).findings.filter((f) => !f.suppressed)).toEqual([]);
  });

  test('options.rules limits the fixes, and a rule with no fix is left as it is', () => {
    const r = restricted.fixObjects([pod({ hostPID: true, containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 0 } }] })], { rules: ['pss-host-namespaces'] }).objects[0];
    expect(r.changes.map((c) => c.ruleId)).toEqual(['pss-host-namespaces']);
    expect(r.fixed.spec.hostPID).toBe(false);
    expect(r.fixed.spec.containers[0].securityContext).toEqual({ runAsUser: 0 });
  });

  test('a list the fixes empty goes, rather than staying as []', () => {
    const r = restricted.fixObjects([pod({ containers: [{ name: 'a', image: 'a', securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } } }] })]);
    expect(r.objects[0].fixed.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });
});

test('one pod-level setting covers every container that sets none (no copies on the later containers)', () => {
  const r = new Engine({ profile: Profile.RESTRICTED }).fixObjects([pod({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] })]);
  const spec = r.objects[0].fixed.spec;
  expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  for (const c of spec.containers) {
    expect(c.securityContext.runAsNonRoot).toBeUndefined();
    expect(c.securityContext.seccompProfile).toBeUndefined();
  }
  expect(r.report.findings).toEqual([]);
});

test('the pod\'s runAsNonRoot false is not turned true while a container that takes it runs as UID 0 (the kubelet would refuse to start it)', () => {
  const engine = new Engine({ profile: Profile.RESTRICTED });
  const input = pod({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 0 } }, { name: 'b', image: 'b' }] });
  const r = engine.fixObjects([input], { rules: ['pss-run-as-non-root'] }).objects[0];
  expect(r.fixed.spec.securityContext.runAsNonRoot).toBe(false);
  expect(r.declined).toContainEqual({ ruleId: 'pss-run-as-non-root', path: 'spec.securityContext.runAsNonRoot', reason: 'a container that takes the pod\'s setting runs as UID 0: set a non-zero runAsUser first' });
  // a container with its own setting does not take the pod's
  const own = pod({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 0, runAsNonRoot: true } }, { name: 'b', image: 'b' }] });
  expect(engine.fixObjects([own], { rules: ['pss-run-as-non-root'] }).objects[0].fixed.spec.securityContext.runAsNonRoot).toBe(true);
});

test('a HostProcess pod keeps the host network (the API server requires it)', () => {
  const engine = new Engine({ profile: Profile.BASELINE });
  const input = pod({ os: { name: 'windows' }, hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } }, containers: [{ name: 'a', image: 'a' }] });
  const r = engine.fixObjects([input], { rules: ['pss-host-namespaces'] }).objects[0];
  expect(r.fixed.spec.hostNetwork).toBe(true);
  expect(r.declined[0]).toMatchObject({ ruleId: 'pss-host-namespaces', reason: 'the API server would refuse the changed object' });
});
