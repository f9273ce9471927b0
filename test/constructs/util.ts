import { App, Chart, Testing } from 'cdk8s';
import { Engine, Profile, Report } from '../../src';
import { DefaultDenyNetworkPolicy } from '../../src/constructs';

/** A chart in namespace `shop` with the namespace's default-deny policy in place. */
export function testChart(app?: App): Chart {
  const chart = new Chart(app ?? Testing.app(), 'test', { namespace: 'shop' });
  new DefaultDenyNetworkPolicy(chart, 'deny');
  return chart;
}

/** Checks objects with the hardened profile: whatever the catalog holds now. */
export function check(objects: any[], profile: Profile = Profile.HARDENED): Report {
  return new Engine({ profile }).checkObjects(objects);
}

/** The unsuppressed findings, formatted for readable failures. */
export function unsuppressed(report: Report): string[] {
  return report.findings.filter((f) => !f.suppressed).map((f) => `${f.ruleId} ${f.object.kind}/${f.object.name} ${f.path}: ${f.message}`);
}

export function byKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: any[], kind: string): any {
  const found = byKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0];
}

/** A digest-pinned image reference. */
export const IMAGE = 'registry.example.com/shop/web:1.4.2@sha256:' + 'a'.repeat(64);

/** The pod spec inside a workload object. */
export function podSpecOf(o: any): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
}

/** Asserts every hardened field of a pod spec directly. */
export function expectHardenedPod(pod: any): void {
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
  expect(pod.hostNetwork).not.toBe(true); // unset is off
  expect(pod.hostPID).not.toBe(true); // unset is off
  expect(pod.hostIPC).not.toBe(true); // unset is off
  expect(pod.automountServiceAccountToken).toBe(false);
  expect(pod.serviceAccountName).toBeTruthy();
  expect(pod.serviceAccountName).not.toBe('default');
  for (const v of pod.volumes ?? []) expect(v.hostPath).toBeUndefined();
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    // runAsNonRoot and seccomp may be set at pod level (where the fixes put them for the first container)
    expect(c.securityContext.runAsNonRoot ?? pod.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.privileged).not.toBe(true);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.requests.memory).toBeDefined();
    expect(c.resources.limits.cpu).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    const tmp = c.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: any) => v.name === tmp.name).emptyDir).toBeDefined();
    for (const p of c.ports ?? []) expect(p.hostPort).toBeUndefined();
  }
}
