/**
 * Every Pod Security Standards rule is total: any JSON in, findings out, never a throw (the
 * engine turns a throw into an "internal error" finding, which must never appear).
 */
import * as fc from 'fast-check';
import { formatPssVersion, LATEST_PSS_MINOR } from '../../../src/engine/pss-version';
import { Profile, RuleContext } from '../../../src/engine/types';
import { PSS_RULES } from '../../../src/rules/pss';

function context(minor: number): RuleContext {
  return { profile: Profile.RESTRICTED, pssVersion: formatPssVersion(minor), pssMinor: minor, options: {}, knownRuleIds: [] };
}

const MINORS = [0, 8, 18, 19, 22, 23, 25, 27, 29, 31, 32, 34, 35, LATEST_PSS_MINOR];

/** Values of every JSON type (and some that JSON cannot carry) in the places the checks read. */
const ODD = [null, undefined, 0, 1, -1, true, false, '', 'x', [], [null], [1, 'a'], {}, { a: 1 }, NaN];

function oddPods(): any[] {
  const out: any[] = [];
  for (const v of ODD) {
    const container = { name: v, securityContext: v, ports: v, livenessProbe: v, lifecycle: v };
    const sc = {
      privileged: v,
      capabilities: { add: v, drop: v },
      seLinuxOptions: v,
      procMount: v,
      seccompProfile: v,
      appArmorProfile: v,
      windowsOptions: v,
      runAsNonRoot: v,
      runAsUser: v,
      allowPrivilegeEscalation: v,
      sysctls: v,
    };
    out.push(
      v,
      { kind: 'Pod', spec: v, metadata: v },
      { kind: 'Pod', metadata: { annotations: v }, spec: { containers: v, initContainers: [v], ephemeralContainers: [container], volumes: v } },
      { kind: 'Pod', metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': v, 'seccomp.security.alpha.kubernetes.io/pod': v } }, spec: { containers: [{ name: 'a', securityContext: sc }], securityContext: sc, volumes: [v, { name: v, hostPath: v, nfs: v }], os: v, hostUsers: v } },
      { kind: 'Pod', spec: { containers: [{ name: 'a', securityContext: { capabilities: v, seLinuxOptions: { type: v, user: v, role: v }, seccompProfile: { type: v }, appArmorProfile: { type: v }, windowsOptions: { hostProcess: v } }, ports: [v, { hostPort: v }], readinessProbe: { httpGet: v, tcpSocket: { host: v } }, lifecycle: { preStop: { httpGet: { host: v } } } }], securityContext: { sysctls: [v, { name: v }], seccompProfile: { type: v }, runAsNonRoot: v }, os: { name: v } } },
      { kind: 'CronJob', spec: { jobTemplate: { spec: { template: v } } } },
      { kind: 'Deployment', spec: { template: { spec: { containers: [{ securityContext: sc }] } } } },
    );
  }
  return out;
}

describe.each(PSS_RULES.map((r) => [r.metadata.id, r] as const))('%s', (_id, rule) => {
  test('never throws on odd values in every field it reads', () => {
    for (const minor of MINORS) {
      for (const input of oddPods()) {
        const found = rule.check(input, context(minor));
        expect(Array.isArray(found)).toBe(true);
        expect(found.filter((f) => f.message.startsWith('internal error'))).toEqual([]);
      }
    }
  });

  test('never throws on random JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(...MINORS), (spec, minor) => {
      for (const input of [spec, { kind: 'Pod', spec }, { kind: 'Pod', spec: { containers: [spec], initContainers: spec, securityContext: spec, volumes: [spec] } }]) {
        const found = rule.check(input, context(minor));
        if (found.some((f) => f.message.startsWith('internal error'))) return false;
      }
      return true;
    }), { numRuns: 300 });
  });
});
